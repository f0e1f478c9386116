// `portolan info` logic: query parsing, the report model, text and JSON.
#include "portolan/registry/port_info.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace portolan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const PortRegistry& reg() {
  return PortRegistry::builtin();
}

std::string text(std::string_view query) {
  auto r = describe(query, reg());
  EXPECT_TRUE(r.has_value()) << query << ": " << (r ? "" : r.error().message());
  return r ? *r : "";
}

std::string error(std::string_view query) {
  auto r = describe(query, reg());
  EXPECT_FALSE(r.has_value()) << query;
  return r ? "" : r.error().message();
}

TEST(PortInfo, DescribesAPort) {
  std::string out = text("443");
  EXPECT_THAT(out, HasSubstr("Port 443 (well-known, 0-1023)"));
  EXPECT_THAT(out, HasSubstr("transports: tcp, udp, sctp"));
  EXPECT_THAT(out, HasSubstr("tcp   https  http protocol over TLS/SSL"));
  EXPECT_THAT(out, HasSubstr("top-ports rank: tcp #2"));
  EXPECT_THAT(out, HasSubstr("security [https]: encrypted"));
  EXPECT_THAT(out, HasSubstr("commonly (udp): HTTP/3 (QUIC)"));
}

TEST(PortInfo, DescribesACleartextServiceWithItsAlternative) {
  std::string out = text("23");
  EXPECT_THAT(out, HasSubstr("security [telnet]: not encrypted"));
  EXPECT_THAT(out, HasSubstr("instead: ssh"));
  EXPECT_THAT(out, HasSubstr("internet-facing: no"));
}

TEST(PortInfo, FiltersByProtocol) {
  std::string out = text("443/udp");
  EXPECT_THAT(out, HasSubstr("transports: udp\n"));
  EXPECT_THAT(out, Not(HasSubstr("tcp   https")));
  EXPECT_THAT(out, HasSubstr("top-ports rank: udp #"));
  EXPECT_THAT(text("53/UDP"), HasSubstr("udp   domain"));
}

TEST(PortInfo, DescribesRangeClasses) {
  EXPECT_THAT(text("1024"), HasSubstr("(registered, 1024-49151)"));
  EXPECT_THAT(text("49152"), HasSubstr("(dynamic/private, 49152-65535)"));
  EXPECT_THAT(text("65535"), HasSubstr("no IANA assignment"));
}

TEST(PortInfo, DescribesAServiceCaseInsensitively) {
  std::string out = text("ssh");
  EXPECT_THAT(out, HasSubstr("Service ssh: IANA registers it on 22/tcp, 22/udp, 22/sctp"));
  EXPECT_THAT(out, HasSubstr("Port 22 (well-known, 0-1023)"));
  EXPECT_THAT(out, HasSubstr("security [ssh]: encrypted"));
  EXPECT_THAT(text("SSH"), HasSubstr("Port 22 "));
}

TEST(PortInfo, DescribesAServiceRegisteredOnARange) {
  std::string out = text("x11");
  EXPECT_THAT(out, HasSubstr("Service x11: IANA registers it on 6000-6063/tcp, 6000-6063/udp"));
  EXPECT_THAT(out, HasSubstr("Ports 6000-6063 (registered, 1024-49151)"));
  EXPECT_THAT(out, HasSubstr("security [x11]"));
}

TEST(PortInfo, DescribesCommonNamesThatAreNotIanaNames) {
  std::string rdp = text("rdp");
  EXPECT_THAT(rdp, HasSubstr("IANA calls it 'ms-wbt-server'"));
  EXPECT_THAT(rdp, HasSubstr("Port 3389 "));
  std::string kubelet = text("kubelet");
  EXPECT_THAT(kubelet, HasSubstr("commonly on 10250/tcp: Kubernetes kubelet API"));
  EXPECT_THAT(kubelet, HasSubstr("Port 10250 "));
  EXPECT_THAT(text("oracle-tns"), HasSubstr("Port 1521 "));
}

TEST(PortInfo, ListsTheAssignedPortsOfARange) {
  std::string out = text("8000-8100");
  EXPECT_THAT(out,
              HasSubstr("Ports 8000-8100: 101 ports, 56 with registry entries, 45 unassigned"));
  EXPECT_THAT(out, HasSubstr("Port 8000 (registered, 1024-49151)"));
  EXPECT_THAT(out, HasSubstr("tcp   http-alt  HTTP Alternate (see port 80)"));  // 8080
  EXPECT_THAT(out, Not(HasSubstr("Port 8013 ")));                               // unassigned
  auto report = query_info("8000-8100", reg());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->kind, InfoReport::Kind::kRange);
  EXPECT_EQ(report->assigned, 56u);
  EXPECT_FALSE(report->summarised);
  for (const auto& info : report->ports) {
    EXPECT_TRUE(!info.entries.empty() || !info.common_uses.empty()) << info.port_lo;
  }
}

TEST(PortInfo, SummarisesWideRanges) {
  std::string out = text("1-65535");
  EXPECT_THAT(out, HasSubstr("Ports 1-65535: 65535 ports,"));
  EXPECT_THAT(out, HasSubstr("well-known (0-1023): 1023 ports"));
  EXPECT_THAT(out, HasSubstr("dynamic/private (49152-65535): 16384 ports, 0 assigned"));
  EXPECT_THAT(out, HasSubstr("ranges wider than 1024 ports are summarised"));
  EXPECT_THAT(out, Not(HasSubstr("Port 22 ")));
  auto report = query_info("1-65535", reg());
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->summarised);
  EXPECT_TRUE(report->ports.empty());
  // Exactly the cap is still listed.
  auto capped = query_info("1-1024", reg());
  ASSERT_TRUE(capped);
  EXPECT_FALSE(capped->summarised);
  EXPECT_TRUE(query_info("1-1025", reg())->summarised);
}

TEST(PortInfo, RejectsBadQueriesWithOneLine) {
  EXPECT_EQ(error("99999"), "port 99999 is out of range 0-65535");
  EXPECT_EQ(error("65536"), "port 65536 is out of range 0-65535");
  EXPECT_EQ(error("-5"), "port -5 is out of range 0-65535");
  EXPECT_EQ(error("abc-def"), "unknown service 'abc-def'");
  EXPECT_EQ(error("nosuchservice"), "unknown service 'nosuchservice'");
  EXPECT_EQ(error(""), "empty query: give a port (443), a range (8000-8100) or a service (ssh)");
  EXPECT_EQ(error("   "), "empty query: give a port (443), a range (8000-8100) or a service (ssh)");
  EXPECT_EQ(error("2000-1000"), "invalid port range '2000-1000': start is greater than end");
  EXPECT_EQ(error("1-99999"), "port 99999 is out of range 0-65535");
  EXPECT_EQ(error("1-2-3"), "invalid port range '1-2-3'");
  EXPECT_EQ(error("443/xyz"), "unknown protocol 'xyz' in '443/xyz': expected tcp, udp or sctp");
  EXPECT_EQ(error("/tcp"), "missing port or service before '/' in '/tcp'");
  EXPECT_EQ(error("telnet/sctp"), "service 'telnet' has no sctp port");
  for (const char* q : {"99999", "abc-def", "", "x/y/z", "\n"}) {
    EXPECT_EQ(error(q).find('\n'), std::string::npos) << q;
  }
  auto unknown = describe("nosuchservice", reg());
  EXPECT_EQ(unknown.error().kind(), ErrorKind::kNotFound);
}

TEST(PortInfo, AcceptsIanaNamesThatLookLikeOtherThings) {
  EXPECT_THAT(text("3com-tsmux"), HasSubstr("Port 106 "));  // starts with digits
  EXPECT_THAT(text("cl/1"), HasSubstr("Port 172 "));        // contains a slash
  EXPECT_THAT(text(" 22 "), HasSubstr("Port 22 "));         // trimmed
}

TEST(PortInfo, JsonMirrorsTheReport) {
  auto j = describe_json("443", reg());
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["kind"], "port");
  EXPECT_EQ((*j)["query"], "443");
  EXPECT_TRUE((*j)["protocol"].is_null());
  const auto& port = (*j)["ports"][0];
  EXPECT_EQ(port["port"], 443);
  EXPECT_EQ(port["range_class"], "well-known");
  EXPECT_EQ(port["transports"], nlohmann::json({"tcp", "udp", "sctp"}));
  EXPECT_EQ(port["services"][0]["name"], "https");
  EXPECT_EQ(port["services"][0]["description"], "http protocol over TLS/SSL");
  EXPECT_EQ(port["top_ports_rank"]["tcp"], 2);
  EXPECT_EQ(port["security_notes"][0]["service"], "https");
  EXPECT_EQ(port["security_notes"][0]["encrypted"], true);

  auto range = describe_json("8000-8100/tcp", reg());
  ASSERT_TRUE(range);
  EXPECT_EQ((*range)["kind"], "range");
  EXPECT_EQ((*range)["protocol"], "tcp");
  EXPECT_EQ((*range)["range"]["ports"], 101);
  EXPECT_EQ((*range)["range"]["summarised"], false);
  EXPECT_EQ(
      (*range)["range"]["assigned"].get<size_t>() + (*range)["range"]["unassigned"].get<size_t>(),
      101u);

  auto service = describe_json("vnc", reg());
  ASSERT_TRUE(service);
  EXPECT_EQ((*service)["kind"], "service");
  EXPECT_EQ((*service)["service"]["iana"], false);
  EXPECT_EQ((*service)["service"]["security_note"]["service"], "rfb");

  auto bad = describe_json("99999", reg());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "port 99999 is out of range 0-65535");
}

}  // namespace
}  // namespace portolan
