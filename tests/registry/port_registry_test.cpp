// PortRegistry over the compiled-in IANA data and top-ports lists.
#include "portolan/registry/port_registry.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

namespace portolan {
namespace {

const PortRegistry& reg() {
  return PortRegistry::builtin();
}

std::vector<std::string_view> names(const std::vector<const ServiceEntry*>& entries) {
  std::vector<std::string_view> out;
  for (const auto* e : entries) out.push_back(e->name);
  return out;
}

TEST(PortRegistry, LooksUpWellKnownPorts) {
  EXPECT_EQ(reg().service_name(22, Protocol::kTcp), "ssh");
  EXPECT_EQ(reg().service_name(443, Protocol::kTcp), "https");
  EXPECT_EQ(reg().service_name(53, Protocol::kUdp), "domain");
  EXPECT_EQ(reg().service_name(80, Protocol::kTcp), "http");
  EXPECT_EQ(reg().service_name(3389, Protocol::kTcp), "ms-wbt-server");
  EXPECT_EQ(reg().service_name(445, Protocol::kTcp), "microsoft-ds");
  EXPECT_EQ(reg().service_name(22, Protocol::kSctp), "ssh");
}

TEST(PortRegistry, LookupFiltersByProtocol) {
  auto tcp = reg().lookup(443, Protocol::kTcp);
  ASSERT_EQ(tcp.size(), 1u);
  EXPECT_EQ(tcp[0]->name, "https");
  EXPECT_EQ(tcp[0]->protocol, Protocol::kTcp);
  EXPECT_EQ(tcp[0]->description, "http protocol over TLS/SSL");
  // tcp, udp and sctp.
  EXPECT_EQ(reg().lookup(443, std::nullopt).size(), 3u);
  // 143 is registered for tcp only.
  EXPECT_TRUE(reg().lookup(143, Protocol::kUdp).empty());
  EXPECT_EQ(reg().service_name(143, Protocol::kUdp), "");
}

TEST(PortRegistry, KeepsIanaOrderWithinAPort) {
  EXPECT_EQ(names(reg().lookup(80, Protocol::kTcp)),
            (std::vector<std::string_view>{"http", "www", "www-http"}));
}

TEST(PortRegistry, ServiceNamePrefersANameWithADescription) {
  // IANA lists the description-less "shilp" before "nfs" on 2049.
  EXPECT_EQ(reg().lookup(2049, Protocol::kTcp).front()->name, "shilp");
  EXPECT_EQ(reg().service_name(2049, Protocol::kTcp), "nfs");
  // When no name has a description, the first one is used.
  EXPECT_EQ(reg().service_name(514, Protocol::kUdp), "syslog");
}

TEST(PortRegistry, RangeEntriesCoverEveryPortOfTheRange) {
  for (uint16_t port : std::initializer_list<uint16_t>{6000, 6001, 6032, 6063}) {
    EXPECT_EQ(reg().service_name(port, Protocol::kTcp), "x11") << port;
  }
  EXPECT_NE(reg().service_name(6064, Protocol::kTcp), "x11");
  auto x11 = reg().lookup(6010, Protocol::kUdp);
  ASSERT_EQ(x11.size(), 1u);
  EXPECT_EQ(x11[0]->port_lo, 6000);
  EXPECT_EQ(x11[0]->port_hi, 6063);
  EXPECT_EQ(reg().service_name(6667, Protocol::kTcp), "ircu");
}

TEST(PortRegistry, UnassignedPortsHaveNoEntries) {
  EXPECT_TRUE(reg().lookup(4, std::nullopt).empty());  // IANA: Unassigned
  EXPECT_TRUE(reg().lookup(0, std::nullopt).empty());  // IANA: Reserved
  EXPECT_TRUE(reg().lookup(65535, std::nullopt).empty());
  EXPECT_EQ(reg().service_name(65000, Protocol::kTcp), "");
}

TEST(PortRegistry, ClassifiesPortRanges) {
  EXPECT_EQ(classify_port(0), PortRangeClass::kWellKnown);
  EXPECT_EQ(classify_port(1023), PortRangeClass::kWellKnown);
  EXPECT_EQ(classify_port(1024), PortRangeClass::kRegistered);
  EXPECT_EQ(classify_port(49151), PortRangeClass::kRegistered);
  EXPECT_EQ(classify_port(49152), PortRangeClass::kDynamic);
  EXPECT_EQ(classify_port(65535), PortRangeClass::kDynamic);
  EXPECT_EQ(to_string(PortRangeClass::kWellKnown), "well-known");
  EXPECT_EQ(to_string(PortRangeClass::kRegistered), "registered");
  EXPECT_EQ(to_string(PortRangeClass::kDynamic), "dynamic/private");
}

TEST(PortRegistry, FindServiceIsCaseInsensitive) {
  auto ssh = reg().find_service("ssh");
  ASSERT_EQ(ssh.size(), 3u);  // tcp, udp, sctp
  for (const auto* e : ssh) EXPECT_EQ(e->port_lo, 22);
  EXPECT_EQ(reg().find_service("SSH").size(), 3u);
  EXPECT_EQ(reg().find_service("Ssh").size(), 3u);
  // IANA spells this one with capitals.
  auto cailic = reg().find_service("cailic");
  ASSERT_FALSE(cailic.empty());
  EXPECT_EQ(cailic[0]->name, "CAIlic");
  EXPECT_EQ(cailic[0]->port_lo, 216);
  EXPECT_TRUE(reg().find_service("nosuchservice").empty());
  EXPECT_TRUE(reg().find_service("").empty());
  EXPECT_TRUE(reg().find_service("ss").empty());  // no prefix matches
}

TEST(PortRegistry, MatchServicesGlobs) {
  auto has = [](const std::vector<const ServiceEntry*>& v, std::string_view name) {
    return std::any_of(v.begin(), v.end(), [&](const ServiceEntry* e) { return e->name == name; });
  };
  auto http = reg().match_services("http*");
  EXPECT_TRUE(has(http, "http"));
  EXPECT_TRUE(has(http, "https"));
  EXPECT_TRUE(has(http, "http-alt"));
  EXPECT_FALSE(has(http, "ssh"));
  EXPECT_TRUE(std::is_sorted(http.begin(), http.end()));  // entry order
  EXPECT_TRUE(has(reg().match_services("HTTP?"), "https"));
  EXPECT_FALSE(has(reg().match_services("HTTP?"), "http"));
  EXPECT_TRUE(has(reg().match_services("*-alt"), "http-alt"));
  EXPECT_EQ(reg().match_services("x1?").size(), 2u);  // x11 tcp and udp
  EXPECT_EQ(reg().match_services("*").size(), reg().entries().size());
  EXPECT_TRUE(reg().match_services("nomatch*").empty());
  EXPECT_EQ(reg().match_services("ssh").size(), 3u);  // no wildcard: exact
}

TEST(PortRegistry, FindServiceReturnsEveryPortOfAName) {
  auto http = reg().find_service("http");
  std::set<uint16_t> ports;
  for (const auto* e : http) ports.insert(e->port_lo);
  EXPECT_TRUE(ports.count(80));
  auto x11 = reg().find_service("x11");
  ASSERT_EQ(x11.size(), 2u);
  EXPECT_EQ(x11[0]->port_hi, 6063);
}

TEST(PortRegistry, EntriesAreSortedByPortAndWellFormed) {
  auto all = reg().entries();
  ASSERT_GT(all.size(), 11000u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(all[i].name.empty());
    EXPECT_LE(all[i].port_lo, all[i].port_hi);
    if (i > 0) {
      EXPECT_LE(all[i - 1].port_lo, all[i].port_lo);
    }
  }
}

TEST(PortRegistry, EveryEntryIsReachableByPortAndName) {
  // The generated indexes must agree with the entry table.
  for (const ServiceEntry& e : reg().entries()) {
    auto by_port = reg().lookup(e.port_hi, e.protocol);
    ASSERT_NE(std::find(by_port.begin(), by_port.end(), &e), by_port.end()) << e.name;
    auto by_name = reg().find_service(e.name);
    ASSERT_NE(std::find(by_name.begin(), by_name.end(), &e), by_name.end()) << e.name;
  }
}

class TopPorts : public ::testing::TestWithParam<Protocol> {};

TEST_P(TopPorts, AreLongUniqueAndNeverPortZero) {
  auto list = reg().top_ports(GetParam());
  if (GetParam() == Protocol::kSctp) {
    EXPECT_GE(list.size(), 80u);  // every SCTP port IANA knows
  } else {
    EXPECT_GE(list.size(), 1000u);
  }
  std::set<uint16_t> unique(list.begin(), list.end());
  EXPECT_EQ(unique.size(), list.size());
  EXPECT_EQ(unique.count(0), 0u);
}

INSTANTIATE_TEST_SUITE_P(AllProtocols, TopPorts,
                         ::testing::Values(Protocol::kTcp, Protocol::kUdp, Protocol::kSctp));

TEST(PortRegistry, TopPortsStartWithTheHandRankedHead) {
  auto tcp = reg().top_ports(Protocol::kTcp);
  EXPECT_EQ(tcp[0], 80);
  EXPECT_EQ(tcp[1], 443);
  EXPECT_EQ(tcp[2], 22);
  auto first100 = tcp.first(100);
  for (uint16_t port : std::initializer_list<uint16_t>{21, 22, 23, 25, 53, 80, 110, 139, 143, 443,
                                                       445, 3306, 3389, 8080}) {
    EXPECT_NE(std::find(first100.begin(), first100.end(), port), first100.end()) << port;
  }
  auto udp = reg().top_ports(Protocol::kUdp);
  EXPECT_EQ(udp[0], 53);
  auto udp20 = udp.first(20);
  for (uint16_t port : std::initializer_list<uint16_t>{53, 123, 161, 137, 500}) {
    EXPECT_NE(std::find(udp20.begin(), udp20.end(), port), udp20.end()) << port;
  }
}

TEST(PortRegistry, TopPortsFillWithAssignedPortsAscending) {
  // After the hand-ranked head, the fill rule appends IANA-assigned ports in
  // ascending order: the tail must be sorted and assigned.
  auto tcp = reg().top_ports(Protocol::kTcp);
  auto tail = tcp.last(200);
  EXPECT_TRUE(std::is_sorted(tail.begin(), tail.end()));
  for (uint16_t port : tail) EXPECT_FALSE(reg().lookup(port, Protocol::kTcp).empty()) << port;
}

TEST(PortRegistry, TopPortRank) {
  EXPECT_EQ(reg().top_port_rank(80, Protocol::kTcp), 1u);
  EXPECT_EQ(reg().top_port_rank(443, Protocol::kTcp), 2u);
  EXPECT_EQ(reg().top_port_rank(53, Protocol::kUdp), 1u);
  EXPECT_EQ(reg().top_port_rank(0, Protocol::kTcp), std::nullopt);
  EXPECT_EQ(reg().top_port_rank(65000, Protocol::kTcp), std::nullopt);
}

TEST(PortRegistry, CommonUsesCoverWellKnownNonIanaPorts) {
  auto uses = reg().common_uses(9200, Protocol::kTcp);
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0]->note, "elasticsearch");
  EXPECT_TRUE(reg().common_uses(9200, Protocol::kUdp).empty());
  EXPECT_FALSE(reg().common_uses(5905, Protocol::kTcp).empty());  // VNC display :5
  EXPECT_TRUE(reg().common_uses(4, std::nullopt).empty());
}

}  // namespace
}  // namespace portolan
