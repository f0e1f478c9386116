// ConnectScanner: the unprivileged TCP connect scan (-sT) and connect ping.
//
// Many non-blocking connects in flight (io_uring when the kernel allows it,
// epoll otherwise), bounded by RLIMIT_NOFILE (raised to its hard limit at
// create()). Each host keeps its own RTT estimate (RFC 6298 style, as nmap)
// that sets the timeout of its probes; unanswered probes are retried up to
// max_retries. A refused connect is "closed/conn-refused", an accepted one
// "open/syn-ack", silence "filtered/no-response", ICMP errors surface as
// EHOSTUNREACH/ENETUNREACH and become "filtered/host-unreach|net-unreach".
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/results/scan_result.h"
#include "portolan/scan/scan_progress.h"
#include "portolan/scan/timing.h"
#include "portolan/targets/target_list.h"

namespace portolan {

enum class ConnectBackend { kAuto, kIoUring, kEpoll };

struct ConnectScanOptions {
  TimingParams timing;
  ConnectBackend backend = ConnectBackend::kAuto;
  // Worker threads, each with its own ring or epoll set and its own share of
  // the work; 0: one per hardware thread, at most 4. Small scans use fewer.
  int threads = 0;
  // Connects in flight per worker; also bounded by RLIMIT_NOFILE and by
  // timing.max_parallelism.
  int max_in_flight_per_thread = 4096;
  // Probes to IPv4 loopback targets leave from 127.0.0.3 and a source port
  // held for the socket's life (see probe_socket.h): faster, and immune to
  // self-connects. Off: the kernel picks source address and port, as nmap's.
  bool pin_loopback_sources = true;
  // When set (by a signal handler, say), a running scan() or discover() ends
  // early: hosts finished so far have been delivered, the others are dropped.
  const std::atomic<bool>* stop = nullptr;
};

class ConnectScanner {
 public:
  static Result<std::unique_ptr<ConnectScanner>> create(const ConnectScanOptions& options);
  virtual ~ConnectScanner() = default;

  // Which backend create() chose: "io_uring" or "epoll".
  virtual std::string_view backend_name() const = 0;

  // How many worker threads a large scan uses.
  virtual int threads() const = 0;

  // Scans `ports` (TCP, in the order given) on every host of `hosts`, probes
  // interleaved across hosts. `on_host` is called once per host as soon as
  // all its ports have a final state (or its host timeout expired), with
  // state, reason, times and every port filled; hostnames are copied from the
  // Target. `progress` is updated as the scan goes.
  virtual Result<void> scan(std::span<const Target> hosts, std::span<const uint16_t> ports,
                            const std::function<void(HostResult&&)>& on_host,
                            ScanProgress& progress) = 0;

  // Host discovery without privileges (nmap's unprivileged default): a
  // connect to TCP 80 and 443 on each host; any answer (accepted or refused)
  // means up. Loopback addresses are up with reason localhost-response.
  // Returns one HostResult per host (state up/down, reason, latency), in order.
  virtual Result<std::vector<HostResult>> discover(std::span<const Target> hosts,
                                                   ScanProgress& progress) = 0;
};

}  // namespace portolan
