// RawScanner: the raw-packet engine (-sS, -sU, privileged host discovery).
//
// It sends hand-built frames through an AF_PACKET socket and reads replies
// from a TPACKET_V3 ring, keeping no per-probe state: every probe carries a
// keyed hash of its 4-tuple (see sweep/probe_cookie.h) and a reply is checked
// against it. A host group is swept as hosts x probe specs in the order of a
// keyed random permutation (sweep/permutation.h), so no host sees a burst;
// probes still unanswered are retransmitted in later rounds, and the rate
// follows pacing/rate_controller.h, which tells random loss from congestion.
// The design essay is at the top of raw_sweep.cpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/results/scan_result.h"
#include "portolan/scan/probe_spec.h"
#include "portolan/scan/scan_progress.h"
#include "portolan/scan/timing.h"
#include "portolan/targets/target_list.h"

namespace portolan {

struct RawScanOptions {
  TimingParams timing;
  std::string interface_name;       // -e: empty to follow the routing table
  std::optional<IpAddress> source;  // -S: empty to use the route's source
  uint64_t seed = 0;                // probe order (nmap's --seed)
  uint32_t shard_index = 1;         // --shard I/N, 1-based
  uint32_t shard_count = 1;
  // The probe cookie's key; a resumed scan reuses the original key so late
  // replies still validate. Zero: a random key.
  uint64_t cookie_k0 = 0, cookie_k1 = 0;
  // Host discovery probes for discover(); ARP / neighbour discovery is used
  // instead for targets on the local segment.
  std::vector<ProbeSpec> discovery;
  // Where notices go (a warning that the kernel guard is unavailable, say).
  std::function<void(const std::string&)> notice;
  bool debug = false;  // -d: a summary of every sweep through `notice`
  const std::atomic<bool>* stop = nullptr;
};

// Counters of one scanner's life, for -d output and tests.
struct RawScanStats {
  uint64_t frames_sent = 0;
  uint64_t frames_received = 0;
  uint64_t replies_valid = 0;
  uint64_t replies_invalid = 0;  // failed the cookie check: stray or forged
  uint64_t frames_malformed = 0;
  uint64_t ring_drops = 0;
  double peak_rate = 0;
};

class RawScanner {
 public:
  static Result<std::unique_ptr<RawScanner>> create(const RawScanOptions& options);
  virtual ~RawScanner() = default;

  // SYN-scans `tcp_ports` and UDP-scans `udp_ports` on every host; `on_host`
  // gets each host's result once the sweep is finished, in host order. Hosts
  // with no probe in this shard are not reported.
  virtual Result<void> scan(std::span<const Target> hosts, std::span<const uint16_t> tcp_ports,
                            std::span<const uint16_t> udp_ports,
                            const std::function<void(HostResult&&)>& on_host,
                            ScanProgress& progress) = 0;

  // Host discovery: one HostResult per host, in order (state, reason, TTL,
  // latency). Loopback addresses are up (localhost-response).
  virtual Result<std::vector<HostResult>> discover(std::span<const Target> hosts,
                                                   ScanProgress& progress) = 0;

  virtual RawScanStats stats() const = 0;
  // The cookie key in use, for a checkpoint.
  virtual std::pair<uint64_t, uint64_t> cookie_key() const = 0;
};

}  // namespace portolan
