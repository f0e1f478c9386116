#include "portolan/scan/rtt_estimator.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

TimingParams bounds(int64_t min_us, int64_t max_us, int64_t initial_us) {
  TimingParams t;
  t.min_rtt_timeout = Micros(min_us);
  t.max_rtt_timeout = Micros(max_us);
  t.initial_rtt_timeout = Micros(initial_us);
  return t;
}

TEST(RttEstimatorTest, InitialTimeoutBeforeSamples) {
  RttEstimator e(bounds(100'000, 10'000'000, 1'000'000));
  EXPECT_FALSE(e.has_samples());
  EXPECT_EQ(e.timeout(), Micros(1'000'000));
}

TEST(RttEstimatorTest, InitialTimeoutMayExceedMaxButNotGoBelowMin) {
  EXPECT_EQ(RttEstimator(bounds(100'000, 10'000'000, 300'000'000)).timeout(), Micros(300'000'000));
  EXPECT_EQ(RttEstimator(bounds(100'000, 10'000'000, 50'000)).timeout(), Micros(100'000));
}

TEST(RttEstimatorTest, FirstSampleSetsSrttAndHalfVariance) {
  RttEstimator e(bounds(0, 10'000'000, 1'000'000));
  e.add_sample(Micros(40'000));
  EXPECT_TRUE(e.has_samples());
  EXPECT_EQ(e.srtt(), Micros(40'000));
  EXPECT_EQ(e.rttvar(), Micros(20'000));
  EXPECT_EQ(e.timeout(), Micros(40'000 + 4 * 20'000));
}

TEST(RttEstimatorTest, Rfc6298Smoothing) {
  RttEstimator e(bounds(0, 10'000'000, 1'000'000));
  e.add_sample(Micros(40'000));  // srtt 40000, rttvar 20000
  e.add_sample(Micros(80'000));
  // rttvar = 3/4 * 20000 + 1/4 * |40000 - 80000| = 25000
  // srtt = 7/8 * 40000 + 1/8 * 80000 = 45000
  EXPECT_EQ(e.rttvar(), Micros(25'000));
  EXPECT_EQ(e.srtt(), Micros(45'000));
  EXPECT_EQ(e.timeout(), Micros(145'000));
  e.add_sample(Micros(45'000));
  // rttvar = 3/4 * 25000 + 0 = 18750, srtt unchanged
  EXPECT_EQ(e.rttvar(), Micros(18'750));
  EXPECT_EQ(e.srtt(), Micros(45'000));
}

TEST(RttEstimatorTest, TimeoutIsClamped) {
  RttEstimator fast(bounds(100'000, 1'250'000, 500'000));
  fast.add_sample(Micros(50));  // loopback
  EXPECT_EQ(fast.timeout(), Micros(100'000));
  RttEstimator slow(bounds(100'000, 1'250'000, 500'000));
  slow.add_sample(Micros(2'000'000));
  EXPECT_EQ(slow.timeout(), Micros(1'250'000));
}

TEST(RttEstimatorTest, ConvergesOnSteadyRtt) {
  RttEstimator e(bounds(0, 10'000'000, 1'000'000));
  for (int i = 0; i < 200; ++i) e.add_sample(Micros(10'000));
  EXPECT_EQ(e.srtt(), Micros(10'000));
  EXPECT_LT(e.rttvar(), Micros(10));
  EXPECT_EQ(e.samples(), 200u);
}

TEST(RttEstimatorTest, NegativeSampleCountsAsZero) {
  RttEstimator e(bounds(0, 10'000'000, 1'000'000));
  e.add_sample(Micros(-5));
  EXPECT_EQ(e.srtt(), Micros(0));
}

}  // namespace
}  // namespace portolan
