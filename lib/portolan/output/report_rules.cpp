// Report visibility rules shared by every format.
#include "portolan/output/report_rules.h"

#include <fmt/format.h>

#include <algorithm>

#include "portolan/output/port_grouping.h"
#include "portolan/output/time_format.h"

namespace portolan {

bool scans_ports(const ScanRunInfo& run) {
  return !run.list_scan && !run.ping_scan;
}

bool is_listed_only(const HostResult& host, const ScanRunInfo& run) {
  return run.list_scan || host.state == HostState::kUnknown;
}

bool has_port_section(const HostResult& host, const ScanRunInfo& run) {
  return scans_ports(run) && host.state == HostState::kUp && !host.timed_out;
}

bool shows_reason(const OutputOptions& options) {
  return options.show_reason || options.verbosity >= 2 || options.debugging >= 1;
}

bool shows_host(const HostResult& host, const ScanRunInfo& run, const OutputOptions& options) {
  if (is_listed_only(host, run)) return true;
  if (host.state == HostState::kDown || host.state == HostState::kSkipped) {
    return options.verbosity >= 1;
  }
  if (options.open_only && has_port_section(host, run)) {
    return std::any_of(host.ports.begin(), host.ports.end(),
                       [](const PortResult& p) { return is_possibly_open(p.state); });
  }
  return true;
}

std::string run_summary_phrase(const ScanSummary& summary) {
  return fmt::format("{} IP address{} ({} host{} up) scanned in {} seconds", summary.hosts_total,
                     summary.hosts_total == 1 ? "" : "es", summary.hosts_up,
                     summary.hosts_up == 1 ? "" : "s", elapsed_seconds(summary.elapsed_seconds));
}

}  // namespace portolan
