#include "portolan/os/os_fingerprints.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

// What a stack with these SYN-ACK traits shows, with the other probes
// answered as most stacks answer them.
OsObservation stack(int ttl, bool df, uint16_t window, std::string options, int wscale,
                    IpIdClass ip_id, int ts_hz) {
  OsObservation o;
  o.ttl = ttl;
  o.hops = 1;
  o.df = df;
  o.window = window;
  o.options = std::move(options);
  o.wscale = wscale;
  o.mss = 1460;
  o.timestamps = ts_hz != 0;
  o.ip_id = ip_id;
  o.ts_hz = ts_hz;
  o.rst_ttl = ttl;
  o.rst_window = 0;
  o.ack_rst_window = 0;
  o.echo_ttl = ttl;
  return o;
}

OsObservation linux_5() {
  OsObservation o =
      stack(64, true, 65160, "MSS,SACK,TS,NOP,WS", 7, IpIdClass::kZero, kRandomTimestamps);
  o.rst_df = true;
  o.echo_df = false;
  o.echo_code_kept = true;
  o.unreachable_ttl = 64;
  o.unreachable_full_quote = true;
  o.tsval = 123456789;
  return o;
}

OsResult match(const OsObservation& o) {
  OsResult r;
  match_os(o, builtin_fingerprints(), r);
  return r;
}

// The best match is `name`, at or above the threshold, and its first class
// names `family` with a CPE starting with `cpe`.
void expect_best(const OsObservation& o, const std::string& name, const std::string& family,
                 const std::string& cpe) {
  const OsResult r = match(o);
  ASSERT_FALSE(r.matches.empty()) << r.fingerprint;
  EXPECT_EQ(r.matches.front().name, name) << r.fingerprint;
  EXPECT_GE(r.matches.front().accuracy, kMatchThreshold);
  ASSERT_FALSE(r.matches.front().classes.empty());
  const OsClass& c = r.matches.front().classes.front();
  EXPECT_EQ(c.family, family);
  EXPECT_EQ(c.accuracy, r.matches.front().accuracy);
  ASSERT_FALSE(c.cpe.empty());
  EXPECT_EQ(c.cpe.front().rfind(cpe, 0), 0u) << c.cpe.front();
}

TEST(OsFingerprints, ModernLinux) {
  expect_best(linux_5(), "Linux 4.15 - 6.x", "Linux", "cpe:/o:linux:linux_kernel");
  const OsResult r = match(linux_5());
  EXPECT_EQ(r.matches.front().accuracy, 100);
  EXPECT_EQ(r.distance, 1);
  EXPECT_EQ(r.ip_id_sequence, "All zeros");
  EXPECT_EQ(r.tcp_ts_sequence, "randomized");
  EXPECT_EQ(r.uptime_seconds, -1);  // random timestamp offsets: no uptime
}

TEST(OsFingerprints, ModernLinuxOnLoopback) {
  OsObservation o = linux_5();
  o.window = 65483;
  o.mss = 65495;
  o.hops = 0;
  expect_best(o, "Linux 4.15 - 6.x", "Linux", "cpe:/o:linux:linux_kernel");
}

TEST(OsFingerprints, OlderLinuxWithUptime) {
  OsObservation o = linux_5();
  o.window = 14600;
  o.wscale = 4;
  o.ts_hz = 250;
  o.tsval = 250 * 3600;
  expect_best(o, "Linux 2.6.32 - 4.12", "Linux", "cpe:/o:linux:linux_kernel");
  EXPECT_EQ(match(o).uptime_seconds, 3600);
}

TEST(OsFingerprints, Windows10) {
  OsObservation o =
      stack(128, true, 64240, "MSS,NOP,WS,NOP,NOP,SACK", 8, IpIdClass::kIncremental, 0);
  o.echo_code_kept = false;
  expect_best(o, "Microsoft Windows 10 - 11 / Server 2016 - 2022", "Windows",
              "cpe:/o:microsoft:windows_10");
}

TEST(OsFingerprints, Windows7) {
  OsObservation o = stack(128, true, 8192, "MSS,NOP,WS,SACK,TS", 8, IpIdClass::kIncremental, 0);
  o.timestamps = true;
  expect_best(o, "Microsoft Windows 7 / Server 2008 R2 - 2012", "Windows",
              "cpe:/o:microsoft:windows_7");
}

TEST(OsFingerprints, FreeBsd) {
  expect_best(stack(64, true, 65535, "MSS,NOP,WS,SACK,TS", 6, IpIdClass::kZero, kRandomTimestamps),
              "FreeBSD 12.0 - 14.x", "FreeBSD", "cpe:/o:freebsd:freebsd");
}

TEST(OsFingerprints, OpenBsd) {
  expect_best(stack(64, true, 16384, "MSS,NOP,NOP,SACK,NOP,WS,NOP,NOP,TS", 6, IpIdClass::kRandom,
                    kRandomTimestamps),
              "OpenBSD 6.x - 7.x", "OpenBSD", "cpe:/o:openbsd:openbsd");
}

TEST(OsFingerprints, MacOs) {
  expect_best(stack(64, true, 65535, "MSS,NOP,WS,NOP,NOP,TS,SACK,EOL", 6, IpIdClass::kRandom, 1000),
              "Apple macOS 11 - 15 / iOS 14 - 18", "macOS", "cpe:/o:apple:macos");
}

TEST(OsFingerprints, CiscoRouter) {
  OsObservation o = stack(255, false, 4128, "MSS", -1, IpIdClass::kIncremental, 0);
  o.echo_df = false;
  expect_best(o, "Cisco IOS 12.x - 15.x", "IOS", "cpe:/o:cisco:ios");
  EXPECT_EQ(match(o).matches.front().classes.front().type, "router");
}

TEST(OsFingerprints, WeirdStackIsNoMatch) {
  // TTL 32, no DF, an odd window, options no known stack writes.
  const OsResult r = match(stack(32, false, 1234, "WS,NOP,MSS,K30", 2, IpIdClass::kConstant, 37));
  EXPECT_TRUE(r.matches.empty());
  EXPECT_NE(r.fingerprint.find("SYNACK ttl=32 df=0 win=1234 ops=WS,NOP,MSS,K30 ws=2"),
            std::string::npos)
      << r.fingerprint;
}

TEST(OsFingerprints, LinuxDisguisedByItsSysctlsIsNoMatch) {
  // The lab's second case: Linux with ip_default_ttl=128 and timestamps,
  // window scaling and SACK off looks like no stack of the set.
  OsObservation o = linux_5();
  o.ttl = 128;
  o.rst_ttl = 128;
  o.echo_ttl = 128;
  o.unreachable_ttl = 128;
  o.window = 64240;
  o.options = "MSS";
  o.wscale = -1;
  o.timestamps = false;
  o.ts_hz = 0;
  const OsResult r = match(o);
  EXPECT_TRUE(r.matches.empty()) << r.matches.front().name << " " << r.matches.front().accuracy;
  for (const auto& fp : builtin_fingerprints()) EXPECT_LT(score(o, fp), 70) << fp.name;
}

TEST(OsFingerprints, NoSynAckNoMatch) {
  OsObservation o = linux_5();
  o.ttl.reset();
  o.df.reset();
  o.window.reset();
  o.options.reset();
  o.wscale.reset();
  o.timestamps.reset();
  o.ts_hz.reset();
  o.ip_id = IpIdClass::kUnknown;
  EXPECT_TRUE(match(o).matches.empty());
  for (const auto& fp : builtin_fingerprints()) EXPECT_EQ(score(o, fp), 0);
}

TEST(OsFingerprints, UnansweredTestsCountForNoOne) {
  OsObservation o = linux_5();
  o.echo_ttl.reset();
  o.echo_df.reset();
  o.echo_code_kept.reset();
  o.unreachable_ttl.reset();
  o.unreachable_full_quote.reset();
  o.rst_ttl.reset();
  o.rst_df.reset();
  o.rst_window.reset();
  o.ack_rst_window.reset();
  EXPECT_EQ(match(o).matches.front().accuracy, 100);
}

TEST(OsFingerprints, MatchesAreBestFirstAndBounded) {
  OsObservation o =
      stack(128, true, 64240, "MSS,NOP,WS,NOP,NOP,SACK", 8, IpIdClass::kIncremental, 0);
  const OsResult r = match(o);
  ASSERT_GE(r.matches.size(), 2u);  // Windows 7 differs only in the window
  EXPECT_LE(r.matches.size(), kMaxMatches);
  for (size_t i = 1; i < r.matches.size(); ++i) {
    EXPECT_GE(r.matches[i - 1].accuracy, r.matches[i].accuracy);
  }
  EXPECT_LT(r.matches[1].accuracy, r.matches[0].accuracy);
}

TEST(OsFingerprints, EveryEntryIsComplete) {
  for (const auto& fp : builtin_fingerprints()) {
    EXPECT_FALSE(fp.name.empty());
    EXPECT_FALSE(fp.ttl.empty()) << fp.name;
    EXPECT_FALSE(fp.options.empty()) << fp.name;
    ASSERT_FALSE(fp.classes.empty()) << fp.name;
    for (const auto& c : fp.classes) {
      EXPECT_FALSE(c.cpe.empty()) << fp.name;
      for (const auto& cpe : c.cpe) EXPECT_EQ(cpe.rfind("cpe:/o:", 0), 0u) << cpe;
    }
  }
}

}  // namespace
}  // namespace portolan
