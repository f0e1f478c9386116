// Neighbour lookups against entries added with `ip neigh` in a namespace.
#include "portolan/link/neighbors_linux.h"

#include <gtest/gtest.h>
#include <net/if.h>

#include "netns_child.h"

namespace portolan {
namespace {

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

TEST(Neighbors, FindsUsableEntriesOnly) {
  RUN_IN_NETNS([]() -> std::string {
    using testing::sh;
    NS_CHECK(sh("ip link add name va type veth peer name vb") == 0);
    NS_CHECK(sh("ip link set va up && ip link set vb up") == 0);
    NS_CHECK(sh("ip addr add 10.1.0.1/24 dev va") == 0);
    NS_CHECK(sh("ip -6 addr add 2001:db8:1::1/64 dev va nodad") == 0);
    NS_CHECK(sh("ip neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev va nud permanent") == 0);
    NS_CHECK(sh("ip neigh add 10.1.0.10 lladdr 02:00:00:00:00:10 dev va nud stale") == 0);
    NS_CHECK(sh("ip neigh add 10.1.0.11 dev va nud failed") == 0);
    NS_CHECK(sh("ip -6 neigh add 2001:db8:1::9 lladdr 02:00:00:00:00:19 dev va nud permanent") ==
             0);
    const int va = static_cast<int>(if_nametoindex("va"));
    const int vb = static_cast<int>(if_nametoindex("vb"));

    auto permanent = lookup_neighbor(va, ip("10.1.0.9"));
    NS_CHECK_MSG(permanent.has_value(), "{}", permanent.error().message());
    NS_CHECK(permanent->has_value() && (*permanent)->to_string() == "02:00:00:00:00:09");

    auto stale = lookup_neighbor(va, ip("10.1.0.10"));
    NS_CHECK(stale.has_value() && stale->has_value() &&
             (*stale)->to_string() == "02:00:00:00:00:10");

    auto failed = lookup_neighbor(va, ip("10.1.0.11"));
    NS_CHECK(failed.has_value() && !failed->has_value());

    auto v6 = lookup_neighbor(va, ip("2001:db8:1::9"));
    NS_CHECK(v6.has_value() && v6->has_value() && (*v6)->to_string() == "02:00:00:00:00:19");

    auto unknown = lookup_neighbor(va, ip("10.1.0.77"));
    NS_CHECK_MSG(unknown.has_value(), "{}", unknown.error().message());
    NS_CHECK(!unknown->has_value());

    // The entry belongs to va, not to vb.
    auto other = lookup_neighbor(vb, ip("10.1.0.9"));
    NS_CHECK(other.has_value() && !other->has_value());
    return "";
  });
}

}  // namespace
}  // namespace portolan
