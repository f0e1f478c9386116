// ScanRequest -> ScanPlan: everything a user asked of `portolan scan`, checked.
//
// ScanRequest holds option values as the user typed them (the CLI fills it
// and does nothing else); build_scan_plan() validates them all together, so
// conflicts ("-sL with -sT", "--min-rate above --max-rate") are found before
// anything is sent, and returns one error line naming the problem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "portolan/audit/audit_setup.h"
#include "portolan/audit/auditor.h"
#include "portolan/core/result.h"
#include "portolan/output/report_writer.h"
#include "portolan/ports/port_spec.h"
#include "portolan/scan/connect_scanner.h"
#include "portolan/scan/raw_scanner.h"
#include "portolan/service/service_detector.h"
#include "portolan/targets/target_list.h"

namespace portolan {

// kConnect: -sT; kRaw: -sS and/or -sU (the raw-packet engine); kList: -sL;
// kPing: -sn, with raw probes when privileged, connects otherwise.
enum class ScanMode { kConnect, kList, kPing, kRaw };

struct ScanRequest {
  std::string command_line;  // as typed, for reports

  // Targets.
  std::vector<std::string> targets;
  std::optional<std::string> input_list;  // -iL FILE or "-"
  std::vector<std::string> exclude;       // --exclude a,b,c (already split)
  std::optional<std::string> exclude_file;
  bool ipv6 = false;        // -6
  bool no_dns = false;      // -n
  bool always_dns = false;  // -R

  // Scan type flags in the order given: "sT", "sL", "sn", "sS", ...
  std::vector<std::string> scan_types;
  bool skip_discovery = false;  // -Pn
  // Discovery probes in the order given: {"PS", "22,80"}, {"PE", ""}, {"PR", ""}.
  std::vector<std::pair<std::string, std::string>> discovery_flags;
  // Whether this process may open raw sockets (root or CAP_NET_RAW): the CLI
  // finds out, tests set it. --privileged / --unprivileged override it.
  bool raw_capable = false;
  std::optional<bool> privileged;
  // Raw engine.
  std::optional<std::string> shard;           // --shard I/N
  std::optional<std::string> checkpoint;      // --checkpoint FILE
  std::optional<std::string> interface_name;  // -e
  std::optional<std::string> source_address;  // -S
  bool scan_special = false;                  // --scan-special
  std::vector<std::string> args;              // as given, for a checkpoint

  // Detection: -sV and its options, -O, --traceroute, -A (all three).
  bool version_detect = false;
  std::optional<std::string> version_intensity;  // --version-intensity 0-9
  bool version_light = false;                    // --version-light: intensity 2
  bool version_all = false;                      // --version-all: intensity 9
  bool version_trace = false;                    // --version-trace
  std::optional<std::string> version_db;         // --versiondb DIR|FILE
  std::optional<std::string> version_timeout;    // --version-timeout TIME (per port)
  bool os_detect = false;                        // -O
  bool traceroute = false;                       // --traceroute
  bool aggressive = false;                       // -A
  bool audit = false;                            // --audit (implies -sV)
  audit::AuditSettings audit_settings;           // --audit-checks ... --fail-on, as typed

  // Ports.
  PortSelection ports;
  bool sequential_ports = false;  // -r
  std::optional<uint64_t> seed;   // --seed: port order

  // Timing, raw as typed (nmap time values like "500ms" where applicable).
  std::optional<std::string> timing_template;  // -T: "0".."5" or a name
  std::optional<std::string> min_rate, max_rate, max_retries, scan_delay, max_scan_delay,
      host_timeout, min_rtt_timeout, max_rtt_timeout, initial_rtt_timeout, min_parallelism,
      max_parallelism, min_hostgroup, max_hostgroup;
  ConnectBackend backend = ConnectBackend::kAuto;

  // Output.
  std::optional<std::string> out_normal, out_xml, out_grepable, out_all, out_json;
  OutputOptions output;
  std::optional<std::string> stats_every;
};

struct OutputTarget {
  std::string format;  // registered format name
  std::string path;    // "-" for standard output
};

struct ScanPlan {
  ScanMode mode = ScanMode::kConnect;
  std::vector<std::string> target_specs;
  std::vector<std::string> exclude_specs;
  TargetOptions target_options;
  bool skip_discovery = false;
  bool reverse_dns = true;
  std::vector<uint16_t> tcp_ports;  // scan order
  std::vector<uint16_t> udp_ports;  // raw engine only
  PortSet port_set;
  ConnectScanOptions engine;
  // The raw engine: for kRaw, and for kPing when raw_discovery.
  bool raw_discovery = false;
  RawScanOptions raw;
  std::optional<std::string> checkpoint;
  std::vector<std::string> args;
  // Detection after the port scan: -sV, then -O, then --traceroute.
  bool version_detect = false;
  ServiceDetectOptions version;
  bool os_detect = false;
  bool traceroute = false;
  // --audit (also -A): after detection; its options and the vulnerability DB.
  bool audit = false;
  audit::AuditOptions audit_options;
  std::optional<Severity> fail_on;  // --fail-on: exit status 3 at or above this
  // Said once on standard error before the scan: fallbacks, skipped ranges.
  std::vector<std::string> notices;
  std::vector<OutputTarget> outputs;  // files and "-"; the terminal is added by the caller
  OutputOptions output;
  std::optional<Micros> stats_every;
  ScanRunInfo run_info;
};

// Validates a request; reads -iL / --excludefile. Every failure is one line.
Result<ScanPlan> build_scan_plan(const ScanRequest& request);

}  // namespace portolan
