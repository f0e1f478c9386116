// Dates, elapsed times and latencies printed as nmap prints them (TZ=UTC,
// set by report_fixtures.cpp).
#include "portolan/output/time_format.h"

#include <gtest/gtest.h>

#include "report_fixtures.h"

namespace portolan::testing {
namespace {

using std::chrono::microseconds;

TEST(TimeFormat, Dates) {
  EXPECT_EQ(unix_seconds(at(kStartUnix)), kStartUnix);
  EXPECT_EQ(report_date(at(kStartUnix)), "Tue Nov 14 22:13:20 2023");
  EXPECT_EQ(report_date(at(1698800000)), "Wed Nov 01 00:53:20 2023");  // zero-padded day
  EXPECT_EQ(banner_date(at(kStartUnix)), "2023-11-14 22:13 UTC");
  EXPECT_EQ(scanned_at_date(at(kStartUnix)), "2023-11-14 22:13:20 UTC");
}

TEST(TimeFormat, ElapsedHasTwoDecimals) {
  EXPECT_EQ(elapsed_seconds(0.049), "0.05");
  EXPECT_EQ(elapsed_seconds(0), "0.00");
  EXPECT_EQ(elapsed_seconds(178.642), "178.64");
  EXPECT_EQ(elapsed_seconds(-1), "0.00");
}

TEST(TimeFormat, LatencyHasTwoSignificantDigits) {
  // Each pair observed in nmap 7.93 output on this machine or derived from it.
  EXPECT_EQ(latency_seconds(microseconds(150)), "0.00015");
  EXPECT_EQ(latency_seconds(microseconds(80)), "0.000080");
  EXPECT_EQ(latency_seconds(microseconds(24)), "0.000024");
  EXPECT_EQ(latency_seconds(microseconds(1000)), "0.0010");
  EXPECT_EQ(latency_seconds(microseconds(7)), "0.0000070");
  EXPECT_EQ(latency_seconds(microseconds(170000)), "0.17");
  EXPECT_EQ(latency_seconds(microseconds(995)), "0.0010");  // rounds up a decade
  EXPECT_EQ(latency_seconds(microseconds(1500000)), "1.5");
  EXPECT_EQ(latency_seconds(microseconds(12300000)), "12");
  EXPECT_EQ(latency_seconds(microseconds(0)), "0.0");
}

}  // namespace
}  // namespace portolan::testing
