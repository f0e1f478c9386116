// Connect-ping host discovery on top of the scan engine; see host_discovery.h.
#include "portolan/scan/host_discovery.h"

#include <utility>

namespace portolan {

Result<std::vector<HostResult>> discover_hosts(ScanEngine& engine, std::span<const Target> hosts,
                                               ScanProgress& progress) {
  std::vector<IpAddress> addresses;
  addresses.reserve(hosts.size());
  for (const Target& t : hosts) addresses.push_back(t.address);
  std::vector<HostResult> results(hosts.size());

  const WallAnchor anchor = WallAnchor::now(*engine.options().clock);
  auto on_host = [&](HostOutcome&& o) {
    const Target& target = hosts[o.host_index];
    HostResult& r = results[o.host_index];
    r.address = target.address;
    if (!target.hostname.empty())
      r.hostnames.push_back(HostName{target.hostname, HostName::Kind::kUser});
    r.start_time = anchor.at(o.start);
    r.end_time = anchor.at(o.end);
    r.times = o.times;
    if (target.address.is_loopback()) {
      r.state = HostState::kUp;
      r.reason = Reason::kLocalhostResponse;
      if (o.answered) {
        r.latency = o.answer_rtt;
      } else if (o.latency) {
        r.latency = o.latency;
      }
    } else if (o.answered) {
      r.state = HostState::kUp;
      r.reason = o.answer_reason;
      r.latency = o.answer_rtt;
    } else {
      r.state = HostState::kDown;
      r.reason = o.unreachable.value_or(Reason::kNoResponse);
    }
    // A down host is finished; an up one is done when its port scan is.
    if (r.state == HostState::kUp) {
      progress.hosts_up.fetch_add(1, std::memory_order_relaxed);
    } else {
      progress.hosts_done.fetch_add(1, std::memory_order_relaxed);
    }
  };
  auto run = engine.run(addresses, kDiscoveryPorts, ScanMode::kDiscovery, on_host, progress);
  if (!run) return Unexpected(run.error());
  return results;
}

}  // namespace portolan
