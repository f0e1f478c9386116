#include "portolan/pipeline/scan_job.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <unordered_map>

#include "portolan/audit/auditor.h"
#include "portolan/os/os_detector.h"
#include "portolan/pipeline/host_namer.h"
#include "portolan/pipeline/service_namer.h"
#include "portolan/registry/port_registry.h"
#include "portolan/scan/connect_scanner.h"
#include "portolan/scan/raw_scanner.h"
#include "portolan/service/service_detector.h"
#include "portolan/targets/target_list.h"
#include "portolan/trace/tracer.h"

namespace portolan {
namespace {

void add_names(HostResult& host, const Target& target, const HostNamer& namer) {
  host.hostnames.clear();
  if (!target.hostname.empty()) host.hostnames.push_back({target.hostname, HostName::Kind::kUser});
  if (auto ptr = namer.name_for(target.address)) {
    host.hostnames.push_back({*ptr, HostName::Kind::kPtr});
  }
}

// The two engines behind one face: discovery, then a port scan of the up hosts.
class Engines {
 public:
  static Result<Engines> create(const ScanPlan& plan, const std::atomic<bool>& stop) {
    Engines e;
    e.plan_ = &plan;
    if (plan.mode == ScanMode::kList) return e;
    if (plan.raw_discovery) {
      RawScanOptions raw = plan.raw;
      raw.stop = &stop;
      auto created = RawScanner::create(raw);
      if (!created) return Unexpected(created.error());
      e.raw_ = std::move(*created);
    } else {
      ConnectScanOptions engine = plan.engine;
      engine.stop = &stop;
      auto created = ConnectScanner::create(engine);
      if (!created) return Unexpected(created.error());
      e.connect_ = std::move(*created);
    }
    return e;
  }

  const RawScanner* raw() const { return raw_.get(); }

  Result<std::vector<HostResult>> discover(std::span<const Target> hosts, ScanProgress& progress) {
    return raw_ ? raw_->discover(hosts, progress) : connect_->discover(hosts, progress);
  }

  Result<void> scan(std::span<const Target> hosts, const std::function<void(HostResult&&)>& on_host,
                    ScanProgress& progress) {
    if (raw_) return raw_->scan(hosts, plan_->tcp_ports, plan_->udp_ports, on_host, progress);
    return connect_->scan(hosts, plan_->tcp_ports, on_host, progress);
  }

 private:
  const ScanPlan* plan_ = nullptr;
  std::unique_ptr<ConnectScanner> connect_;
  std::unique_ptr<RawScanner> raw_;
};

uint64_t ports_per_host(const ScanPlan& plan) {
  if (plan.mode == ScanMode::kConnect) return plan.tcp_ports.size();
  if (plan.mode != ScanMode::kRaw) return 0;
  const uint64_t all = plan.tcp_ports.size() + plan.udp_ports.size();
  // A shard sends about 1/N of every host's probes.
  return (all + plan.raw.shard_count - 1) / plan.raw.shard_count;
}

}  // namespace

int host_group_size(const ScanPlan& plan) {
  const auto& t = plan.engine.timing;
  int size = 256;
  if (plan.mode == ScanMode::kConnect) {
    // About a million host x port pairs in flight per group at most.
    const size_t ports = std::max<size_t>(1, plan.tcp_ports.size());
    size = static_cast<int>(std::clamp<size_t>((1u << 20) / ports, 16, 256));
  } else if (plan.mode == ScanMode::kList) {
    size = 1024;
  } else if (plan.mode == ScanMode::kRaw || plan.raw_discovery) {
    // A raw sweep's state is 2 bytes per host x probe: 4 M probes (8 MiB)
    // per group spreads probes over up to 65,536 hosts and keeps a /16 with
    // the top 100 ports in two groups.
    const size_t probes = std::max<size_t>(
        1, plan.tcp_ports.size() + plan.udp_ports.size() + plan.raw.discovery.size());
    size = static_cast<int>(std::clamp<size_t>((4u << 20) / probes, 1, 65536));
  }
  if (t.max_hostgroup > 0) size = std::min(size, t.max_hostgroup);
  size = std::max(size, t.min_hostgroup);
  return std::max(size, 1);
}

Result<ScanSummary> run_scan(const ScanPlan& plan, ReportWriter& report, ScanProgress& progress,
                             const std::atomic<bool>& stop_requested, const ScanHooks& hooks) {
  auto targets = TargetList::create(plan.target_specs, plan.exclude_specs, plan.target_options);
  if (!targets) return Unexpected(targets.error());

  auto engines = Engines::create(plan, stop_requested);
  if (!engines) return Unexpected(engines.error());
  if (engines->raw() && hooks.on_raw_engine) hooks.on_raw_engine(*engines->raw());

  const auto mono_start = std::chrono::steady_clock::now();
  ScanRunInfo run = plan.run_info;
  run.start_time = hooks.skip_groups > 0 ? hooks.original_start : WallClock::now();
  report.begin(run);

  HostNamer namer(plan.reverse_dns);
  auto services = std::make_unique<ServiceNamer>(PortRegistry::builtin());
  ScanSummary summary;
  if (hooks.skip_groups > 0) summary = hooks.resumed;
  const double resumed_seconds = summary.elapsed_seconds;
  // Exclusions make the size an upper bound; count exactly while that is cheap,
  // so progress reaches 100%.
  uint64_t upper = targets->size_upper_bound();
  if (upper <= (1u << 20) && !plan.exclude_specs.empty()) {
    uint64_t exact = 0;
    Target probe;
    for (auto counter = targets->cursor(); counter->next(probe);) ++exact;
    upper = exact;
  }
  progress.hosts_total.store(upper, std::memory_order_relaxed);
  const uint64_t per_host = ports_per_host(plan);
  if (per_host > 0) {
    progress.ports_total.store(upper > UINT64_MAX / per_host ? UINT64_MAX : upper * per_host,
                               std::memory_order_relaxed);
  }

  auto emit = [&](HostResult& host) {
    if (host.state == HostState::kUp) {
      ++summary.hosts_up;
    } else if (host.state == HostState::kDown) {
      ++summary.hosts_down;
    }
    ++summary.hosts_total;
    count_findings(summary, host);
    report.host(host);
  };

  const bool detecting = plan.version_detect || plan.os_detect || plan.traceroute || plan.audit;
  std::unique_ptr<ServiceDetector> version;
  if (plan.version_detect) {
    ServiceDetectOptions options = plan.version;
    options.stop = &stop_requested;
    options.progress = &progress;
    auto created = ServiceDetector::create(options);
    if (!created) return Unexpected(created.error());
    version = std::move(*created);
  }
  // -O and --traceroute share the raw engine's link options.
  auto raw_options = [&](auto options) {
    options.interface_name = plan.raw.interface_name;
    options.source = plan.raw.source;
    options.notice = plan.raw.notice;
    options.debug = plan.raw.debug;
    options.stop = &stop_requested;
    return options;
  };
  std::unique_ptr<OsDetector> os;
  if (plan.os_detect) {
    auto created = OsDetector::create(raw_options(OsDetectOptions{}));
    if (!created) return Unexpected(created.error());
    os = std::move(*created);
  }
  std::unique_ptr<Tracer> tracer;
  if (plan.traceroute) {
    auto created = Tracer::create(raw_options(TraceOptions{}));
    if (!created) return Unexpected(created.error());
    tracer = std::move(*created);
  }
  std::unique_ptr<audit::Auditor> auditor;
  if (plan.audit) {
    audit::AuditOptions options = plan.audit_options;
    options.stop = &stop_requested;
    options.progress = &progress;
    auto created = audit::Auditor::create(std::move(options));
    if (!created) return Unexpected(created.error());
    auditor = std::move(*created);
  }
  std::vector<HostResult> pending;
  // nmap's order: services, then the OS, then the path. A failure of -O or
  // --traceroute (no route, say) is said once and the ports are still reported.
  auto detect = [&](std::vector<HostResult>& hosts) {
    if (version) version->detect(hosts);
    if (os) {
      if (auto r = os->detect(hosts); !r && plan.raw.notice) {
        plan.raw.notice("-O: " + r.error().message());
      }
    }
    if (tracer) {
      if (auto r = tracer->trace(hosts); !r && plan.raw.notice) {
        plan.raw.notice("--traceroute: " + r.error().message());
      }
    }
    if (auditor) auditor->audit(hosts);
  };

  const size_t group_size = static_cast<size_t>(host_group_size(plan));
  auto cursor = targets->cursor();
  std::vector<Target> group;
  group.reserve(std::min<size_t>(group_size, 1u << 16));
  bool exhausted = false;
  std::string failure;
  uint64_t groups_done = 0;
  while (!exhausted && failure.empty()) {
    if (stop_requested.load(std::memory_order_relaxed)) {
      failure = "scan interrupted by the user";
      break;
    }
    group.clear();
    Target t;
    while (group.size() < group_size) {
      if (!cursor->next(t)) {
        exhausted = true;
        break;
      }
      group.push_back(t);
    }
    if (group.empty()) break;
    if (groups_done < hooks.skip_groups) {
      // Finished before the interruption: its hosts are in the reports already.
      ++groups_done;
      progress.hosts_done.fetch_add(group.size(), std::memory_order_relaxed);
      progress.ports_done.fetch_add(group.size() * per_host, std::memory_order_relaxed);
      continue;
    }

    if (plan.mode == ScanMode::kList) {
      for (const auto& target : group) {
        HostResult host;
        host.address = target.address;
        host.state = HostState::kUnknown;
        host.reason = Reason::kUserSet;
        add_names(host, target, namer);
        emit(host);
        progress.hosts_done.fetch_add(1, std::memory_order_relaxed);
      }
      continue;
    }

    // Discovery decides which hosts get port-scanned; -Pn treats all as up.
    const bool port_scan = plan.mode == ScanMode::kConnect || plan.mode == ScanMode::kRaw;
    std::vector<Target> up;
    std::unordered_map<IpAddress, HostResult, IpAddressHash> discovered;
    if (plan.skip_discovery) {
      up = group;
    } else {
      auto found = engines->discover(group, progress);
      if (!found) {
        failure = found.error().message();
        break;
      }
      if (stop_requested.load(std::memory_order_relaxed)) {
        // Hosts discovery did not finish would read as down: report none of them.
        failure = "scan interrupted by the user";
        break;
      }
      for (size_t i = 0; i < found->size() && i < group.size(); ++i) {
        HostResult& h = (*found)[i];
        if (h.state == HostState::kUp) {
          up.push_back(group[i]);
          if (port_scan) {
            discovered.emplace(group[i].address, std::move(h));
            continue;
          }
        } else if (port_scan) {
          // Down hosts will never be scanned: take their ports out of the total.
          progress.ports_total.fetch_sub(
              std::min<uint64_t>(per_host, progress.ports_total.load(std::memory_order_relaxed)),
              std::memory_order_relaxed);
        }
        add_names(h, group[i], namer);
        emit(h);
      }
    }
    if (plan.mode == ScanMode::kPing) {
      // Discovery counted the down hosts; a ping scan is done with the up ones too.
      progress.hosts_done.fetch_add(up.size(), std::memory_order_relaxed);
    } else if (!up.empty()) {
      std::unordered_map<IpAddress, const Target*, IpAddressHash> by_address;
      for (const auto& target : up) by_address.emplace(target.address, &target);
      auto scanned = engines->scan(
          up,
          [&](HostResult&& host) {
            if (auto it = discovered.find(host.address); it != discovered.end()) {
              host.reason = it->second.reason;
              host.reason_ttl = it->second.reason_ttl;
              if (!host.latency) host.latency = it->second.latency;
            } else {
              host.reason = Reason::kUserSet;
            }
            host.state = HostState::kUp;
            if (auto it = by_address.find(host.address); it != by_address.end()) {
              add_names(host, *it->second, namer);
            }
            services->name_ports(host);
            if (detecting) {
              pending.push_back(std::move(host));
            } else {
              emit(host);
            }
          },
          progress);
      if (!scanned) failure = scanned.error().message();
      if (detecting && !pending.empty()) {
        // Detection needs the finished port table; the group's hosts are
        // probed side by side, then reported.
        detect(pending);
        for (auto& host : pending) emit(host);
        pending.clear();
      }
    }
    if (failure.empty() && stop_requested.load(std::memory_order_relaxed)) {
      failure = "scan interrupted by the user";
    }
    if (failure.empty()) {
      ++groups_done;
      if (hooks.after_group) {
        ScanSummary so_far = summary;
        so_far.elapsed_seconds =
            resumed_seconds +
            std::chrono::duration<double>(std::chrono::steady_clock::now() - mono_start).count();
        hooks.after_group(groups_done, so_far);
      }
    }
  }

  summary.end_time = WallClock::now();
  summary.elapsed_seconds =
      resumed_seconds +
      std::chrono::duration<double>(std::chrono::steady_clock::now() - mono_start).count();
  summary.success = failure.empty();
  summary.error_message = failure;
  report.end(summary);
  return summary;
}

}  // namespace portolan
