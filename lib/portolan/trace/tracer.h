// --traceroute: the path to every up host, after the port scan, as nmap
// reports it in <trace>.
//
// Each host is traced with the best probe its scan found (trace_probe.h:
// a TCP SYN to an open or closed port, else UDP, else ICMP echo), built by the
// raw engine's templates and sent through its packet sockets. Hosts are
// traced in groups, all TTLs of all hosts of a group at once, in at most
// three rounds (hop_table.h); a group takes about one round-trip wait per
// round (0.3-1.5 s, from the hosts' measured latency), less when every path
// is complete early.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"
#include "portolan/results/scan_result.h"

namespace portolan {

struct TraceOptions {
  std::string interface_name;       // -e: every host must be reached through it
  std::optional<IpAddress> source;  // -S
  int max_ttl = 30;                 // clamped to [1, 64]
  // Warnings (a host skipped for want of a route or next hop) and, with
  // `debug`, one summary line per group.
  std::function<void(const std::string&)> notice;
  bool debug = false;
  // Set from another thread (a signal) to stop early: hosts not finished get
  // no trace.
  const std::atomic<bool>* stop = nullptr;
};

class Tracer {
 public:
  // Fails with one line when this process may not open packet sockets (root
  // or CAP_NET_RAW); nothing is opened until trace().
  static Result<std::unique_ptr<Tracer>> create(const TraceOptions& options);
  virtual ~Tracer() = default;

  // For every host whose state is up: picks the probe from host.ports,
  // traces, and sets host.trace (hops may be empty when nothing answered).
  // Other hosts are left alone. Errors: the routing table or a packet socket
  // cannot be opened; a host without a route, or whose next hop does not
  // answer ARP / neighbour solicitation, is skipped with a notice.
  virtual Result<void> trace(std::span<HostResult> hosts) = 0;
};

}  // namespace portolan
