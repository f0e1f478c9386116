#include "portolan/scan/timing.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(TimingTemplateTest, NormalIsTheDefault) {
  auto t = timing_template(3);
  ASSERT_TRUE(t);
  TimingParams defaults;
  EXPECT_EQ(t->level, 3);
  EXPECT_EQ(t->initial_rtt_timeout, defaults.initial_rtt_timeout);
  EXPECT_EQ(t->min_rtt_timeout, Micros(milliseconds(100)));
  EXPECT_EQ(t->max_rtt_timeout, Micros(seconds(10)));
  EXPECT_EQ(t->max_retries, 10);
  EXPECT_EQ(t->scan_delay, Micros(0));
  EXPECT_EQ(t->max_scan_delay, Micros(seconds(1)));
  EXPECT_FALSE(t->host_timeout);
  EXPECT_EQ(t->max_parallelism, 0);
}

TEST(TimingTemplateTest, SlowTemplatesAreSerialWithScanDelay) {
  auto t0 = timing_template(0);
  auto t1 = timing_template(1);
  auto t2 = timing_template(2);
  ASSERT_TRUE(t0 && t1 && t2);
  EXPECT_EQ(t0->scan_delay, Micros(minutes(5)));
  EXPECT_EQ(t0->initial_rtt_timeout, Micros(minutes(5)));
  EXPECT_EQ(t1->scan_delay, Micros(seconds(15)));
  EXPECT_EQ(t1->initial_rtt_timeout, Micros(seconds(15)));
  EXPECT_EQ(t2->scan_delay, Micros(milliseconds(400)));
  for (const auto* t : {&*t0, &*t1, &*t2}) EXPECT_EQ(t->max_parallelism, 1);
}

TEST(TimingTemplateTest, Aggressive) {
  auto t = timing_template(4);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->max_rtt_timeout, Micros(milliseconds(1250)));
  EXPECT_EQ(t->min_rtt_timeout, Micros(milliseconds(100)));
  EXPECT_EQ(t->initial_rtt_timeout, Micros(milliseconds(500)));
  EXPECT_EQ(t->max_retries, 6);
  EXPECT_EQ(t->max_scan_delay, Micros(milliseconds(10)));
  EXPECT_FALSE(t->host_timeout);
}

TEST(TimingTemplateTest, Insane) {
  auto t = timing_template(5);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->max_rtt_timeout, Micros(milliseconds(300)));
  EXPECT_EQ(t->min_rtt_timeout, Micros(milliseconds(50)));
  EXPECT_EQ(t->initial_rtt_timeout, Micros(milliseconds(250)));
  EXPECT_EQ(t->max_retries, 2);
  ASSERT_TRUE(t->host_timeout);
  EXPECT_EQ(*t->host_timeout, Micros(minutes(15)));
  EXPECT_EQ(t->max_scan_delay, Micros(milliseconds(5)));
}

TEST(TimingTemplateTest, RejectsOutOfRange) {
  for (int level : {-1, 6, 100}) {
    auto t = timing_template(level);
    ASSERT_FALSE(t) << level;
    EXPECT_NE(t.error().message().find("0 to 5"), std::string::npos);
  }
}

TEST(ParseTimeValueTest, Units) {
  EXPECT_EQ(*parse_time_value("500ms"), Micros(500'000));
  EXPECT_EQ(*parse_time_value("2s"), Micros(2'000'000));
  EXPECT_EQ(*parse_time_value("1m"), Micros(60'000'000));
  EXPECT_EQ(*parse_time_value("1h"), Micros(3'600'000'000));
  EXPECT_EQ(*parse_time_value("1.5s"), Micros(1'500'000));
  EXPECT_EQ(*parse_time_value("0.5ms"), Micros(500));
  EXPECT_EQ(*parse_time_value(".25s"), Micros(250'000));
  EXPECT_EQ(*parse_time_value("0"), Micros(0));
}

TEST(ParseTimeValueTest, BareNumberIsSeconds) {
  EXPECT_EQ(*parse_time_value("5"), Micros(5'000'000));
  EXPECT_EQ(*parse_time_value("2.5"), Micros(2'500'000));
}

TEST(ParseTimeValueTest, RejectsGarbage) {
  for (const char* bad : {"", "-1s", "-1", "abc", "5x", "5 s", " 5s", "s", "ms", ".", "1.2.3s",
                          "5sec", "1e3", "+5s", "99999999999999999999999s", "1000000h"}) {
    auto r = parse_time_value(bad);
    EXPECT_FALSE(r) << "'" << bad << "'";
    if (!r) {
      EXPECT_NE(r.error().message().find("invalid time value"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace portolan
