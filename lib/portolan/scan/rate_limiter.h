// RateLimiter: the --max-rate cap, shared by every worker of a scan.
//
// GCRA (the "virtual scheduling" form of a token bucket): one atomic holds the
// theoretical arrival time of the next probe; taking a token advances it by
// 1/rate. That single word is the whole shared state, so workers need no lock,
// only a compare-and-swap per probe. Time is passed in, never read, so tests
// drive it explicitly.
#pragma once

#include <atomic>
#include <cstdint>

#include "portolan/scan/timing.h"

namespace portolan {

class RateLimiter {
 public:
  // `rate`: probes per second (> 0). `burst`: probes that may leave back to
  // back after an idle period (at least 1). Time starts at `start`.
  RateLimiter(double rate, uint32_t burst, Micros start = Micros{0});

  // Takes one token at `now` if the rate allows it and returns zero;
  // otherwise takes nothing and returns how long until a token is due (> 0).
  // Safe to call from several threads at once.
  Micros try_acquire(Micros now);

  double rate() const { return rate_; }

 private:
  double rate_;
  int64_t interval_ns_;
  int64_t tolerance_ns_;
  std::atomic<int64_t> tat_ns_;  // theoretical arrival time of the next token
};

// A rate limiter sized the way the scan engine uses it: a burst of about 10 ms
// worth of probes (so batching stays possible at high rates), at least 1.
uint32_t default_rate_burst(double rate);

}  // namespace portolan
