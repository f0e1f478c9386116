// ScanEngine: runs connect probes for a list of hosts x ports on worker threads.
//
// The engine behind ConnectScanner (see connect_scanner.cpp for the design
// essay). It knows addresses and port numbers, not Targets or HostResults:
// the caller gets one HostOutcome per host, on the calling thread, as soon as
// the host is finished. The clock and the kernel interface (ConnectIo) are
// injected, so tests can run the whole scheduler on a fake clock and a fake
// network.
#pragma once

#include <atomic>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"
#include "portolan/results/scan_result.h"
#include "portolan/scan/connect_io.h"
#include "portolan/scan/scan_clock.h"
#include "portolan/scan/scan_progress.h"
#include "portolan/scan/timing.h"

namespace portolan {

enum class ScanMode : uint8_t {
  kPorts,      // every port gets a final state
  kDiscovery,  // a host is finished at its first answer (connect ping)
};

struct EngineOptions {
  TimingParams timing;
  ConnectIoFactory io_factory;       // called once on each worker thread
  const ScanClock* clock = nullptr;  // required; must outlive the engine
  uint32_t threads = 1;              // upper bound; small jobs use fewer
  uint32_t max_in_flight_per_thread = 4096;
  uint32_t max_active_hosts = 0;     // hosts scanned at once; 0: max_hostgroup or 256
  bool pin_loopback_sources = true;  // see probe_socket.h
  uint64_t seed = 0;                 // source-port randomness; 0: from the clock
  // Set by another thread (Ctrl-C) to end the run early: workers stop at their
  // next loop turn; hosts already finished have been delivered, the rest are not.
  const std::atomic<bool>* stop = nullptr;
};

struct HostOutcome {
  uint32_t host_index = 0;        // into the `hosts` span given to run()
  std::vector<PortResult> ports;  // ports with a final state, ascending
  HostTimes times;                // -1 where not measured
  std::optional<Micros> latency;  // smoothed RTT when measured
  Micros start{0};                // engine clock
  Micros end{0};
  bool timed_out = false;  // host timeout expired; ports incomplete
  // Discovery: the first conclusive answer (accepted or refused), if any.
  bool answered = false;
  Reason answer_reason = Reason::kNoResponse;
  Micros answer_rtt{0};
  // Discovery: an ICMP-style error seen while nothing answered.
  std::optional<Reason> unreachable;
};

// Converts engine (monotonic) times to wall-clock times for the results.
struct WallAnchor {
  WallClock::time_point wall;
  Micros mono{0};
  static WallAnchor now(const ScanClock& clock) { return {WallClock::now(), clock.now()}; }
  WallClock::time_point at(Micros t) const {
    return wall + std::chrono::duration_cast<WallClock::duration>(t - mono);
  }
};

class ScanEngine {
 public:
  explicit ScanEngine(EngineOptions options);

  // Probes `ports` on every host. `on_host` runs on the calling thread, once
  // per host, in completion order. Fails if a worker cannot get a backend
  // or a socket family is unsupported; hosts finished before that were
  // already delivered. Holds 32 bytes per host of `hosts` for the whole run
  // (results only while a host is being scanned): callers feed very large
  // target lists in groups.
  Result<void> run(std::span<const IpAddress> hosts, std::span<const uint16_t> ports, ScanMode mode,
                   const std::function<void(HostOutcome&&)>& on_host, ScanProgress& progress);

  const EngineOptions& options() const { return options_; }

 private:
  EngineOptions options_;
};

}  // namespace portolan
