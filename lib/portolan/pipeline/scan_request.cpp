#include "portolan/pipeline/scan_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>

#include "portolan/audit/audit_setup.h"
#include "portolan/core/version.h"
#include "portolan/ports/port_order.h"
#include "portolan/registry/port_registry.h"
#include "portolan/sweep/shard.h"
#include "portolan/targets/special_ranges.h"

namespace portolan {
namespace {

Result<int64_t> parse_integer(const std::string& option, const std::string& text, int64_t lo,
                              int64_t hi) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) {
    return fail(fmt::format("{} expects a whole number, got '{}'", option, text));
  }
  if (v < lo || v > hi) {
    return fail(fmt::format("{} must be between {} and {}, got {}", option, lo, hi, v));
  }
  return v;
}

Result<double> parse_rate(const std::string& option, const std::string& text) {
  // std::from_chars for double is in GCC 12 but not in clang-16's libstdc++ use; strtod
  // with a full-consumption check is equivalent here.
  if (text.empty() || text.size() > 32) {
    return fail(fmt::format("{} expects a number of packets per second, got '{}'", option, text));
  }
  char* endp = nullptr;
  double v = std::strtod(text.c_str(), &endp);
  if (endp != text.c_str() + text.size() || !std::isfinite(v) || v <= 0) {
    return fail(
        fmt::format("{} expects a positive number of packets per second, got '{}'", option, text));
  }
  return v;
}

Result<Micros> parse_time_option(const std::string& option, const std::string& text) {
  auto t = parse_time_value(text);
  if (!t) return Unexpected(t.error().with_context(option));
  return *t;
}

Result<int> parse_timing_template(const std::string& text) {
  static const char* kNames[] = {"paranoid", "sneaky", "polite", "normal", "aggressive", "insane"};
  for (int i = 0; i < 6; ++i) {
    if (text == kNames[i] || text == std::to_string(i)) return i;
  }
  return fail(fmt::format(
      "-T expects 0-5 or paranoid|sneaky|polite|normal|aggressive|insane, got '{}'", text));
}

// The scan types as typed, checked for conflicts (nmap's rules: one TCP scan
// type; -sU goes with -sS; -sL and -sn go with nothing).
struct ScanTypes {
  bool connect = false, syn = false, udp = false, list = false, ping = false;
  bool any_port_scan() const { return connect || syn || udp; }
};

Result<ScanTypes> parse_scan_types(const std::vector<std::string>& types) {
  ScanTypes st;
  std::string first;
  for (const auto& t : types) {
    if (t == "sT") {
      st.connect = true;
    } else if (t == "sS") {
      st.syn = true;
    } else if (t == "sU") {
      st.udp = true;
    } else if (t == "sL") {
      st.list = true;
    } else if (t == "sn" || t == "sP") {
      st.ping = true;
    } else if (t == "sA" || t == "sW" || t == "sM" || t == "sN" || t == "sF" || t == "sX" ||
               t == "sY" || t == "sZ" || t == "sO") {
      return fail(
          fmt::format("-{} is not supported yet; use -sS (SYN), -sU (UDP) or -sT (connect)", t));
    } else if (t == "sV" || t == "sC") {
      return fail(fmt::format("-{} (service/script scanning) is not available yet", t));
    } else {
      return fail(fmt::format("unknown scan type -{}", t));
    }
    if (first.empty()) first = t;
    const int kinds = (st.connect || st.syn || st.udp) + st.list + st.ping;
    if (kinds > 1) return fail(fmt::format("-{} cannot be combined with -{}", t, first));
    if (st.connect && st.syn) return fail("-sS cannot be combined with -sT (one TCP scan type)");
    if (st.connect && st.udp) {
      return fail("-sU cannot be combined with -sT (use -sS -sU: both need the raw engine)");
    }
  }
  return st;
}

std::string raw_privilege_error(const std::string& what) {
  return fmt::format(
      "{} needs raw sockets: run as root, or give the binary CAP_NET_RAW and CAP_NET_ADMIN "
      "(setcap cap_net_raw,cap_net_admin+eip portolan)",
      what);
}

}  // namespace

Result<ScanPlan> build_scan_plan(const ScanRequest& req) {
  ScanPlan plan;
  auto types = parse_scan_types(req.scan_types);
  if (!types) return Unexpected(types.error());
  const bool raw_ok = req.privileged.value_or(req.raw_capable);
  if (types->syn || types->udp) {
    if (!raw_ok) return fail(raw_privilege_error(types->syn ? "-sS" : "-sU"));
    plan.mode = ScanMode::kRaw;
  } else if (types->connect) {
    plan.mode = ScanMode::kConnect;
  } else if (types->list) {
    plan.mode = ScanMode::kList;
  } else if (types->ping) {
    plan.mode = ScanMode::kPing;
  } else if (raw_ok) {
    plan.mode = ScanMode::kRaw;  // nmap: privileged users get a SYN scan by default
    types->syn = true;
  } else {
    plan.mode = ScanMode::kConnect;
    plan.notices.push_back(
        "not privileged: using the TCP connect scan (-sT) instead of the SYN scan "
        "(run as root or with CAP_NET_RAW for -sS)");
  }
  plan.raw_discovery = plan.mode == ScanMode::kRaw || (plan.mode == ScanMode::kPing && raw_ok);

  // Discovery probes: raw ones need the raw engine.
  for (const auto& [flag, ports] : req.discovery_flags) {
    if (plan.mode == ScanMode::kList) return fail(fmt::format("-{} cannot be used with -sL", flag));
    if (req.skip_discovery) return fail(fmt::format("-{} cannot be combined with -Pn", flag));
    if (!plan.raw_discovery) {
      return fail(raw_privilege_error(fmt::format("-{} (raw host discovery)", flag)));
    }
    if (flag == "PR") continue;  // ARP / neighbour discovery: used for local targets anyway
    auto probes = parse_discovery_probe(flag, ports);
    if (!probes) return Unexpected(probes.error());
    for (const auto& p : *probes) {
      if (p.kind == ProbeKind::kIcmpTimestamp && req.ipv6) {
        return fail("-PP (ICMP timestamp) has no IPv6 form; use -PE with -6");
      }
      if (std::find(plan.raw.discovery.begin(), plan.raw.discovery.end(), p) ==
          plan.raw.discovery.end()) {
        plan.raw.discovery.push_back(p);
      }
    }
  }
  // -PR alone: ARP for hosts on the local segment, the default probes for
  // routed ones (which ARP cannot reach).
  if (plan.raw_discovery && plan.raw.discovery.empty()) {
    plan.raw.discovery = default_discovery_probes(req.ipv6);
  }

  // Targets: the command line first, then -iL, as nmap orders them.
  plan.target_specs = req.targets;
  if (req.input_list) {
    auto specs = read_target_file(*req.input_list);
    if (!specs) return Unexpected(specs.error().with_context("-iL"));
    plan.target_specs.insert(plan.target_specs.end(), specs->begin(), specs->end());
  }
  if (plan.target_specs.empty()) {
    return fail("no targets were specified (give addresses, ranges or names, or -iL FILE)");
  }
  plan.exclude_specs = req.exclude;
  if (req.exclude_file) {
    auto specs = read_target_file(*req.exclude_file);
    if (!specs) return Unexpected(specs.error().with_context("--excludefile"));
    plan.exclude_specs.insert(plan.exclude_specs.end(), specs->begin(), specs->end());
  }
  if (plan.mode != ScanMode::kList && !req.scan_special) {
    for (const auto& range : special_ranges_to_skip(plan.target_specs)) {
      plan.exclude_specs.emplace_back(range.cidr);
      plan.notices.push_back(
          fmt::format("skipping {} ({}) inside the target ranges; --scan-special scans it",
                      range.cidr, range.purpose));
    }
  }
  plan.target_options.ipv6 = req.ipv6;
  if (req.no_dns && req.always_dns) return fail("-n cannot be combined with -R");
  plan.reverse_dns = !req.no_dns;
  plan.skip_discovery = req.skip_discovery;
  if (plan.mode == ScanMode::kPing && req.skip_discovery) {
    return fail("-sn cannot be combined with -Pn (nothing would be scanned)");
  }

  // Ports: only port scans use them.
  const bool port_scan = plan.mode == ScanMode::kConnect || plan.mode == ScanMode::kRaw;
  const bool port_options = req.ports.spec || req.ports.top_ports || req.ports.fast ||
                            req.ports.exclude_spec || req.sequential_ports;
  if (!port_scan && port_options) {
    return fail(fmt::format("port options cannot be used with {} (it scans no ports)",
                            plan.mode == ScanMode::kList ? "-sL" : "-sn"));
  }
  const uint64_t seed = req.seed ? *req.seed : std::random_device{}();
  plan.raw.seed = seed;
  if (port_scan) {
    std::vector<Protocol> protocols;
    if (plan.mode == ScanMode::kConnect || types->syn) protocols.push_back(Protocol::kTcp);
    if (types->udp) protocols.push_back(Protocol::kUdp);
    auto ports = select_ports(req.ports, protocols, PortRegistry::builtin());
    if (!ports) return Unexpected(ports.error());
    plan.port_set = *ports;
    const auto order = req.sequential_ports ? PortOrder::kSequential : PortOrder::kRandom;
    if (plan.mode == ScanMode::kConnect && plan.port_set.count(Protocol::kTcp) == 0) {
      return fail("the port selection contains no TCP ports (a connect scan scans TCP only)");
    }
    if (plan.mode == ScanMode::kRaw && plan.port_set.count(Protocol::kTcp) == 0 &&
        plan.port_set.count(Protocol::kUdp) == 0) {
      return fail(types->udp && !types->syn
                      ? "the port selection contains no UDP ports (-sU scans UDP only)"
                      : "the port selection contains no TCP ports (-sS scans TCP only)");
    }
    plan.tcp_ports =
        scan_order(plan.port_set, Protocol::kTcp, order, seed, PortRegistry::builtin());
    if (types->udp) {
      plan.udp_ports =
          scan_order(plan.port_set, Protocol::kUdp, order, seed, PortRegistry::builtin());
    }
  }

  // Raw engine options.
  const bool raw_engine = plan.mode == ScanMode::kRaw || plan.raw_discovery;
  auto raw_only = [&](const char* option) {
    return fail(
        fmt::format("{} applies to the raw-packet engine (-sS, -sU, or -sn as root)", option));
  };
  if (req.shard) {
    if (!raw_engine) return raw_only("--shard");
    auto shard = parse_shard(*req.shard);
    if (!shard) return Unexpected(shard.error());
    plan.raw.shard_index = shard->index;
    plan.raw.shard_count = shard->count;
  }
  if (req.checkpoint) {
    if (plan.mode != ScanMode::kRaw) return fail("--checkpoint applies to -sS and -sU scans");
    if (req.checkpoint->empty()) return fail("--checkpoint expects a file name");
    plan.checkpoint = *req.checkpoint;
  }
  if (req.interface_name) {
    if (!raw_engine) return raw_only("-e");
    plan.raw.interface_name = *req.interface_name;
  }
  if (req.source_address) {
    if (!raw_engine) return raw_only("-S");
    auto a = IpAddress::parse(*req.source_address);
    if (!a) return fail(fmt::format("-S expects an IP address, got '{}'", *req.source_address));
    plan.raw.source = *a;
  }
  plan.args = req.args;

  // Detection. -A asks for everything; without raw sockets it still gives -sV.
  const bool want_os = req.os_detect || req.aggressive;
  const bool want_trace = req.traceroute || req.aggressive;
  plan.audit = req.audit || req.aggressive;
  // The audit reads what -sV found, so it brings -sV along.
  plan.version_detect = req.version_detect || req.aggressive || req.audit;
  const bool version_options = req.version_intensity || req.version_light || req.version_all ||
                               req.version_trace || req.version_db || req.version_timeout;
  if (!port_scan && (plan.version_detect || want_os || want_trace || version_options)) {
    const char* what = req.audit             ? "--audit"
                       : plan.version_detect ? "-sV"
                       : want_os             ? "-O"
                       : want_trace          ? "--traceroute"
                                             : "--version-* options";
    return fail(fmt::format("{} cannot be used with {} (it scans no ports)", what,
                            plan.mode == ScanMode::kList ? "-sL" : "-sn"));
  }
  if (version_options && !plan.version_detect) {
    return fail(
        "--version-intensity, --version-light, --version-all, --version-trace, "
        "--versiondb and --version-timeout need -sV");
  }
  if (req.version_light + req.version_all + req.version_intensity.has_value() > 1) {
    return fail("choose one of --version-intensity, --version-light and --version-all");
  }
  if (req.version_light) plan.version.intensity = 2;
  if (req.version_all) plan.version.intensity = 9;
  if (req.version_intensity) {
    auto v = parse_integer("--version-intensity", *req.version_intensity, 0, 9);
    if (!v) return Unexpected(v.error());
    plan.version.intensity = static_cast<int>(*v);
  }
  if (req.version_timeout) {
    auto v = parse_time_option("--version-timeout", *req.version_timeout);
    if (!v) return Unexpected(v.error());
    if (v->count() < 100000) return fail("--version-timeout must be at least 100ms");
    plan.version.port_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*v);
  }
  if (req.version_db) {
    auto db = ServiceDb::load_path(*req.version_db);
    if (!db) return Unexpected(db.error().with_context("--versiondb"));
    plan.version.db = *db;
  } else if (plan.version_detect) {
    // A broken built-in database is a bug, but it should still stop here.
    auto db = ServiceDb::builtin();
    if (!db) return Unexpected(db.error().with_context("built-in service database"));
    plan.version.db = *db;
  }
  const audit::AuditSettings& audit_settings = req.audit_settings;
  if (!plan.audit && audit_settings.fail_on) return fail("--fail-on needs --audit (or -A)");
  if (!plan.audit && audit_settings.any()) {
    return fail("--audit-checks, --audit-policy, --audit-rate and --vulndb need --audit (or -A)");
  }
  if (plan.audit) {
    auto threshold = audit::parse_fail_on(audit_settings);
    if (!threshold) return Unexpected(threshold.error());
    plan.fail_on = *threshold;
    auto options = audit::make_audit_options(audit_settings, plan.notices);
    if (!options) return Unexpected(options.error());
    plan.audit_options = std::move(*options);
  }
  if (want_os || want_trace) {
    if (!raw_ok) {
      if (!req.aggressive || req.os_detect || req.traceroute) {
        return fail(raw_privilege_error(
            req.os_detect || (!req.traceroute && want_os) ? "-O (OS detection)" : "--traceroute"));
      }
      plan.notices.push_back(
          "not privileged: -A runs -sV only (OS detection and traceroute need raw sockets)");
    } else {
      plan.os_detect = want_os;
      plan.traceroute = want_trace;
    }
  }

  // Timing: the template, then each explicit override.
  int level = 3;
  if (req.timing_template) {
    auto t = parse_timing_template(*req.timing_template);
    if (!t) return Unexpected(t.error());
    level = *t;
  }
  auto timing = timing_template(level);
  if (!timing) return Unexpected(timing.error());
  TimingParams& tp = *timing;
  if (req.min_rate) {
    auto v = parse_rate("--min-rate", *req.min_rate);
    if (!v) return Unexpected(v.error());
    tp.min_rate = *v;
  }
  if (req.max_rate) {
    auto v = parse_rate("--max-rate", *req.max_rate);
    if (!v) return Unexpected(v.error());
    tp.max_rate = *v;
  }
  if (tp.min_rate && tp.max_rate && *tp.min_rate > *tp.max_rate) {
    return fail("--min-rate must not be greater than --max-rate");
  }
  if (req.max_retries) {
    auto v = parse_integer("--max-retries", *req.max_retries, 0, 50);
    if (!v) return Unexpected(v.error());
    tp.max_retries = static_cast<int>(*v);
  }
  struct TimeOpt {
    const char* name;
    const std::optional<std::string>* value;
    Micros* target;
  };
  Micros host_timeout_value{0};
  const TimeOpt time_opts[] = {
      {"--scan-delay", &req.scan_delay, &tp.scan_delay},
      {"--max-scan-delay", &req.max_scan_delay, &tp.max_scan_delay},
      {"--min-rtt-timeout", &req.min_rtt_timeout, &tp.min_rtt_timeout},
      {"--max-rtt-timeout", &req.max_rtt_timeout, &tp.max_rtt_timeout},
      {"--initial-rtt-timeout", &req.initial_rtt_timeout, &tp.initial_rtt_timeout},
      {"--host-timeout", &req.host_timeout, &host_timeout_value},
  };
  for (const auto& opt : time_opts) {
    if (!*opt.value) continue;
    auto v = parse_time_option(opt.name, **opt.value);
    if (!v) return Unexpected(v.error());
    *opt.target = *v;
  }
  if (req.host_timeout) {
    // nmap: 0 means no host timeout.
    if (host_timeout_value.count() > 0) {
      tp.host_timeout = host_timeout_value;
    } else {
      tp.host_timeout.reset();
    }
  }
  if (req.scan_delay && tp.scan_delay > tp.max_scan_delay) tp.max_scan_delay = tp.scan_delay;
  if (tp.min_rtt_timeout > tp.max_rtt_timeout) {
    return fail("--min-rtt-timeout must not be greater than --max-rtt-timeout");
  }
  if (tp.initial_rtt_timeout < tp.min_rtt_timeout) tp.initial_rtt_timeout = tp.min_rtt_timeout;
  if (tp.initial_rtt_timeout > tp.max_rtt_timeout) tp.initial_rtt_timeout = tp.max_rtt_timeout;
  struct IntOpt {
    const char* name;
    const std::optional<std::string>* value;
    int* target;
    int64_t lo, hi;
  };
  const IntOpt int_opts[] = {
      {"--min-parallelism", &req.min_parallelism, &tp.min_parallelism, 1, 1 << 20},
      {"--max-parallelism", &req.max_parallelism, &tp.max_parallelism, 1, 1 << 20},
      {"--min-hostgroup", &req.min_hostgroup, &tp.min_hostgroup, 1, 1 << 20},
      {"--max-hostgroup", &req.max_hostgroup, &tp.max_hostgroup, 1, 1 << 20},
  };
  for (const auto& opt : int_opts) {
    if (!*opt.value) continue;
    auto v = parse_integer(opt.name, **opt.value, opt.lo, opt.hi);
    if (!v) return Unexpected(v.error());
    *opt.target = static_cast<int>(*v);
  }
  if (tp.max_parallelism > 0 && tp.min_parallelism > tp.max_parallelism) {
    return fail("--min-parallelism must not be greater than --max-parallelism");
  }
  if (tp.max_hostgroup > 0 && tp.min_hostgroup > tp.max_hostgroup) {
    return fail("--min-hostgroup must not be greater than --max-hostgroup");
  }
  plan.engine.timing = tp;
  plan.engine.backend = req.backend;
  plan.raw.timing = tp;

  // Outputs.
  auto add_output = [&](const char* format, const std::optional<std::string>& path) {
    if (path) plan.outputs.push_back({format, *path});
  };
  add_output("normal", req.out_normal);
  add_output("xml", req.out_xml);
  add_output("grepable", req.out_grepable);
  add_output("json", req.out_json);
  if (req.out_all) {
    if (req.out_all->empty() || *req.out_all == "-") {
      return fail("-oA expects a base file name (it writes BASE.nmap, BASE.xml and BASE.gnmap)");
    }
    for (const auto& f : report_formats()) {
      if (!f.extension.empty()) plan.outputs.push_back({f.name, *req.out_all + "." + f.extension});
    }
  }
  int to_stdout = 0;
  for (auto& o : plan.outputs) {
    if (o.path.empty()) return fail(fmt::format("empty file name for {} output", o.format));
    if (o.path == "-") ++to_stdout;
  }
  if (to_stdout > 1) return fail("only one output format can be written to standard output ('-')");
  plan.output = req.output;
  plan.raw.debug = req.output.debugging > 0;
  if (req.stats_every) {
    auto v = parse_time_option("--stats-every", *req.stats_every);
    if (!v) return Unexpected(v.error());
    if (v->count() <= 0) return fail("--stats-every must be a positive time");
    plan.stats_every = *v;
  }

  // What the reports say about this run.
  ScanRunInfo& info = plan.run_info;
  info.args = req.command_line;
  info.version = std::string(kPortolanVersion);
  info.verbosity = req.output.verbosity;
  info.debugging = req.output.debugging;
  info.list_scan = plan.mode == ScanMode::kList;
  info.ping_scan = plan.mode == ScanMode::kPing;
  info.version_detect = plan.version_detect;
  info.os_detect = plan.os_detect;
  info.audit = plan.audit;
  auto add_scan_info = [&](const char* type, Protocol protocol) {
    ScanInfo si;
    si.type = type;
    si.protocol = protocol;
    si.num_services = static_cast<uint32_t>(plan.port_set.count(protocol));
    si.services = plan.port_set.compressed(protocol);
    info.scan_info.push_back(si);
  };
  if (plan.mode == ScanMode::kConnect) add_scan_info("connect", Protocol::kTcp);
  if (plan.mode == ScanMode::kRaw && !plan.tcp_ports.empty()) add_scan_info("syn", Protocol::kTcp);
  if (plan.mode == ScanMode::kRaw && !plan.udp_ports.empty()) add_scan_info("udp", Protocol::kUdp);
  return plan;
}

}  // namespace portolan
