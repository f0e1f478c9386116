// RawSweep: one stateless sweep of hosts x probe specs through the raw engine.
//
// The engine's inner loop (the design essay is at the top of raw_sweep.cpp).
// A sweep owns nothing of the link: the scanner hands it a SweepLink (sender,
// receiver, templates, cookie, our address and source ports) that lives as
// long as the scanner, and gets back a ReplyTable with one entry per
// (host, spec) plus per-host round-trip times.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/link/frame_io_linux.h"
#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"
#include "portolan/packet/probe_template.h"
#include "portolan/scan/probe_spec.h"
#include "portolan/scan/reply_classifier.h"
#include "portolan/scan/rtt_estimator.h"
#include "portolan/scan/scan_progress.h"
#include "portolan/scan/timing.h"
#include "portolan/sweep/probe_cookie.h"
#include "portolan/sweep/reply_table.h"
#include "portolan/sweep/shard.h"

namespace portolan {

// Counters across sweeps (the scanner sums them for stats and -d).
struct SweepCounters {
  std::atomic<uint64_t> frames_sent{0};
  std::atomic<uint64_t> frames_received{0};
  std::atomic<uint64_t> replies_valid{0};
  std::atomic<uint64_t> replies_invalid{0};
  std::atomic<uint64_t> frames_malformed{0};
  std::atomic<uint64_t> ring_drops{0};
  std::atomic<uint64_t> peak_rate{0};
};

struct SweepRequest {
  std::span<const IpAddress> hosts;
  std::span<const MacAddress> next_hop;  // per host; all zero on loopback
  std::vector<ProbeSpec> specs;          // ignored when link_probe is set
  LinkProbe link_probe = LinkProbe::kNone;
  TimingParams timing;
  uint64_t seed = 0;
  Shard shard;
  // Progress: count each answered or given-up port probe (port scans only).
  bool count_ports = false;
  const std::atomic<bool>* stop = nullptr;
  // -d: a summary line per sweep.
  std::function<void(const std::string&)> debug;
};

struct SweepOutcome {
  explicit SweepOutcome(ReplyTable t) : table(std::move(t)) {}
  ReplyTable table;  // element = spec * hosts + host
  uint64_t hosts = 0, specs = 0;
  // Shard membership: whether this shard sent element e (sharded sweeps only).
  std::function<bool(uint64_t)> in_shard;
  std::vector<uint32_t> rtt_us;         // per host: smallest RTT seen, 0 if none
  std::vector<MacAddress> learned_mac;  // per host, from ARP / NA replies (link sweeps)
  RttEstimator rtt;                     // over the whole sweep
  bool interrupted = false;
};

// Runs one sweep to the end (all rounds). Rate and RTT state persist in
// `pace` across sweeps of one scanner.
class SweepPacer;
Result<SweepOutcome> run_sweep(const SweepLink& link, const SweepRequest& request, SweepPacer& pace,
                               SweepCounters& counters, ScanProgress& progress);

// Owns the rate controller and the RTT estimate across sweeps.
class SweepPacer {
 public:
  explicit SweepPacer(const TimingParams& timing);
  ~SweepPacer();
  SweepPacer(const SweepPacer&) = delete;
  SweepPacer& operator=(const SweepPacer&) = delete;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace portolan
