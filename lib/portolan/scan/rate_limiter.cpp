// GCRA rate limiting for --max-rate; see rate_limiter.h.
#include "portolan/scan/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace portolan {

RateLimiter::RateLimiter(double rate, uint32_t burst, Micros start)
    : rate_(rate),
      interval_ns_(std::max<int64_t>(1, std::llround(1e9 / std::max(rate, 1e-9)))),
      tolerance_ns_(interval_ns_ * (static_cast<int64_t>(std::max<uint32_t>(burst, 1)) - 1)),
      tat_ns_(start.count() * 1000) {}

Micros RateLimiter::try_acquire(Micros now) {
  const int64_t now_ns = now.count() * 1000;
  int64_t tat = tat_ns_.load(std::memory_order_relaxed);
  // Each failed exchange means another worker took a token meanwhile; the
  // bound only guards against pathological contention.
  for (int attempt = 0; attempt < 64; ++attempt) {
    const int64_t start = std::max(tat, now_ns);
    const int64_t early_by = start - now_ns - tolerance_ns_;
    if (early_by > 0) return Micros{(early_by + 999) / 1000};
    if (tat_ns_.compare_exchange_weak(tat, start + interval_ns_, std::memory_order_relaxed)) {
      return Micros{0};
    }
  }
  return Micros{1};
}

uint32_t default_rate_burst(double rate) {
  return static_cast<uint32_t>(std::clamp(rate / 100.0, 1.0, 256.0));
}

}  // namespace portolan
