// Interface listing: in a namespace with lo and a veth pair of known
// addresses, MTU and MAC; source address choice on hand-made interfaces.
#include "portolan/link/interfaces_linux.h"

#include <gtest/gtest.h>
#include <net/if.h>
#include <net/if_arp.h>

#include <algorithm>

#include "netns_child.h"

namespace portolan {
namespace {

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

const NetInterface* by_name(const std::vector<NetInterface>& all, const std::string& name) {
  for (const auto& itf : all) {
    if (itf.name == name) return &itf;
  }
  return nullptr;
}

bool has_address(const NetInterface& itf, const char* addr, uint8_t prefix) {
  return std::find(itf.addresses.begin(), itf.addresses.end(),
                   std::pair<IpAddress, uint8_t>(ip(addr), prefix)) != itf.addresses.end();
}

TEST(Interfaces, ListsLoopbackAndVethInANamespace) {
  RUN_IN_NETNS([]() -> std::string {
    using testing::sh;
    NS_CHECK(sh("ip link add name va type veth peer name vb") == 0);
    NS_CHECK(sh("ip link set va address 02:00:00:00:00:0a mtu 1400 up") == 0);
    NS_CHECK(sh("ip addr add 10.1.0.1/24 dev va") == 0);
    NS_CHECK(sh("ip -6 addr add 2001:db8:1::1/64 dev va nodad") == 0);

    auto all = list_interfaces();
    NS_CHECK_MSG(all.has_value(), "{}", all.error().message());
    NS_CHECK(std::is_sorted(all->begin(), all->end(),
                            [](const auto& a, const auto& b) { return a.index < b.index; }));

    const NetInterface* lo = by_name(*all, "lo");
    NS_CHECK(lo != nullptr);
    NS_CHECK(lo->loopback && lo->up);
    NS_CHECK(lo->mac.is_zero());
    NS_CHECK(lo->link_type == ARPHRD_LOOPBACK && lo->has_ethernet_framing());
    NS_CHECK(has_address(*lo, "127.0.0.1", 8));
    NS_CHECK(has_address(*lo, "::1", 128));

    const NetInterface* va = by_name(*all, "va");
    NS_CHECK(va != nullptr);
    NS_CHECK(va->index == static_cast<int>(if_nametoindex("va")));
    NS_CHECK(!va->loopback && va->up);
    NS_CHECK(va->mtu == 1400);
    NS_CHECK(va->mac.to_string() == "02:00:00:00:00:0a");
    NS_CHECK(va->link_type == ARPHRD_ETHER && va->has_ethernet_framing());
    NS_CHECK(has_address(*va, "10.1.0.1", 24));
    NS_CHECK(has_address(*va, "2001:db8:1::1", 64));

    const NetInterface* vb = by_name(*all, "vb");
    NS_CHECK(vb != nullptr);
    NS_CHECK(!vb->up);
    NS_CHECK(vb->addresses.empty());

    auto found = find_interface("va");
    NS_CHECK(found.has_value() && found->index == va->index && found->mac == va->mac);
    auto missing = find_interface("pl-nope");
    NS_CHECK(!missing.has_value());
    NS_CHECK_MSG(missing.error().message() == "no interface named 'pl-nope'", "{}",
                 missing.error().message());
    NS_CHECK(missing.error().kind() == ErrorKind::kNotFound);
    return "";
  });
}

TEST(Interfaces, SourceForPrefersTheGatewaysSubnetOnIpv4) {
  NetInterface itf;
  itf.addresses = {{ip("10.1.0.1"), 24}, {ip("192.0.2.1"), 24}};
  EXPECT_EQ(*itf.source_for(ip("198.51.100.7")), ip("10.1.0.1"));
  const IpAddress gw = ip("192.0.2.254");
  EXPECT_EQ(*itf.source_for(ip("198.51.100.7"), &gw), ip("192.0.2.1"));
  EXPECT_EQ(itf.source_for(ip("2001:db8::1")), nullptr);
}

TEST(Interfaces, SourceForMatchesIpv6Scope) {
  NetInterface itf;
  itf.addresses = {{ip("fe80::1"), 64}, {ip("2001:db8:1::1"), 64}, {ip("2001:db8:2::1"), 64}};
  EXPECT_EQ(*itf.source_for(ip("2001:db8:2::77")), ip("2001:db8:2::1"));
  EXPECT_EQ(*itf.source_for(ip("2001:db8:9::1")), ip("2001:db8:1::1"));
  EXPECT_EQ(*itf.source_for(ip("fe80::2")), ip("fe80::1"));

  NetInterface global_only;
  global_only.addresses = {{ip("2001:db8:1::1"), 64}};
  EXPECT_EQ(global_only.source_for(ip("fe80::2")), nullptr);
}

}  // namespace
}  // namespace portolan
