#include "portolan/scan/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace portolan {
namespace {

TEST(RateLimiterTest, SpacesTokensByOneOverRate) {
  RateLimiter r(100, 1, Micros(0));  // one token per 10 ms
  EXPECT_EQ(r.try_acquire(Micros(0)), Micros(0));
  EXPECT_EQ(r.try_acquire(Micros(0)), Micros(10'000));
  EXPECT_EQ(r.try_acquire(Micros(4'000)), Micros(6'000));
  EXPECT_EQ(r.try_acquire(Micros(10'000)), Micros(0));
  EXPECT_EQ(r.try_acquire(Micros(10'001)), Micros(9'999));
}

TEST(RateLimiterTest, BurstAllowsBackToBackThenPaces) {
  RateLimiter r(1000, 5, Micros(0));  // 1 ms interval, burst of 5
  for (int i = 0; i < 5; ++i) EXPECT_EQ(r.try_acquire(Micros(0)), Micros(0)) << i;
  EXPECT_GT(r.try_acquire(Micros(0)), Micros(0));
  EXPECT_EQ(r.try_acquire(Micros(1'000)), Micros(0));
}

TEST(RateLimiterTest, IdleTimeDoesNotAccumulateBeyondBurst) {
  RateLimiter r(1000, 3, Micros(0));
  // After a long pause only the burst is available, not a second's worth.
  int granted = 0;
  for (int i = 0; i < 100; ++i) {
    if (r.try_acquire(Micros(5'000'000)) == Micros(0)) ++granted;
  }
  EXPECT_EQ(granted, 3);
}

TEST(RateLimiterTest, LongRunRateMatches) {
  RateLimiter r(200, 2, Micros(0));
  // Simulate a sender that retries exactly when told: 200 tokens/s means
  // 1000 tokens take about 5 s of simulated time.
  Micros now(0);
  for (int i = 0; i < 1000; ++i) {
    for (int guard = 0; guard < 10; ++guard) {
      Micros wait = r.try_acquire(now);
      if (wait == Micros(0)) break;
      now += wait;
    }
  }
  EXPECT_GE(now, Micros(4'985'000));
  EXPECT_LE(now, Micros(5'000'000));
}

TEST(RateLimiterTest, SharedAcrossThreadsNeverOverGrants) {
  RateLimiter r(1000, 10, Micros(0));
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (r.try_acquire(Micros(50'000)) == Micros(0)) granted.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  // At a fixed instant only the burst can be granted, whoever asks.
  EXPECT_EQ(granted.load(), 10);
}

TEST(RateLimiterTest, DefaultBurstIsAboutTenMilliseconds) {
  EXPECT_EQ(default_rate_burst(10), 1u);
  EXPECT_EQ(default_rate_burst(200), 2u);
  EXPECT_EQ(default_rate_burst(10'000), 100u);
  EXPECT_EQ(default_rate_burst(1e9), 256u);
}

}  // namespace
}  // namespace portolan
