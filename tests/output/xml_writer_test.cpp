// The XML writer: streaming, host selection, escaping, error runs.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "portolan/output/report_writer.h"
#include "report_fixtures.h"

namespace portolan::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(XmlWriter, StreamsHeaderHostsAndRunstatsAsTheScanGoes) {
  const Scenario& s = scenario("basic");
  std::ostringstream out;
  auto writer = (*find_report_format("xml"))->create(out, s.options);

  writer->begin(s.run);
  EXPECT_TRUE(contains(out.str(), "<debugging level=\"0\"/>\n"));
  EXPECT_FALSE(contains(out.str(), "<host"));

  writer->host(s.hosts.front());
  EXPECT_TRUE(contains(out.str(), "</host>\n"));
  EXPECT_FALSE(contains(out.str(), "<runstats>"));

  writer->end(s.summary);
  EXPECT_TRUE(contains(out.str(), "</runstats>\n</nmaprun>\n"));
}

TEST(XmlWriter, RootDeclaresNmapCompatibility) {
  const std::string xml = render("xml", scenario("basic"));
  EXPECT_TRUE(contains(xml,
                       "<?xml-stylesheet href=\"file:///usr/share/nmap/nmap.xsl\" "
                       "type=\"text/xsl\"?>\n"));
  EXPECT_TRUE(contains(xml, "<!-- Portolan 0.1.0 scan initiated"));
  EXPECT_TRUE(contains(xml,
                       "<nmaprun scanner=\"nmap\" args=\"portolan -sT -p 1-1000 127.0.0.1\" "
                       "start=\"1700000000\" startstr=\"Tue Nov 14 22:13:20 2023\" "
                       "version=\"7.93\" xmloutputversion=\"1.05\">"));
}

TEST(XmlWriter, DownHostsOnlyWhenVerbose) {
  Scenario s = scenario("ping_quiet");
  EXPECT_FALSE(contains(render("xml", s), "127.0.0.2"));
  s.options.verbosity = 1;
  EXPECT_TRUE(contains(render("xml", s),
                       "<host><status state=\"down\" reason=\"no-response\" reason_ttl=\"0\"/>\n"
                       "<address addr=\"127.0.0.2\" addrtype=\"ipv4\"/>\n</host>\n"));
}

TEST(XmlWriter, OddHostnamesAreEscaped) {
  const std::string xml = render("xml", scenario("odd_names"));
  EXPECT_TRUE(contains(xml, "<hostname name=\"a&amp;b&lt;c&gt;&quot;d&quot;--e\" type=\"user\"/>"));
  EXPECT_TRUE(contains(xml, "name=\"ptr\\x01name\\xff.caf\xc3\xa9\" type=\"PTR\""));
  EXPECT_TRUE(contains(xml, "'a&b<c>\"d\"-&#45;e' -->"));  // the comment
}

TEST(XmlWriter, Ipv6AddressType) {
  EXPECT_TRUE(
      contains(render("xml", scenario("ipv6")), "<address addr=\"::1\" addrtype=\"ipv6\"/>"));
}

TEST(XmlWriter, FailedRunSaysWhy) {
  const std::string xml = render("xml", scenario("stopped"));
  EXPECT_TRUE(contains(xml, "exit=\"error\" errormsg=\"interrupted by signal 2\"/>"));
}

TEST(XmlWriter, ServiceAttributesStayWithinTheDtd) {
  const Scenario& base = scenario("basic");
  HostResult h = localhost_host();
  auto svc = std::make_shared<ServiceInfo>();
  svc->name = "";  // name is #REQUIRED: an unnamed but identified service is "unknown"
  svc->product = "thing";
  svc->method = "guessed";  // not a DTD value: falls back to table
  svc->conf = 42;           // clamped into 0..10
  svc->tunnel = "tls";      // only "ssl" is a DTD value
  h.ports = {port(1, PortState::kOpen, Reason::kSynAck)};
  h.ports[0].service = svc;
  const std::string xml = render("xml", base.run, {h}, base.summary, base.options);
  EXPECT_TRUE(
      contains(xml, "<service name=\"unknown\" product=\"thing\" method=\"table\" conf=\"10\"/>"));
}

}  // namespace
}  // namespace portolan::testing
