#include "portolan/pipeline/scan_job.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <unordered_map>

#include "portolan/pipeline/host_namer.h"
#include "portolan/pipeline/service_namer.h"
#include "portolan/registry/port_registry.h"
#include "portolan/scan/connect_scanner.h"
#include "portolan/targets/target_list.h"

namespace portolan {
namespace {

void add_names(HostResult& host, const Target& target, const HostNamer& namer) {
  host.hostnames.clear();
  if (!target.hostname.empty()) host.hostnames.push_back({target.hostname, HostName::Kind::kUser});
  if (auto ptr = namer.name_for(target.address)) {
    host.hostnames.push_back({*ptr, HostName::Kind::kPtr});
  }
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
  }
  if (t.max_hostgroup > 0) size = std::min(size, t.max_hostgroup);
  size = std::max(size, t.min_hostgroup);
  return std::max(size, 1);
}

Result<ScanSummary> run_scan(const ScanPlan& plan, ReportWriter& report, ScanProgress& progress,
                             const std::atomic<bool>& stop_requested) {
  auto targets = TargetList::create(plan.target_specs, plan.exclude_specs, plan.target_options);
  if (!targets) return Unexpected(targets.error());

  std::unique_ptr<ConnectScanner> scanner;
  if (plan.mode != ScanMode::kList) {
    ConnectScanOptions engine = plan.engine;
    engine.stop = &stop_requested;
    auto created = ConnectScanner::create(engine);
    if (!created) return Unexpected(created.error());
    scanner = std::move(*created);
  }

  const auto started = WallClock::now();
  const auto mono_start = std::chrono::steady_clock::now();
  ScanRunInfo run = plan.run_info;
  run.start_time = started;
  report.begin(run);

  HostNamer namer(plan.reverse_dns);
  auto services = std::make_unique<ServiceNamer>(PortRegistry::builtin());
  ScanSummary summary;
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
  if (plan.mode == ScanMode::kConnect) {
    const uint64_t ports = plan.tcp_ports.size();
    progress.ports_total.store(
        upper > UINT64_MAX / std::max<uint64_t>(ports, 1) ? UINT64_MAX : upper * ports,
        std::memory_order_relaxed);
  }

  auto emit = [&](HostResult& host) {
    if (host.state == HostState::kUp) {
      ++summary.hosts_up;
    } else if (host.state == HostState::kDown) {
      ++summary.hosts_down;
    }
    ++summary.hosts_total;
    report.host(host);
  };

  const size_t group_size = static_cast<size_t>(host_group_size(plan));
  auto cursor = targets->cursor();
  std::vector<Target> group;
  group.reserve(group_size);
  bool exhausted = false;
  std::string failure;
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
    std::vector<Target> up;
    std::unordered_map<IpAddress, HostResult, IpAddressHash> discovered;
    if (plan.skip_discovery) {
      up = group;
    } else {
      auto found = scanner->discover(group, progress);
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
          if (plan.mode == ScanMode::kConnect) {
            discovered.emplace(group[i].address, std::move(h));
            continue;
          }
        } else if (plan.mode == ScanMode::kConnect) {
          // Down hosts will never be scanned: take their ports out of the total.
          progress.ports_total.fetch_sub(
              std::min<uint64_t>(plan.tcp_ports.size(),
                                 progress.ports_total.load(std::memory_order_relaxed)),
              std::memory_order_relaxed);
        }
        add_names(h, group[i], namer);
        emit(h);
      }
    }
    if (plan.mode == ScanMode::kPing) {
      // Discovery counted the down hosts; a ping scan is done with the up ones too.
      progress.hosts_done.fetch_add(up.size(), std::memory_order_relaxed);
      continue;
    }
    if (up.empty()) continue;

    std::unordered_map<IpAddress, const Target*, IpAddressHash> by_address;
    for (const auto& target : up) by_address.emplace(target.address, &target);
    auto scanned = scanner->scan(
        up, plan.tcp_ports,
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
          emit(host);
        },
        progress);
    if (!scanned) failure = scanned.error().message();
    if (failure.empty() && stop_requested.load(std::memory_order_relaxed)) {
      failure = "scan interrupted by the user";
    }
  }

  summary.end_time = WallClock::now();
  summary.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - mono_start).count();
  summary.success = failure.empty();
  summary.error_message = failure;
  report.end(summary);
  return summary;
}

}  // namespace portolan
