// Route lookups: the interval sweep against a brute-force longest-prefix
// match on random tables, its speed, and in a namespace with several kinds of
// routes, lookup() against the kernel's own answer for hundreds of addresses.
#include "portolan/link/route_table_linux.h"

#include <gtest/gtest.h>
#include <net/if.h>
#include <time.h>

#include <chrono>
#include <random>

#include "netns_child.h"

namespace portolan {
namespace {

using Type = RouteEntry::Type;

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

// CPU time of this thread: the speed checks must not fail because a shared
// CI machine is busy (in Debug builds a lookup costs ~0.8 us, ~40 ns optimised).
double thread_cpu_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

NetInterface make_interface(int index, const char* name, bool loopback,
                            std::vector<std::pair<IpAddress, uint8_t>> addresses) {
  NetInterface itf;
  itf.index = index;
  itf.name = name;
  itf.loopback = loopback;
  itf.up = true;
  itf.mtu = loopback ? 65536 : 1500;
  itf.link_type = loopback ? 772 : 1;
  itf.addresses = std::move(addresses);
  return itf;
}

std::vector<NetInterface> two_interfaces() {
  return {make_interface(1, "lo", true, {{ip("127.0.0.1"), 8}, {ip("::1"), 128}}),
          make_interface(2, "eth0", false,
                         {{ip("10.0.0.2"), 24}, {ip("2001:db8::2"), 64}, {ip("fe80::2"), 64}})};
}

RouteEntry route(const char* prefix, uint8_t len, Type type, uint32_t table = 254,
                 uint32_t metric = 0, const char* gateway = nullptr) {
  RouteEntry r;
  r.prefix = ip(prefix);
  r.prefix_len = len;
  r.type = type;
  r.table = table;
  r.metric = metric;
  r.ifindex = type == Type::kLocal ? 1 : 2;
  if (gateway != nullptr) r.gateway = ip(gateway);
  return r;
}

std::optional<IpAddress> gateway_of(const RouteTable& t, const char* dst) {
  auto p = t.lookup(ip(dst));
  return p ? p->gateway : std::nullopt;
}

TEST(RouteTable, LongestPrefixThenLowestMetric) {
  auto t = RouteTable::build({route("0.0.0.0", 0, Type::kUnicast, 254, 0, "10.0.0.1"),
                              route("10.0.0.0", 24, Type::kUnicast),
                              route("198.51.100.0", 24, Type::kUnicast, 254, 20, "10.0.0.20"),
                              route("198.51.100.0", 24, Type::kUnicast, 254, 10, "10.0.0.10"),
                              route("198.51.100.64", 26, Type::kUnicast, 254, 0, "10.0.0.64"),
                              route("198.51.100.72", 32, Type::kReject)},
                             two_interfaces());
  EXPECT_EQ(gateway_of(t, "8.8.8.8"), ip("10.0.0.1"));
  EXPECT_EQ(gateway_of(t, "198.51.100.1"), ip("10.0.0.10"));
  EXPECT_EQ(gateway_of(t, "198.51.100.63"), ip("10.0.0.10"));
  EXPECT_EQ(gateway_of(t, "198.51.100.64"), ip("10.0.0.64"));
  EXPECT_EQ(gateway_of(t, "198.51.100.127"), ip("10.0.0.64"));
  EXPECT_EQ(gateway_of(t, "198.51.100.128"), ip("10.0.0.10"));
  EXPECT_EQ(gateway_of(t, "255.255.255.255"), ip("10.0.0.1"));

  auto onlink = t.lookup(ip("10.0.0.77"));
  ASSERT_TRUE(onlink.has_value());
  EXPECT_EQ(onlink->ifname, "eth0");
  EXPECT_EQ(onlink->source, ip("10.0.0.2"));
  EXPECT_FALSE(onlink->gateway.has_value());
  EXPECT_EQ(onlink->mtu, 1500);

  auto rejected = t.lookup(ip("198.51.100.72"));
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().message(), "no route to 198.51.100.72");
}

TEST(RouteTable, LocalTableComesFirstAndThrowFallsThrough) {
  auto t = RouteTable::build(
      {route("0.0.0.0", 0, Type::kUnicast, 254, 0, "10.0.0.1"),
       route("127.0.0.0", 8, Type::kLocal, 255),
       route("127.0.0.0", 16, Type::kUnicast, 254, 0, "10.0.0.9"),
       route("203.0.113.0", 24, Type::kLocal, 255), route("203.0.113.128", 25, Type::kThrow, 255),
       route("203.0.113.192", 26, Type::kThrow, 254)},
      two_interfaces());
  // The local /8 wins over the longer main-table /16.
  auto local = t.lookup(ip("127.0.3.4"));
  ASSERT_TRUE(local.has_value());
  EXPECT_TRUE(local->loopback);
  EXPECT_EQ(local->ifname, "lo");
  EXPECT_EQ(local->source, ip("127.0.3.4"));
  EXPECT_TRUE(t.lookup(ip("203.0.113.5"))->loopback);
  // A throw in local continues in main (the default route); one in main ends.
  EXPECT_EQ(gateway_of(t, "203.0.113.130"), ip("10.0.0.1"));
  EXPECT_FALSE(t.lookup(ip("203.0.113.200")).has_value());
}

TEST(RouteTable, Ipv6AndNoRoute) {
  RouteEntry mtu_route = route("2001:db8:5::", 48, Type::kUnicast, 254, 0, "2001:db8::1");
  mtu_route.mtu = 1280;
  mtu_route.preferred_source = ip("2001:db8::99");
  auto t = RouteTable::build({route("2001:db8::", 64, Type::kUnicast, 254, 256),
                              route("2001:db8::2", 128, Type::kLocal, 255), mtu_route,
                              route("::1", 128, Type::kLocal, 255)},
                             two_interfaces());
  auto onlink = t.lookup(ip("2001:db8::7"));
  ASSERT_TRUE(onlink.has_value());
  EXPECT_EQ(onlink->source, ip("2001:db8::2"));
  auto via = t.lookup(ip("2001:db8:5::1"));
  ASSERT_TRUE(via.has_value());
  EXPECT_EQ(via->gateway, ip("2001:db8::1"));
  EXPECT_EQ(via->mtu, 1280);
  EXPECT_EQ(via->source, ip("2001:db8::99"));
  EXPECT_EQ(t.lookup(ip("::1"))->source, ip("::1"));
  EXPECT_TRUE(t.lookup(ip("2001:db8::2"))->loopback);
  auto none = t.lookup(ip("2001:db8:6::1"));
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().message(), "no route to 2001:db8:6::1");
  EXPECT_FALSE(t.lookup(ip("198.51.100.7")).has_value());
}

// ---------------------------------------------------------------------------
// The sweep against a brute-force reference on random tables.

bool in_prefix(const IpAddress& a, const RouteEntry& r) {
  if (a.family() != r.prefix.family()) return false;
  for (int bit = 0; bit < r.prefix_len; ++bit) {
    const int byte = bit / 8;
    const int mask = 0x80 >> (bit % 8);
    if ((a.bytes()[byte] & mask) != (r.prefix.bytes()[byte] & mask)) return false;
  }
  return true;
}

// The winning route index by the kernel's rules, or -1.
int reference_lookup(const std::vector<RouteEntry>& routes, const IpAddress& dst) {
  for (uint32_t table : {255u, 254u}) {
    int best = -1;
    for (size_t i = 0; i < routes.size(); ++i) {
      const RouteEntry& r = routes[i];
      if (r.table != table || !in_prefix(dst, r)) continue;
      if (best < 0 || r.prefix_len > routes[best].prefix_len ||
          (r.prefix_len == routes[best].prefix_len && r.metric < routes[best].metric)) {
        best = static_cast<int>(i);
      }
    }
    if (best >= 0 && routes[best].type != Type::kThrow) return best;
  }
  return -1;
}

IpAddress random_near(std::mt19937_64& rng, const std::vector<IpAddress>& bases) {
  std::array<uint8_t, 16> b = bases[rng() % bases.size()].bytes();
  const bool v4 = bases[0].is_v4();
  const int width = v4 ? 4 : 16;
  // Keep the leading bytes mostly, randomise a suffix of varying length.
  const int keep = static_cast<int>(rng() % static_cast<uint64_t>(width + 1));
  for (int i = keep; i < width; ++i) b[i] = static_cast<uint8_t>(rng());
  if (v4)
    return IpAddress::v4(uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3]);
  return IpAddress::v6(b);
}

void check_against_reference(bool v6, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<IpAddress> bases =
      v6 ? std::vector<IpAddress>{ip("2001:db8:1::"), ip("2001:db8:1:2::"), ip("ffff:ffff::")}
         : std::vector<IpAddress>{ip("10.1.2.3"), ip("10.1.200.0"), ip("255.255.255.0"),
                                  ip("0.0.0.0")};
  const std::vector<uint8_t> lengths =
      v6 ? std::vector<uint8_t>{0, 16, 32, 48, 63, 64, 65, 96, 127, 128}
         : std::vector<uint8_t>{0, 1, 8, 12, 16, 23, 24, 28, 31, 32};
  std::vector<RouteEntry> routes;
  for (int i = 0; i < 60; ++i) {
    RouteEntry r;
    r.prefix = random_near(rng, bases);
    r.prefix_len = lengths[rng() % lengths.size()];
    r.table = rng() % 4 == 0 ? 255 : 254;
    r.metric = static_cast<uint32_t>(rng() % 3);
    const uint64_t kind = rng() % 10;
    r.type = kind < 6 ? Type::kUnicast : kind < 8 ? Type::kReject : Type::kThrow;
    r.ifindex = 2;
    // A unique gateway names the route in the answer.
    r.gateway = v6 ? IpAddress::v6({0x20, 0x01, 0x0d, 0xb8, 0xee, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    static_cast<uint8_t>(i)})
                   : IpAddress::v4(0x0a0a0000u + static_cast<uint32_t>(i));
    routes.push_back(r);
  }
  const auto table = RouteTable::build(routes, two_interfaces());
  for (int i = 0; i < 5000; ++i) {
    const IpAddress dst = random_near(rng, bases);
    const int want = reference_lookup(routes, dst);
    auto got = table.lookup(dst);
    if (want < 0 || routes[want].type != Type::kUnicast) {
      ASSERT_FALSE(got.has_value()) << dst.to_string() << " seed " << seed;
    } else {
      ASSERT_TRUE(got.has_value()) << dst.to_string() << " seed " << seed;
      ASSERT_EQ(got->gateway, routes[want].gateway) << dst.to_string() << " seed " << seed;
    }
  }
}

TEST(RouteTable, MatchesBruteForceOnRandomIpv4Tables) {
  for (uint64_t seed = 1; seed <= 20; ++seed) check_against_reference(false, seed);
}

TEST(RouteTable, MatchesBruteForceOnRandomIpv6Tables) {
  for (uint64_t seed = 1; seed <= 20; ++seed) check_against_reference(true, seed);
}

TEST(RouteTable, LooksUpASlash16WellUnder100Ms) {
  // A busy host's table: 2,000 routes of assorted lengths.
  std::mt19937_64 rng(7);
  std::vector<RouteEntry> routes{route("0.0.0.0", 0, Type::kUnicast, 254, 0, "10.0.0.1")};
  for (int i = 0; i < 2000; ++i) {
    RouteEntry r = route("0.0.0.0", 0, Type::kUnicast, 254, 0, "10.0.0.1");
    r.prefix = IpAddress::v4(static_cast<uint32_t>(rng()));
    r.prefix_len = static_cast<uint8_t>(8 + rng() % 25);
    routes.push_back(r);
  }
  const auto table = RouteTable::build(routes, two_interfaces());
  const double start = thread_cpu_ms();
  size_t ok = 0;
  for (uint32_t i = 0; i < 65536; ++i) {
    ok += table.lookup(IpAddress::v4(0xc6120000u | i)).has_value();
  }
  const double ms = thread_cpu_ms() - start;
  EXPECT_EQ(ok, 65536u);
  EXPECT_LT(ms, 100) << "65,536 lookups took " << ms << " ms of CPU";
}

// ---------------------------------------------------------------------------
// Against the kernel, in a namespace.

// Routes of every kind the engine meets; no default route.
std::string build_lab_routes() {
  using testing::sh;
  const char* commands[] = {
      "ip link add name va type veth peer name vb",
      "ip link set va up",
      "ip link set vb up",
      "ip addr add 10.1.0.1/24 dev va",            // on-link /24
      "ip addr add 10.8.0.1/24 dev vb",            // a second interface
      "ip route add 10.2.0.0/16 via 10.1.0.254",   // via a gateway
      "ip route add 10.2.3.16/28 via 10.1.0.253",  // more specific inside it
      "ip route add 10.2.4.0/24 dev vb",           // on-link elsewhere inside it
      "ip route add blackhole 10.3.0.0/16",        // reject kinds
      "ip route add unreachable 10.4.0.0/24",
      "ip route add prohibit 10.4.1.0/24",
      "ip route add local 10.5.0.0/24 dev lo",  // AnyIP range
      "ip route add 10.6.0.0/16 via 10.1.0.254 metric 100",
      "ip route add 10.6.0.0/16 via 10.8.0.254 metric 50",  // lower metric wins
      "ip route add 10.7.0.0/16 dev va src 10.1.0.1 mtu 1300",
      "ip -6 addr add 2001:db8:1::1/64 dev va nodad",  // on-link /64
      "ip -6 addr add 2001:db8:8::1/64 dev vb nodad",
      "ip -6 route add 2001:db8:2::/48 via 2001:db8:1::fe",
      "ip -6 route add 2001:db8:2:5::/64 via 2001:db8:8::fe",
      "ip -6 route add blackhole 2001:db8:3::/48",
  };
  for (const char* c : commands) NS_CHECK_MSG(sh(c) == 0, "{}", c);
  return "";
}

std::string describe(const Result<PathInfo>& p) {
  if (!p) return "error: " + p.error().message();
  return fmt::format("{} idx {} src {} gw {} mtu {} lo {} mac {}", p->ifname, p->ifindex,
                     p->source.to_string(), p->gateway ? p->gateway->to_string() : "-", p->mtu,
                     p->loopback, p->if_mac.to_string());
}

TEST(RouteTable, AgreesWithTheKernelInANamespace) {
  RUN_IN_NETNS([]() -> std::string {
    if (auto e = build_lab_routes(); !e.empty()) return e;
    auto table = RouteTable::load();
    NS_CHECK_MSG(table.has_value(), "{}", table.error().message());

    std::vector<IpAddress> probes;
    // Edges and insides of every route, and a few outside all of them.
    const char* fixed[] = {"10.1.0.0",
                           "10.1.0.1",
                           "10.1.0.2",
                           "10.1.0.254",
                           "10.1.0.255",
                           "10.2.0.0",
                           "10.2.3.15",
                           "10.2.3.16",
                           "10.2.3.31",
                           "10.2.3.32",
                           "10.2.4.0",
                           "10.2.4.255",
                           "10.2.255.255",
                           "10.3.0.1",
                           "10.4.0.1",
                           "10.4.1.1",
                           "10.4.2.1",
                           "10.5.0.0",
                           "10.5.0.77",
                           "10.5.1.0",
                           "10.6.1.1",
                           "10.7.9.9",
                           "10.8.0.9",
                           "127.0.0.1",
                           "127.0.0.5",
                           "127.255.255.254",
                           "198.51.100.7",
                           "0.0.0.1",
                           "255.255.255.254",
                           "2001:db8:1::1",
                           "2001:db8:1::5",
                           "2001:db8:1:0:ffff::1",
                           "2001:db8:2::1",
                           "2001:db8:2:5::9",
                           "2001:db8:2:6::9",
                           "2001:db8:3::1",
                           "2001:db8:8::7",
                           "2001:db8:9::1",
                           "::1",
                           "::2"};
    for (const char* f : fixed) probes.push_back(ip(f));
    std::mt19937 rng(42);
    // (first address, span) of regions around the routes above.
    const std::pair<uint32_t, uint32_t> regions[] = {
        {0x0a010000, 0x200},   {0x0a020000, 0x10000}, {0x0a020300, 0x40},  {0x0a020400, 0x200},
        {0x0a030000, 0x10000}, {0x0a040000, 0x300},   {0x0a050000, 0x200}, {0x0a060000, 0x10000},
        {0x0a070000, 0x10000}, {0x0a080000, 0x200}};
    for (int i = 0; i < 300; ++i) {
      const auto [first, span] = regions[rng() % std::size(regions)];
      probes.push_back(IpAddress::v4(first + static_cast<uint32_t>(rng() % span)));
    }
    for (int i = 0; i < 60; ++i) {
      std::array<uint8_t, 16> b = ip("2001:db8::").bytes();
      b[5] = static_cast<uint8_t>(1 + rng() % 9);
      b[7] = static_cast<uint8_t>(rng() % 8);
      b[15] = static_cast<uint8_t>(rng());
      probes.push_back(IpAddress::v6(b));
    }

    size_t routed = 0;
    for (const auto& dst : probes) {
      const auto mine = table->lookup(dst);
      const auto kernel = kernel_route(dst);
      NS_CHECK_MSG(describe(mine) == describe(kernel), "{}: table says {}, kernel says {}",
                   dst.to_string(), describe(mine), describe(kernel));
      routed += mine.has_value();
    }
    NS_CHECK_MSG(routed > probes.size() / 2, "only {} of {} routed", routed, probes.size());

    const auto none = table->lookup(ip("198.51.100.7"));
    NS_CHECK(!none.has_value() && none.error().message() == "no route to 198.51.100.7");
    const auto lo = table->lookup(ip("10.5.0.77"));
    NS_CHECK(lo.has_value() && lo->loopback && lo->source == ip("10.5.0.77"));
    const auto mtu = table->lookup(ip("10.7.1.1"));
    NS_CHECK(mtu.has_value() && mtu->mtu == 1300);
    const auto metric = table->lookup(ip("10.6.1.1"));
    NS_CHECK(metric.has_value() && metric->gateway == ip("10.8.0.254") && metric->ifname == "vb");
    return "";
  });
}

TEST(RouteTable, LoadedTableLooksUpASlash16Quickly) {
  RUN_IN_NETNS([]() -> std::string {
    if (auto e = build_lab_routes(); !e.empty()) return e;
    auto table = RouteTable::load();
    NS_CHECK_MSG(table.has_value(), "{}", table.error().message());
    const double start = thread_cpu_ms();
    size_t routed = 0;
    for (uint32_t i = 0; i < 65536; ++i) {
      routed += table->lookup(IpAddress::v4(0x0a020000u | i)).has_value();
    }
    const double ms = thread_cpu_ms() - start;
    NS_CHECK(routed == 65536);
    NS_CHECK_MSG(ms < 100, "65,536 lookups took {:.1f} ms of CPU", ms);
    return "";
  });
}

}  // namespace
}  // namespace portolan
