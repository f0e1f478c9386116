// nmap port syntax (-p, --exclude-ports) and the -p / --top-ports / -F choice.
#include "portolan/ports/port_spec.h"

#include <gtest/gtest.h>

#include "portolan/registry/port_registry.h"

namespace portolan {
namespace {

const std::vector<Protocol> kTcp = {Protocol::kTcp};
const std::vector<Protocol> kTcpUdp = {Protocol::kTcp, Protocol::kUdp};

const PortRegistry& reg() {
  return PortRegistry::builtin();
}

PortSet parse(std::string_view spec, const std::vector<Protocol>& protocols = kTcp) {
  auto r = parse_port_spec(spec, protocols, reg());
  EXPECT_TRUE(r.has_value()) << spec << ": " << (r ? "" : r.error().message());
  return r ? *r : PortSet{};
}

std::string error(std::string_view spec, const std::vector<Protocol>& protocols = kTcp) {
  auto r = parse_port_spec(spec, protocols, reg());
  EXPECT_FALSE(r.has_value()) << spec;
  return r ? "" : r.error().message();
}

TEST(ParsePortSpec, SinglePortsListsAndRanges) {
  EXPECT_EQ(parse("22").compressed(Protocol::kTcp), "22");
  PortSet s = parse("22,80,1000-2000");
  EXPECT_EQ(s.compressed(Protocol::kTcp), "22,80,1000-2000");
  EXPECT_EQ(s.count(Protocol::kTcp), 1003u);
  EXPECT_EQ(parse("80,22,80").compressed(Protocol::kTcp), "22,80");  // duplicates merge
  EXPECT_EQ(parse("5-5").compressed(Protocol::kTcp), "5");
  EXPECT_EQ(parse("00080").compressed(Protocol::kTcp), "80");
  EXPECT_EQ(parse("65535").compressed(Protocol::kTcp), "65535");
}

TEST(ParsePortSpec, OpenRangesStartAtOneAndEndAt65535) {
  EXPECT_EQ(parse("-").compressed(Protocol::kTcp), "1-65535");
  EXPECT_EQ(parse("-1024").compressed(Protocol::kTcp), "1-1024");
  EXPECT_EQ(parse("60000-").compressed(Protocol::kTcp), "60000-65535");
  EXPECT_EQ(parse("22,-").count(Protocol::kTcp), 65535u);
}

TEST(ParsePortSpec, PortZeroOnlyWhenExplicit) {
  EXPECT_FALSE(parse("-").contains(Protocol::kTcp, 0));
  EXPECT_FALSE(parse("-100").contains(Protocol::kTcp, 0));
  EXPECT_EQ(parse("0").compressed(Protocol::kTcp), "0");
  EXPECT_EQ(parse("0-10").count(Protocol::kTcp), 11u);
}

TEST(ParsePortSpec, UnprefixedPortsApplyToEveryScannedProtocol) {
  PortSet s = parse("22,53", kTcpUdp);
  EXPECT_EQ(s.compressed(Protocol::kTcp), "22,53");
  EXPECT_EQ(s.compressed(Protocol::kUdp), "22,53");
  EXPECT_EQ(s.count(Protocol::kSctp), 0u);
}

TEST(ParsePortSpec, ProtocolPrefixesApplyUntilTheNextPrefix) {
  PortSet s = parse("T:22,80,U:53,111", kTcpUdp);
  EXPECT_EQ(s.compressed(Protocol::kTcp), "22,80");
  EXPECT_EQ(s.compressed(Protocol::kUdp), "53,111");
  PortSet mixed = parse("21,T:22,U:53,T:25", kTcpUdp);
  EXPECT_EQ(mixed.compressed(Protocol::kTcp), "21-22,25");
  EXPECT_EQ(mixed.compressed(Protocol::kUdp), "21,53");
  PortSet sctp = parse("S:36412,T:80", {Protocol::kTcp, Protocol::kSctp});
  EXPECT_EQ(sctp.compressed(Protocol::kSctp), "36412");
  EXPECT_EQ(sctp.compressed(Protocol::kTcp), "80");
  EXPECT_EQ(parse("t:22,u:53", kTcpUdp).compressed(Protocol::kUdp), "53");  // lower case too
  EXPECT_EQ(parse("T:-", kTcpUdp).count(Protocol::kUdp), 0u);
}

TEST(ParsePortSpec, PrefixesForProtocolsNotScannedAreKeptOut) {
  PortSet s = parse("U:53,111", kTcp);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(parse("U:53,T:22", kTcp).compressed(Protocol::kTcp), "22");
}

TEST(ParsePortSpec, ServiceNames) {
  PortSet s = parse("http,ssh");
  EXPECT_TRUE(s.contains(Protocol::kTcp, 80));
  EXPECT_TRUE(s.contains(Protocol::kTcp, 22));
  EXPECT_EQ(parse("HTTPS").compressed(Protocol::kTcp), "443");
  EXPECT_EQ(parse("x11").compressed(Protocol::kTcp), "6000-6063");
  // imap is registered for tcp only.
  PortSet imap = parse("imap", kTcpUdp);
  EXPECT_EQ(imap.compressed(Protocol::kTcp), "143");
  EXPECT_EQ(imap.count(Protocol::kUdp), 0u);
  PortSet prefixed = parse("U:domain,T:http", kTcpUdp);
  EXPECT_EQ(prefixed.compressed(Protocol::kUdp), "53");
  EXPECT_EQ(prefixed.compressed(Protocol::kTcp), "80");
  EXPECT_TRUE(parse("3com-tsmux").contains(Protocol::kTcp, 106));  // a name starting with digits
  EXPECT_EQ(parse("ssh,22-23").compressed(Protocol::kTcp), "22-23");
}

TEST(ParsePortSpec, ServiceWildcards) {
  PortSet http = parse("http*");
  for (uint16_t port : std::initializer_list<uint16_t>{80, 443, 8080, 591})
    EXPECT_TRUE(http.contains(Protocol::kTcp, port)) << port;
  EXPECT_FALSE(http.contains(Protocol::kTcp, 22));
  EXPECT_TRUE(parse("ftp?").contains(Protocol::kTcp, 990));  // ftps
  EXPECT_EQ(error("zzzz*"), "unknown service 'zzzz*' in port specification");
}

TEST(ParsePortSpec, RejectsBadPortsAndRanges) {
  EXPECT_EQ(error("99999"), "invalid port '99999': out of range 0-65535");
  EXPECT_EQ(error("65536"), "invalid port '65536': out of range 0-65535");
  EXPECT_EQ(error("99999999999999999999"),
            "invalid port '99999999999999999999': out of range 0-65535");
  EXPECT_EQ(error("1-99999"), "invalid port '99999': out of range 0-65535");
  EXPECT_EQ(error("2000-1000"), "invalid port range '2000-1000': start is greater than end");
  EXPECT_EQ(error("-0"), "invalid port range '-0': start is greater than end");
  EXPECT_EQ(error("1-2-3"), "invalid port range '1-2-3': more than one '-'");
  EXPECT_EQ(error("--"), "invalid port range '--': more than one '-'");
}

TEST(ParsePortSpec, RejectsEmptyItemsAndGarbage) {
  EXPECT_EQ(error(""), "empty port specification");
  EXPECT_EQ(error("22,,80"), "invalid port specification '22,,80': empty item");
  EXPECT_EQ(error(",22"), "invalid port specification ',22': empty item");
  EXPECT_EQ(error(","), "invalid port specification ',': empty item");
  EXPECT_EQ(error("22,"), "invalid port specification '22,': trailing comma");
  EXPECT_EQ(error("22, 80"), "invalid port specification '22, 80': whitespace is not allowed");
  EXPECT_EQ(error("22;80"), "invalid port specification '22;80': unexpected character ';'");
  EXPECT_EQ(error("22\x01"), "invalid port specification '22\\x01': unexpected character 0x01");
  EXPECT_EQ(error("T:"), "invalid port specification 'T:': nothing after 'T:'");
  EXPECT_EQ(error("T:,22"), "invalid port specification 'T:,22': nothing after 'T:'");
  EXPECT_EQ(error("X:22"),
            "invalid port specification 'X:22': unknown protocol prefix 'X:' "
            "(use T:, U: or S:)");
  EXPECT_EQ(error("\x01:22"),
            "invalid port specification '\\x01:22': unknown protocol prefix "
            "'\\x01:' (use T:, U: or S:)");
  EXPECT_EQ(error("P:6"),
            "invalid port specification 'P:6': IP protocol scans (P:) are not "
            "supported");
  EXPECT_NE(error("[1-1024]").find("bracket form"), std::string::npos);
  EXPECT_NE(error("22,[80-90]").find("bracket form"), std::string::npos);
}

TEST(ParsePortSpec, RejectsUnknownServices) {
  auto r = parse_port_spec("nosuch", kTcp, reg());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "unknown service 'nosuch' in port specification");
  EXPECT_EQ(r.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(error("22x"), "unknown service '22x' in port specification");
  EXPECT_EQ(error("22,http,nosuch"), "unknown service 'nosuch' in port specification");
}

TEST(ParsePortSpec, ErrorMessagesStayOnOneLineAndShort) {
  std::string huge(10000, '9');
  std::string message = error(huge);
  EXPECT_LT(message.size(), 200u);
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

// select_ports ---------------------------------------------------------------

Result<PortSet> select(PortSelection sel, const std::vector<Protocol>& protocols = kTcp) {
  return select_ports(sel, protocols, reg());
}

TEST(SelectPorts, DefaultIsTheTop1000PerProtocol) {
  auto r = select({});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->count(Protocol::kTcp), 1000u);
  for (uint16_t port : reg().top_ports(Protocol::kTcp).first(1000)) {
    EXPECT_TRUE(r->contains(Protocol::kTcp, port));
  }
  auto both = select({}, kTcpUdp);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->count(Protocol::kTcp), 1000u);
  EXPECT_EQ(both->count(Protocol::kUdp), 1000u);
}

TEST(SelectPorts, FastIsTheTop100) {
  PortSelection sel;
  sel.fast = true;
  auto r = select(sel);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->count(Protocol::kTcp), 100u);
  EXPECT_TRUE(r->contains(Protocol::kTcp, 80));
}

TEST(SelectPorts, TopPortsN) {
  PortSelection sel;
  sel.top_ports = 10;
  auto r = select(sel);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->count(Protocol::kTcp), 10u);
  for (uint16_t port : reg().top_ports(Protocol::kTcp).first(10)) {
    EXPECT_TRUE(r->contains(Protocol::kTcp, port));
  }
  sel.top_ports = 1;
  EXPECT_EQ(select(sel)->ports(Protocol::kTcp), std::vector<uint16_t>{80});
}

TEST(SelectPorts, TopPortsBeyondTheListTakesTheWholeList) {
  PortSelection sel;
  sel.top_ports = 65536;
  auto r = select(sel, {Protocol::kTcp, Protocol::kSctp});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->count(Protocol::kTcp), reg().top_ports(Protocol::kTcp).size());
  EXPECT_EQ(r->count(Protocol::kSctp), reg().top_ports(Protocol::kSctp).size());
  // SCTP's list is shorter than the default 1000.
  auto sctp = select({}, {Protocol::kSctp});
  ASSERT_TRUE(sctp);
  EXPECT_EQ(sctp->count(Protocol::kSctp), reg().top_ports(Protocol::kSctp).size());
}

TEST(SelectPorts, TopPortsOutOfRange) {
  for (int n : {0, -1, 65537}) {
    PortSelection sel;
    sel.top_ports = n;
    auto r = select(sel);
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().message(),
              "--top-ports must be between 1 and 65536, got " + std::to_string(n));
  }
}

TEST(SelectPorts, RejectsConflicts) {
  PortSelection with_top;
  with_top.spec = "22";
  with_top.top_ports = 10;
  EXPECT_EQ(select(with_top).error().message(), "-p cannot be combined with --top-ports or -F");
  PortSelection with_fast;
  with_fast.spec = "22";
  with_fast.fast = true;
  EXPECT_EQ(select(with_fast).error().message(), "-p cannot be combined with --top-ports or -F");
  PortSelection fast_top;
  fast_top.fast = true;
  fast_top.top_ports = 10;
  EXPECT_EQ(select(fast_top).error().message(), "-F cannot be combined with --top-ports");
}

TEST(SelectPorts, SpecErrorsNameTheOption) {
  PortSelection sel;
  sel.spec = "99999";
  EXPECT_EQ(select(sel).error().message(), "-p: invalid port '99999': out of range 0-65535");
  PortSelection ex;
  ex.exclude_spec = "22,";
  EXPECT_EQ(select(ex).error().message(),
            "--exclude-ports: invalid port specification '22,': trailing comma");
}

TEST(SelectPorts, ExcludePorts) {
  PortSelection sel;
  sel.spec = "1-100";
  sel.exclude_spec = "22,80";
  auto r = select(sel);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->compressed(Protocol::kTcp), "1-21,23-79,81-100");

  PortSelection top;
  top.exclude_spec = "80,443";
  auto t = select(top);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->count(Protocol::kTcp), 998u);
  EXPECT_FALSE(t->contains(Protocol::kTcp, 80));

  PortSelection per_protocol;
  per_protocol.spec = "53";
  per_protocol.exclude_spec = "U:53";
  auto p = select(per_protocol, kTcpUdp);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->compressed(Protocol::kTcp), "53");
  EXPECT_EQ(p->count(Protocol::kUdp), 0u);
}

TEST(SelectPorts, FailsWhenNothingIsLeft) {
  PortSelection all_excluded;
  all_excluded.spec = "22";
  all_excluded.exclude_spec = "-";
  EXPECT_EQ(select(all_excluded).error().message(),
            "no ports left to scan: --exclude-ports removes all of them");
  PortSelection other_protocol;
  other_protocol.spec = "U:53";
  EXPECT_EQ(select(other_protocol).error().message(),
            "-p 'U:53' selects no ports for the protocols being scanned");
}

}  // namespace
}  // namespace portolan
