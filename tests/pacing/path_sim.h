// PathSim: a simulated network path and sender loop for rate-control tests.
//
// The path has a bottleneck of `capacity_pps` with a queue of `buffer_us` at
// that capacity (probes that find it full are lost: congestion), a base reply
// ratio b, random loss p of a probe/reply pair, and a round trip of rtt_us plus
// a uniform jitter plus the queueing delay. Replies are handed to the
// controller in time order on a 10 us grid. Time is simulated: nothing sleeps.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "portolan/pacing/rate_controller.h"

namespace portolan::testing {

struct PathConfig {
  double capacity_pps = std::numeric_limits<double>::infinity();
  double buffer_us = 2'000;
  double reply_ratio = 0.3;  // b
  double loss = 0;           // p
  int64_t rtt_us = 20'000;
  int64_t jitter_us = 4'000;
};

class PathSim {
 public:
  static constexpr int64_t kGridUs = 10;

  PathSim(const PathConfig& config, uint64_t seed) : config_(config), rng_(seed | 1) {
    // Room for the longest delay: base RTT, jitter and a full queue.
    const int64_t longest = config.rtt_us + config.jitter_us + 4 * int64_t{1'000'000};
    ring_.assign(static_cast<size_t>(longest / kGridUs + 16), 0);
  }

  // Changes capacity, ratio or loss mid-run (not the RTT).
  void reconfigure(double capacity_pps, double reply_ratio, double loss) {
    config_.capacity_pps = capacity_pps;
    config_.reply_ratio = reply_ratio;
    config_.loss = loss;
  }

  // `n` probes leave at now_us.
  void send(uint64_t n, int64_t now_us) {
    const double c = config_.capacity_pps;
    const bool bottleneck = c < std::numeric_limits<double>::infinity();
    if (bottleneck) {
      queue_ = std::max(0.0, queue_ - c * static_cast<double>(now_us - queue_time_us_) * 1e-6);
    }
    queue_time_us_ = now_us;
    const double buffer = bottleneck ? std::max(1.0, c * config_.buffer_us * 1e-6) : 0;
    for (uint64_t i = 0; i < n; ++i) {
      ++sent_;
      double queue_delay_us = 0;
      if (bottleneck) {
        if (queue_ + 1 > buffer) {
          ++congestion_drops_;
          continue;
        }
        queue_delay_us = queue_ / c * 1e6;
        queue_ += 1;
      }
      if (uniform() >= config_.reply_ratio) continue;
      if (uniform() < config_.loss) {
        ++random_losses_;
        continue;
      }
      const auto jitter = static_cast<int64_t>(uniform() * static_cast<double>(config_.jitter_us));
      const int64_t arrival =
          now_us + config_.rtt_us + jitter + static_cast<int64_t>(queue_delay_us);
      ring_[slot(std::max(arrival / kGridUs, next_bucket_))] += 1;
    }
  }

  // Hands every reply due by now_us to `rc`, each at its own arrival time.
  void deliver_until(int64_t now_us, RateController& rc) {
    for (; next_bucket_ <= now_us / kGridUs; ++next_bucket_) {
      uint64_t& count = ring_[slot(next_bucket_)];
      if (count == 0) continue;
      rc.on_replies(count, next_bucket_ * kGridUs);
      replies_ += count;
      count = 0;
    }
  }

  uint64_t sent() const { return sent_; }
  uint64_t congestion_drops() const { return congestion_drops_; }
  uint64_t random_losses() const { return random_losses_; }
  uint64_t replies() const { return replies_; }

 private:
  size_t slot(int64_t bucket) const { return static_cast<size_t>(bucket) % ring_.size(); }

  double uniform() {
    // xorshift64*: plenty for a simulation, and fast in a Debug build.
    rng_ ^= rng_ >> 12;
    rng_ ^= rng_ << 25;
    rng_ ^= rng_ >> 27;
    return static_cast<double>((rng_ * 0x2545F4914F6CDD1DULL) >> 11) * 0x1.0p-53;
  }

  PathConfig config_;
  uint64_t rng_;
  std::vector<uint64_t> ring_;
  int64_t next_bucket_ = 0;
  double queue_ = 0;
  int64_t queue_time_us_ = 0;
  uint64_t sent_ = 0;
  uint64_t congestion_drops_ = 0;
  uint64_t random_losses_ = 0;
  uint64_t replies_ = 0;
};

// What a sender loop saw.
struct SenderRun {
  int64_t end_us = 0;
  uint64_t sent = 0;
  uint32_t largest_allowance = 0;
  double lowest_rate = std::numeric_limits<double>::infinity();
  double highest_rate = 0;
  std::vector<uint64_t> sent_per_10ms;  // from time 0

  // Probes per second actually sent in [from_us, to_us).
  double average_rate(int64_t from_us, int64_t to_us) const {
    uint64_t total = 0;
    const auto first = static_cast<size_t>(from_us / 10'000);
    const auto last = std::min(static_cast<size_t>(to_us / 10'000), sent_per_10ms.size());
    for (size_t i = first; i < last; ++i) total += sent_per_10ms[i];
    const double span_s = static_cast<double>(last - std::min(first, last)) * 0.01;
    return span_s > 0 ? static_cast<double>(total) / span_s : 0;
  }
};

// The engine's sender loop in miniature: send what allowance() grants, in
// batches, and otherwise jump to next_send_time(). Runs from `run.end_us`
// until `until_us` or until `probes` have left.
inline void run_sender(RateController& rc, PathSim& path, SenderRun& run, int64_t until_us,
                       uint64_t probes = std::numeric_limits<uint64_t>::max()) {
  int64_t now = run.end_us;
  uint64_t left = probes;
  while (now < until_us && left > 0) {
    path.deliver_until(now, rc);
    const double rate = rc.rate();
    run.lowest_rate = std::min(run.lowest_rate, rate);
    run.highest_rate = std::max(run.highest_rate, rate);
    const uint32_t grant = rc.allowance(now);
    run.largest_allowance = std::max(run.largest_allowance, grant);
    if (grant > 0) {
      const uint64_t n = std::min<uint64_t>(grant, left);
      path.send(n, now);
      rc.on_sent(n, now);
      left -= n;
      run.sent += n;
      const auto bin = static_cast<size_t>(now / 10'000);
      if (run.sent_per_10ms.size() <= bin) run.sent_per_10ms.resize(bin + 1, 0);
      run.sent_per_10ms[bin] += n;
      continue;
    }
    now = std::max(now + 1, rc.next_send_time(now));
  }
  run.end_us = now;
}

}  // namespace portolan::testing
