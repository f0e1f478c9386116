// Host discovery without privileges: nmap's connect "ping".
//
// Without raw sockets nmap decides whether a host is up by connecting to TCP
// 80 and 443: an accepted or a refused connection both prove a live host.
// Loopback addresses are always up ("localhost-response"), still measured.
#pragma once

#include <span>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/results/scan_result.h"
#include "portolan/scan/scan_engine.h"
#include "portolan/scan/scan_progress.h"
#include "portolan/targets/target_list.h"

namespace portolan {

// The ports nmap's unprivileged discovery connects to.
inline constexpr uint16_t kDiscoveryPorts[] = {80, 443};

// One HostResult per target, in order: state up or down, reason, latency,
// times; no ports. Counts up hosts in progress.hosts_up and down ones in
// progress.hosts_done (see scan_progress.h).
Result<std::vector<HostResult>> discover_hosts(ScanEngine& engine, std::span<const Target> hosts,
                                               ScanProgress& progress);

}  // namespace portolan
