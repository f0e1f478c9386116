// EngineRun: what the worker threads of one ScanEngine::run() share.
//
// Almost nothing on the hot path: the read-only inputs, the --max-rate
// limiter (one atomic), and per host a countdown of unfinished shares. Each
// worker writes only its own ShareOutput of a host; the worker that finishes
// a host's last share hands the host index to the coordinating thread, whose
// acquire of the countdown makes every share's writes visible to it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "portolan/core/error.h"
#include "portolan/net/ip_address.h"
#include "portolan/results/scan_result.h"
#include "portolan/scan/rate_limiter.h"
#include "portolan/scan/rtt_estimator.h"
#include "portolan/scan/scan_engine.h"

namespace portolan {

// A port's final state; `done` false until it has one.
struct PortOutcome {
  bool done = false;
  PortState state = PortState::kFiltered;
  Reason reason = Reason::kNoResponse;
};

// One worker's part of one host: port indices first, first + stride, ...
struct ShareOutput {
  std::vector<PortOutcome> ports;  // by position within the share
  RttEstimator rtt;
  Micros start{0};
  Micros end{0};
  bool started = false;
  bool timed_out = false;
  bool answered = false;
  Reason answer_reason = Reason::kNoResponse;
  Micros answer_rtt{0};
  Micros answer_at{0};
  std::optional<Reason> unreachable;
};

struct SharedHost {
  std::atomic<uint32_t> shares_left{0};
  std::vector<ShareOutput> shares;  // one per worker when ports are split, else one
};

struct EngineRun {
  // Read-only while workers run.
  std::span<const IpAddress> hosts;
  std::span<const uint16_t> ports;
  ScanMode mode = ScanMode::kPorts;
  const EngineOptions* options = nullptr;
  uint32_t threads = 1;
  bool split_ports =
      false;  // true: every worker takes every host, port i goes to worker i % threads
  int max_retries = 0;
  uint32_t slots_per_worker = 1;
  uint32_t active_hosts_per_worker = 1;
  RateLimiter* rate = nullptr;  // --max-rate, shared; null when unlimited
  ScanProgress* progress = nullptr;
  std::unique_ptr<SharedHost[]> host_state;

  std::atomic<bool> abort{false};

  // Finished hosts and worker exits, for the coordinating thread.
  std::mutex mu;
  std::condition_variable cv;
  std::vector<uint32_t> finished;
  uint32_t workers_running = 0;
  std::optional<Error> error;

  void host_share_done(uint32_t host) {
    if (host_state[host].shares_left.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    {
      std::lock_guard<std::mutex> lock(mu);
      finished.push_back(host);
    }
    cv.notify_one();
  }

  void fail(Error e) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!error) error = std::move(e);
    }
    abort.store(true, std::memory_order_relaxed);
  }

  void worker_exited() {
    {
      std::lock_guard<std::mutex> lock(mu);
      --workers_running;
    }
    cv.notify_one();
  }
};

}  // namespace portolan
