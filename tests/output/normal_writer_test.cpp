// The normal format's rules, one by one (the goldens show whole reports).
#include <gtest/gtest.h>

#include <string>

#include "report_fixtures.h"

namespace portolan::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

HostResult down_host() {
  HostResult h;
  h.address = *IpAddress::parse("127.0.0.9");
  h.state = HostState::kDown;
  h.reason = Reason::kNoResponse;
  return h;
}

std::string normal(const std::vector<HostResult>& hosts, const OutputOptions& options,
                   ScanRunInfo run = connect_run("portolan", 1000, "1-1000")) {
  return render("normal", run, hosts, summary(1, 0, 1, 0.01), options);
}

TEST(NormalWriter, DownHostsAppearOnlyWhenVerbose) {
  EXPECT_FALSE(contains(normal({down_host()}, {}), "127.0.0.9"));
  OutputOptions v;
  v.verbosity = 1;
  EXPECT_TRUE(
      contains(normal({down_host()}, v), "Portolan scan report for 127.0.0.9 [host down]\n"));
  v.show_reason = true;
  EXPECT_TRUE(contains(normal({down_host()}, v),
                       "Portolan scan report for 127.0.0.9 [host down, received no-response]\n"));
}

TEST(NormalWriter, VeryVerboseImpliesReasonsAndScannedAt) {
  OutputOptions vv;
  vv.verbosity = 2;
  const std::string text = normal({localhost_host()}, vv);
  EXPECT_TRUE(contains(text, "Host is up, received localhost-response (0.000080s latency).\n"));
  EXPECT_TRUE(contains(text, "Scanned at 2023-11-14 22:13:20 UTC for 0s\n"));
  EXPECT_TRUE(contains(text, "PORT   STATE SERVICE REASON\n22/tcp open  ssh     syn-ack\n"));
  EXPECT_FALSE(contains(normal({localhost_host()}, {}), "Scanned at"));
}

TEST(NormalWriter, ReasonTtlIsShownWhenKnown) {
  HostResult h = localhost_host();
  h.ports = {port(79, PortState::kClosed, Reason::kReset, "finger"),
             port(80, PortState::kOpen, Reason::kSynAck, "http")};
  for (auto& p : h.ports) p.reason_ttl = 64;
  OutputOptions o;
  o.show_reason = true;
  EXPECT_TRUE(contains(normal({h}, o),
                       "PORT   STATE  SERVICE REASON\n"
                       "79/tcp closed finger  reset ttl 64\n"
                       "80/tcp open   http    syn-ack ttl 64\n\n"));
}

TEST(NormalWriter, VerbosityRaisesTheFoldThreshold) {
  HostResult h = localhost_host();
  h.ports.erase(h.ports.begin(), h.ports.begin() + 100);
  h.ports.resize(30);  // ports 101-130: all closed
  EXPECT_TRUE(contains(normal({h}, {}),
                       "All 30 scanned ports on localhost (127.0.0.1) are in "
                       "ignored states.\nNot shown: 30 closed tcp ports "
                       "(conn-refused)\n\n"));
  OutputOptions v;
  v.verbosity = 1;
  const std::string verbose = normal({h}, v);
  EXPECT_TRUE(contains(verbose, "\nPORT    STATE  SERVICE\n101/tcp closed unknown\n"));
  EXPECT_TRUE(contains(verbose, "130/tcp closed unknown\n\n"));
}

TEST(NormalWriter, OpenOnlyHidesHostsWithoutOpenPortsAndFoldsTheRest) {
  HostResult closed = localhost_host();
  closed.ports.resize(3);
  OutputOptions o;
  o.open_only = true;
  EXPECT_FALSE(contains(normal({closed}, o), "scan report"));

  HostResult one = localhost_host();
  one.ports = {port(79, PortState::kClosed, Reason::kConnRefused),
               port(80, PortState::kOpen, Reason::kSynAck, "http")};
  EXPECT_TRUE(contains(normal({one}, o),
                       "Not shown: 1 closed tcp port (conn-refused)\n"
                       "PORT   STATE SERVICE\n80/tcp open  http\n"));
}

TEST(NormalWriter, OpenOnlyKeepsHostsInPingScans) {
  ScanRunInfo run = connect_run("portolan -sn --open", 0, "");
  run.ping_scan = true;
  HostResult h = localhost_host();
  h.ports.clear();
  OutputOptions o;
  o.open_only = true;
  EXPECT_TRUE(contains(normal({h}, o, run),
                       "Portolan scan report for localhost (127.0.0.1)\nHost is up "
                       "(0.000080s latency).\n# Portolan done"));
}

TEST(NormalWriter, ListScanShowsOnlyTheName) {
  ScanRunInfo run = connect_run("portolan -sL", 0, "");
  run.list_scan = true;
  HostResult h;
  h.address = *IpAddress::parse("127.0.0.1");
  h.hostnames = {{"localhost", HostName::Kind::kUser}};
  EXPECT_TRUE(contains(normal({h}, {}, run),
                       "\nPortolan scan report for localhost (127.0.0.1)\n# Portolan done"));
}

TEST(NormalWriter, TimedOutHostIsSkipped) {
  HostResult h = localhost_host();
  h.timed_out = true;
  const std::string text = normal({h}, {});
  EXPECT_TRUE(
      contains(text, "Skipping host localhost (127.0.0.1) due to host timeout\n# Portolan"));
  EXPECT_FALSE(contains(text, "PORT"));
}

TEST(NormalWriter, UserNameFirstAndDifferingRdnsRecord) {
  HostResult h = localhost_host();
  h.hostnames = {{"web.example", HostName::Kind::kUser}, {"ptr.example", HostName::Kind::kPtr}};
  const std::string text = normal({h}, {});
  EXPECT_TRUE(contains(text, "Portolan scan report for web.example (127.0.0.1)\n"));
  EXPECT_TRUE(contains(text, "rDNS record for 127.0.0.1: ptr.example\n"));
}

TEST(NormalWriter, TerminalBannerAndClosingLine) {
  OutputOptions t;
  t.terminal = true;
  const std::string text = normal({localhost_host()}, t);
  EXPECT_EQ(text.rfind("Starting Portolan 0.1.0 at 2023-11-14 22:13 UTC\n", 0), 0u);
  EXPECT_TRUE(
      contains(text, "\nPortolan done: 1 IP address (1 host up) scanned in 0.01 seconds\n"));
  EXPECT_FALSE(contains(text, "#"));
}

TEST(NormalWriter, PluralsInTheClosingLine) {
  const auto& s = scenario("basic");
  const std::string text = render("normal", s.run, {}, summary(0, 2, 2, 1.0), s.options);
  EXPECT_TRUE(contains(text, "-- 2 IP addresses (0 hosts up) scanned in 1.00 seconds\n"));
}

TEST(NormalWriter, HostileNamesCannotBreakLines) {
  HostResult h = localhost_host();
  h.hostnames = {{"evil\nPortolan scan report for 1.2.3.4", HostName::Kind::kPtr}};
  const std::string text = normal({h}, {});
  EXPECT_TRUE(contains(text, "evil\\x0aPortolan scan report for 1.2.3.4 (127.0.0.1)"));
}

}  // namespace
}  // namespace portolan::testing
