// The grepable writer: field layout and the rules nmap follows.
#include <gtest/gtest.h>

#include <string>

#include "report_fixtures.h"

namespace portolan::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(GrepableWriter, IgnoredStateOnlyWhenExactlyOneStateFolded) {
  EXPECT_TRUE(contains(render("grepable", scenario("basic")),
                       "Ports: 22/open/tcp//ssh///, 80/open/tcp//http///\tIgnored State: closed "
                       "(998)\n"));
  const std::string mixed = render("grepable", scenario("mixed"));
  EXPECT_TRUE(
      contains(mixed, "Ports: 1500/open/tcp//vlsi-lm///, 53/open|filtered/udp//domain///\n"));
  EXPECT_FALSE(contains(mixed, "Ignored State"));
}

TEST(GrepableWriter, DelimitersInsideValuesAreReplaced) {
  const std::string text = render("grepable", scenario("odd_names"));
  EXPECT_TRUE(contains(text, "80/open/tcp//http//Evil|1.0 <srv> 2,3 (tab\\x09here & \"quotes\")/"));
  EXPECT_TRUE(contains(render("grepable", scenario("versions")), "443/open/tcp//ssl|http//nginx/"));
}

TEST(GrepableWriter, HostNameIsThePtrName) {
  const std::string text = render("grepable", scenario("versions"));
  EXPECT_TRUE(contains(text, "Host: 127.0.0.1 (localhost)\tStatus: Up\n"));
  EXPECT_TRUE(contains(render("grepable", scenario("ipv6")), "Host: ::1 ()\tStatus: Up\n"));
}

TEST(GrepableWriter, VerboseAddsPortsScannedAndDownHosts) {
  Scenario s = scenario("ping_quiet");
  const std::string quiet = render("grepable", s);
  EXPECT_FALSE(contains(quiet, "# Ports scanned"));
  EXPECT_FALSE(contains(quiet, "Status: Down"));
  s.options.verbosity = 1;
  const std::string verbose = render("grepable", s);
  EXPECT_TRUE(contains(verbose, "# Ports scanned: TCP(0;) UDP(0;) SCTP(0;) PROTOCOLS(0;)\n"));
  EXPECT_TRUE(contains(verbose, "Host: 127.0.0.2 ()\tStatus: Down\n"));
}

TEST(GrepableWriter, TimedOutAndListedHosts) {
  EXPECT_TRUE(contains(render("grepable", scenario("timeout")),
                       "Host: 127.0.0.1 (localhost)\tStatus: Up\n"
                       "Host: 127.0.0.1 (localhost)\tStatus: Timeout\n# Portolan done"));
  EXPECT_TRUE(
      contains(render("grepable", scenario("list")), "Host: 127.0.0.0 ()\tStatus: Unknown\n"));
}

}  // namespace
}  // namespace portolan::testing
