#include "portolan/pacing/rate_controller.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "path_sim.h"

namespace portolan {
namespace {

using testing::PathConfig;
using testing::PathSim;
using testing::run_sender;
using testing::SenderRun;

constexpr double kInf = std::numeric_limits<double>::infinity();

RateController make(double min_rate, double max_rate, double start_rate, int64_t now_us = 0) {
  auto rc = RateController::create(RateLimits{min_rate, max_rate, start_rate}, now_us);
  EXPECT_TRUE(rc.has_value());
  return std::move(*rc);
}

void print_run(const char* name, const RateController& rc, const PathSim& path,
               const SenderRun& run, int64_t from_us) {
  const RateStats s = rc.stats();
  std::printf(
      "[%s] avg %.0f pps over [%.1fs, %.1fs), rate now %.0f (%s), ceiling %.0f, ref ratio %.3f, "
      "sent %llu, congestion drops %.2f%%, backoffs %llu, rebases %llu, steps %llu\n",
      name, run.average_rate(from_us, run.end_us), static_cast<double>(from_us) * 1e-6,
      static_cast<double>(run.end_us) * 1e-6, s.rate, std::string(rate_phase_name(s.phase)).c_str(),
      s.ceiling_estimate, s.reference_ratio, static_cast<unsigned long long>(path.sent()),
      100.0 * static_cast<double>(path.congestion_drops()) / static_cast<double>(path.sent()),
      static_cast<unsigned long long>(s.backoffs), static_cast<unsigned long long>(s.rebases),
      static_cast<unsigned long long>(s.steps_judged));
}

// --- the statistical test ---

TEST(RatioVerdictTest, SameRatioAtDifferentSampleSizesIsSame) {
  EXPECT_EQ(ratio_verdict(10'000, 3'000, 1'000, 300, 0.03, 3, 20), RatioVerdict::kSame);
  EXPECT_EQ(ratio_verdict(10'000, 3'000, 1'000, 280, 0.03, 3, 20), RatioVerdict::kSame);
}

TEST(RatioVerdictTest, SignificantDropIsLower) {
  EXPECT_EQ(ratio_verdict(10'000, 3'000, 10'000, 2'400, 0.03, 3, 20), RatioVerdict::kLower);
}

TEST(RatioVerdictTest, SameDropOnFewSamplesIsNotSignificant) {
  // 30% -> 20% on 100 probes each is well within chance.
  EXPECT_EQ(ratio_verdict(100, 30, 100, 20, 0.03, 3, 20), RatioVerdict::kSame);
}

TEST(RatioVerdictTest, ToleranceAbsorbsTinyDropsOnHugeSamples) {
  // 2% lower on a million probes is statistically real but within tolerance.
  EXPECT_EQ(ratio_verdict(1e6, 3e5, 1e6, 2.94e5, 0.03, 3, 20), RatioVerdict::kSame);
  EXPECT_EQ(ratio_verdict(1e6, 3e5, 1e6, 2.94e5, 0.0, 3, 20), RatioVerdict::kLower);
}

TEST(RatioVerdictTest, SignificantRiseIsHigher) {
  EXPECT_EQ(ratio_verdict(10'000, 3'000, 10'000, 3'600, 0.03, 3, 20), RatioVerdict::kHigher);
}

TEST(RatioVerdictTest, RareRepliesGiveNoSignal) {
  EXPECT_EQ(ratio_verdict(1'000, 5, 1'000, 0, 0.03, 3, 20), RatioVerdict::kNoSignal);
  EXPECT_EQ(ratio_verdict(100'000, 100, 1'000, 0, 0.03, 3, 20), RatioVerdict::kNoSignal);
  EXPECT_EQ(ratio_verdict(1'000, 0, 1'000, 0, 0.03, 3, 20), RatioVerdict::kNoSignal);
}

TEST(RatioVerdictTest, NothingSentIsNoData) {
  EXPECT_EQ(ratio_verdict(0, 0, 1'000, 300, 0.03, 3, 20), RatioVerdict::kNoData);
  EXPECT_EQ(ratio_verdict(1'000, 300, 0, 0, 0.03, 3, 20), RatioVerdict::kNoData);
  EXPECT_EQ(ratio_verdict(-5, 300, 1'000, 300, 0.03, 3, 20), RatioVerdict::kNoData);
}

TEST(RatioVerdictTest, NonsenseCountsStillGiveAVerdict) {
  // More replies than probes (duplicates) count as every probe answered.
  EXPECT_EQ(ratio_verdict(1'000, 5'000, 1'000, 2'000, 0.03, 3, 20), RatioVerdict::kSame);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(ratio_verdict(nan, 300, 1'000, 300, 0.03, 3, 20), RatioVerdict::kNoData);
}

// --- construction ---

TEST(RateControllerTest, CreateRejectsBadLimits) {
  EXPECT_FALSE(RateController::create(RateLimits{0, 100, 10}, 0).has_value());
  EXPECT_FALSE(RateController::create(RateLimits{-1, 100, 10}, 0).has_value());
  EXPECT_FALSE(RateController::create(RateLimits{100, 10, 10}, 0).has_value());
  EXPECT_FALSE(RateController::create(RateLimits{1, kInf, 10}, 0).has_value());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(RateController::create(RateLimits{nan, 100, 10}, 0).has_value());
  auto bad = RateController::create(RateLimits{100, 10, 10}, 0);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("--max-rate"), std::string::npos);
}

TEST(RateControllerTest, StartRateIsClampedIntoTheLimits) {
  EXPECT_DOUBLE_EQ(make(100, 1'000, 10).rate(), 100);
  EXPECT_DOUBLE_EQ(make(100, 1'000, 1e9).rate(), 1'000);
  EXPECT_DOUBLE_EQ(make(100, 1'000, std::numeric_limits<double>::quiet_NaN()).rate(), 100);
  EXPECT_EQ(make(100, 1'000, 500).stats().phase, RatePhase::kStartup);
}

// --- pacing ---

TEST(RateControllerPacingTest, AllowanceIsAtMostABatch) {
  RateController rc = make(1e6, 1e6, 1e6);  // fixed rate
  for (int64_t now = 0; now < 100'000; now += 997) {
    const uint32_t grant = rc.allowance(now);
    EXPECT_LE(grant, RateController::kMaxBatch);
    rc.on_sent(grant, now);
  }
}

TEST(RateControllerPacingTest, IdleCreditIsBoundedToAboutAMillisecond) {
  for (double rate : {100.0, 10'000.0, 1e6}) {
    RateController rc = make(rate, rate, rate);
    const int64_t later = 10'000'000;  // 10 s of idleness
    uint64_t burst = 0;
    for (int i = 0; i < 100'000; ++i) {
      const uint32_t grant = rc.allowance(later);
      if (grant == 0) break;
      rc.on_sent(grant, later);
      burst += grant;
    }
    const double cap = std::max<double>(rc.batch_size(), rate * 1e-3);
    EXPECT_LE(static_cast<double>(burst), cap) << rate;
    EXPECT_GE(burst, 1u) << rate;
  }
}

TEST(RateControllerPacingTest, NextSendTimeWaitsForABatchAndNeverSleepsLong) {
  RateController fast = make(1e6, 1e6, 1e6);
  while (uint32_t grant = fast.allowance(0)) fast.on_sent(grant, 0);
  const int64_t wake = fast.next_send_time(0);
  EXPECT_GT(wake, 0);
  EXPECT_LE(wake, 100);  // 64 probes at 1M pps: 64 us
  EXPECT_GE(fast.allowance(wake), fast.batch_size());

  RateController slow = make(1, 1, 1);
  while (uint32_t grant = slow.allowance(0)) slow.on_sent(grant, 0);
  EXPECT_EQ(slow.next_send_time(0), 50'000);  // 1 s away, capped
}

TEST(RateControllerPacingTest, FixedRateIsHeldOverTime) {
  RateController rc = make(10'000, 10'000, 10'000);
  PathSim path(PathConfig{}, 1);
  SenderRun run;
  run_sender(rc, path, run, 1'000'000);
  EXPECT_NEAR(static_cast<double>(run.sent), 10'000, 10'000 * 0.01);
}

// --- the control loop on a simulated path ---

struct Scenario {
  PathConfig path;
  RateLimits limits{100, 1e6, 10'000};
  int64_t set_rtt_us = -1;  // -1: the path's RTT plus half the jitter; 0: never set
  int64_t duration_us = 6'000'000;
  // Optionally, at change_at_us the path becomes {capacity, ratio, loss}.
  int64_t change_at_us = -1;
  double capacity_after = kInf;
  double ratio_after = 0.3;
  double loss_after = 0;
  uint64_t seed = 7;
};

struct Outcome {
  SenderRun run;
  RateStats stats;
  double congestion_loss = 0;  // fraction of probes dropped at the bottleneck
};

Outcome simulate(const Scenario& sc, const char* name, int64_t report_from_us) {
  auto created = RateController::create(sc.limits, 0);
  EXPECT_TRUE(created.has_value());
  RateController rc = std::move(*created);
  if (sc.set_rtt_us != 0) {
    rc.set_rtt(sc.set_rtt_us > 0 ? sc.set_rtt_us : sc.path.rtt_us + sc.path.jitter_us / 2);
  }
  PathSim path(sc.path, sc.seed);
  Outcome out;
  if (sc.change_at_us > 0) {
    run_sender(rc, path, out.run, sc.change_at_us);
    path.reconfigure(sc.capacity_after, sc.ratio_after, sc.loss_after);
  }
  run_sender(rc, path, out.run, sc.duration_us);
  out.stats = rc.stats();
  out.congestion_loss = static_cast<double>(path.congestion_drops()) /
                        std::max(1.0, static_cast<double>(path.sent()));
  print_run(name, rc, path, out.run, report_from_us);
  EXPECT_GE(out.run.lowest_rate, sc.limits.min_rate);
  EXPECT_LE(out.run.highest_rate, sc.limits.max_rate);
  EXPECT_LE(out.run.largest_allowance, RateController::kMaxBatch);
  return out;
}

TEST(RateControllerSimTest, RandomLossDoesNotSlowTheScan) {
  Scenario sc;
  sc.path.loss = 0.02;
  const Outcome out = simulate(sc, "loss 2%, no bottleneck", 2'000'000);
  EXPECT_GE(out.run.average_rate(2'000'000, sc.duration_us), 0.9 * sc.limits.max_rate);
  EXPECT_DOUBLE_EQ(out.stats.rate, sc.limits.max_rate);
  EXPECT_EQ(out.stats.backoffs, 0u);
}

TEST(RateControllerSimTest, HeavyRandomLossDoesNotSlowTheScanEither) {
  Scenario sc;
  sc.path.loss = 0.3;
  const Outcome out = simulate(sc, "loss 30%, no bottleneck", 2'000'000);
  EXPECT_GE(out.run.average_rate(2'000'000, sc.duration_us), 0.9 * sc.limits.max_rate);
}

TEST(RateControllerSimTest, SettlesNearCapacity) {
  Scenario sc;
  sc.path.capacity_pps = 200'000;
  const Outcome out = simulate(sc, "capacity 200k", 2'000'000);
  const double avg = out.run.average_rate(2'000'000, sc.duration_us);
  EXPECT_GE(avg, 0.6 * 200'000);
  EXPECT_LE(avg, 1.15 * 200'000);
  EXPECT_LT(out.congestion_loss, 0.04);
}

TEST(RateControllerSimTest, SettlesNearCapacityUnderRandomLoss) {
  Scenario sc;
  sc.path.capacity_pps = 200'000;
  sc.path.loss = 0.02;
  const Outcome out = simulate(sc, "capacity 200k, loss 2%", 2'000'000);
  const double avg = out.run.average_rate(2'000'000, sc.duration_us);
  EXPECT_GE(avg, 0.6 * 200'000);
  EXPECT_LE(avg, 1.15 * 200'000);
  EXPECT_LT(out.congestion_loss, 0.04);
}

TEST(RateControllerSimTest, DeepBufferCongestionIsSeenBeforeDrops) {
  // With 50 ms of queue the bottleneck delays before it drops; the reply
  // arrival rate stops growing all the same.
  Scenario sc;
  sc.path.capacity_pps = 200'000;
  sc.path.buffer_us = 50'000;
  const Outcome out = simulate(sc, "capacity 200k, 50 ms buffer", 2'000'000);
  const double avg = out.run.average_rate(2'000'000, sc.duration_us);
  EXPECT_GE(avg, 0.6 * 200'000);
  EXPECT_LE(avg, 1.15 * 200'000);
  EXPECT_LT(out.congestion_loss, 0.04);
}

TEST(RateControllerSimTest, UnknownRttStillSettles) {
  // The engine never calls set_rtt: the 100 ms default guard is merely slow.
  Scenario sc;
  sc.path.capacity_pps = 200'000;
  sc.set_rtt_us = 0;
  const Outcome out = simulate(sc, "capacity 200k, srtt never set", 2'000'000);
  const double avg = out.run.average_rate(2'000'000, sc.duration_us);
  EXPECT_GE(avg, 0.6 * 200'000);
  EXPECT_LE(avg, 1.15 * 200'000);
  // Each step lasts 250 ms instead of 55, so each one above the capacity
  // loses more (4-5% typically, 11% in the worst of 100 seeds).
  EXPECT_LT(out.congestion_loss, 0.12);
}

TEST(RateControllerSimTest, LanPathSettlesNearCapacity) {
  Scenario sc;
  sc.path.rtt_us = 500;
  sc.path.jitter_us = 200;
  sc.path.buffer_us = 1'000;
  sc.path.capacity_pps = 500'000;
  sc.duration_us = 3'000'000;
  const Outcome out = simulate(sc, "LAN, capacity 500k", 1'000'000);
  const double avg = out.run.average_rate(1'000'000, sc.duration_us);
  EXPECT_GE(avg, 0.6 * 500'000);
  EXPECT_LE(avg, 1.15 * 500'000);
  EXPECT_LT(out.congestion_loss, 0.04);
}

TEST(RateControllerSimTest, RareRepliesStillFindCapacity) {
  // 2% of probes answered: steps grow to hold enough replies.
  Scenario sc;
  sc.path.capacity_pps = 200'000;
  sc.path.reply_ratio = 0.02;
  sc.duration_us = 10'000'000;
  const Outcome out = simulate(sc, "capacity 200k, reply ratio 2%", 3'000'000);
  const double avg = out.run.average_rate(3'000'000, sc.duration_us);
  EXPECT_GE(avg, 0.6 * 200'000);
  EXPECT_LE(avg, 1.15 * 200'000);
  // Steps are 15 times longer than at a 30% ratio, so each probe above the
  // capacity costs more; over a longer scan the spacing between probes grows.
  EXPECT_LT(out.congestion_loss, 0.1);
}

TEST(RateControllerSimTest, EmptyAddressSpaceClimbsToMaxRate) {
  Scenario sc;
  sc.path.reply_ratio = 0;
  const Outcome out = simulate(sc, "no replies", 5'000'000);
  EXPECT_FALSE(out.stats.has_signal);
  EXPECT_DOUBLE_EQ(out.stats.rate, sc.limits.max_rate);
  EXPECT_GE(out.run.average_rate(5'000'000, sc.duration_us), 0.95 * sc.limits.max_rate);
}

TEST(RateControllerSimTest, LossThatGrowsMidScanIsRebasedNotObeyed) {
  // Random loss jumps from 0 to 20% at 3 s: the ratio drops at every rate, so
  // after at most a brief back-off the controller returns to full speed.
  Scenario sc;
  sc.limits.max_rate = 300'000;
  sc.duration_us = 8'000'000;
  sc.change_at_us = 3'000'000;
  sc.loss_after = 0.2;
  const Outcome out = simulate(sc, "loss 0 -> 20% at 3 s", 5'000'000);
  EXPECT_GE(out.run.average_rate(5'000'000, sc.duration_us), 0.9 * sc.limits.max_rate);
  EXPECT_LE(out.stats.backoffs, out.stats.rebases + 1);
  EXPECT_NEAR(out.stats.reference_ratio, 0.3 * 0.8, 0.03);
}

TEST(RateControllerSimTest, CapacityThatShrinksMidScanIsFollowed) {
  Scenario sc;
  sc.duration_us = 8'000'000;
  sc.change_at_us = 3'000'000;
  sc.capacity_after = 200'000;
  const Outcome out = simulate(sc, "capacity inf -> 200k at 3 s", 4'000'000);
  const double avg = out.run.average_rate(4'000'000, sc.duration_us);
  EXPECT_GE(avg, 0.6 * 200'000);
  EXPECT_LE(avg, 1.15 * 200'000);
}

TEST(RateControllerSimTest, CapacityThatGrowsMidScanIsFound) {
  Scenario sc;
  sc.duration_us = 8'000'000;
  sc.path.capacity_pps = 100'000;
  sc.change_at_us = 3'000'000;
  sc.capacity_after = 400'000;
  const Outcome out = simulate(sc, "capacity 100k -> 400k at 3 s", 5'000'000);
  const double avg = out.run.average_rate(5'000'000, sc.duration_us);
  EXPECT_GE(avg, 0.6 * 400'000);
  EXPECT_LE(avg, 1.15 * 400'000);
}

TEST(RateControllerSimTest, MinRateIsHonouredEvenWhenCongested) {
  // The user asked for at least 300k on a 200k path: that is what they get.
  Scenario sc;
  sc.limits = RateLimits{300'000, 1e6, 300'000};
  sc.path.capacity_pps = 200'000;
  sc.duration_us = 3'000'000;
  const Outcome out = simulate(sc, "min-rate 300k above capacity 200k", 1'000'000);
  EXPECT_GE(out.run.lowest_rate, 300'000);
}

TEST(RateControllerSimTest, LowMaxRateIsHeld) {
  Scenario sc;
  sc.limits = RateLimits{10, 5'000, 100};
  sc.duration_us = 10'000'000;
  const Outcome out = simulate(sc, "max-rate 5k", 5'000'000);
  EXPECT_NEAR(out.run.average_rate(5'000'000, sc.duration_us), 5'000, 5'000 * 0.02);
}

// --- local drops ---

TEST(RateControllerTest, LocalDropsBackOffOncePerRoundTrip) {
  RateController rc = make(100, 1e6, 100'000);
  rc.set_rtt(1'000);  // guard: 1.5 ms
  rc.on_local_drops(10, 1'000);
  EXPECT_NEAR(rc.rate(), 70'000, 1);
  EXPECT_EQ(rc.stats().local_drop_backoffs, 1u);
  EXPECT_EQ(rc.stats().phase, RatePhase::kCruise);
  rc.on_local_drops(10, 1'500);  // the same overflow, still draining
  EXPECT_NEAR(rc.rate(), 70'000, 1);
  rc.on_local_drops(10, 3'000);  // still overflowing a round trip later
  EXPECT_NEAR(rc.rate(), 49'000, 1);
  rc.on_local_drops(0, 10'000);  // nothing dropped: nothing to do
  EXPECT_NEAR(rc.rate(), 49'000, 1);
  EXPECT_EQ(rc.stats().local_drop_backoffs, 2u);
}

TEST(RateControllerTest, LocalDropsNeverGoBelowMinRate) {
  RateController rc = make(60'000, 1e6, 100'000);
  rc.on_local_drops(1, 0);
  EXPECT_DOUBLE_EQ(rc.rate(), 70'000);
  rc.on_local_drops(1, 1'000'000);
  EXPECT_DOUBLE_EQ(rc.rate(), 60'000);
}

TEST(RateControllerSimTest, LocalDropsInTheMiddleOfAScanCutTheRate) {
  auto created = RateController::create(RateLimits{100, 1e6, 10'000}, 0);
  ASSERT_TRUE(created.has_value());
  RateController rc = std::move(*created);
  rc.set_rtt(22'000);
  PathSim path(PathConfig{}, 3);
  SenderRun run;
  run_sender(rc, path, run, 3'000'000);
  ASSERT_DOUBLE_EQ(rc.rate(), 1e6);
  rc.on_local_drops(500, run.end_us);
  EXPECT_NEAR(rc.rate(), 7e5, 1);
  // No congestion follows, so probing climbs back.
  run_sender(rc, path, run, 6'000'000);
  EXPECT_GE(run.average_rate(5'000'000, 6'000'000), 0.9e6);
}

// --- the engine's sender loop ---

TEST(RateControllerSimTest, SenderLoopSends65535ProbesAtOneMillionPerSecond) {
  // A /16 worth of SYNs on a LAN that keeps up: the ideal is 65.5 ms at
  // 1M pps; the rest is the climb from the start rate.
  for (double start : {10'000.0, 100'000.0}) {
    auto created = RateController::create(RateLimits{100, 1e6, start}, 0);
    ASSERT_TRUE(created.has_value());
    RateController rc = std::move(*created);
    PathConfig lan;
    lan.rtt_us = 500;
    lan.jitter_us = 200;
    rc.set_rtt(600);
    PathSim path(lan, 11);
    SenderRun run;
    run_sender(rc, path, run, 10'000'000, 65'535);
    ASSERT_EQ(run.sent, 65'535u);
    const double seconds = static_cast<double>(run.end_us) * 1e-6;
    std::printf("[sender loop] 65535 probes, start %.0f pps: %.1f ms (ideal at 1M pps: 65.5 ms)\n",
                start, seconds * 1e3);
    EXPECT_LE(run.largest_allowance, RateController::kMaxBatch);
    EXPECT_LT(seconds, start < 50'000 ? 0.25 : 0.12);
  }
}

}  // namespace
}  // namespace portolan
