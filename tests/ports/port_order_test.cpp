// Scan order: seeded shuffle with the popular ports first, or ascending (-r).
#include "portolan/ports/port_order.h"

#include <algorithm>
#include <numeric>

#include <gtest/gtest.h>

#include "portolan/ports/port_set.h"
#include "portolan/registry/port_registry.h"

namespace portolan {
namespace {

std::vector<uint16_t> range(uint16_t lo, uint16_t hi) {
  std::vector<uint16_t> v(size_t{hi} - lo + 1);
  std::iota(v.begin(), v.end(), lo);
  return v;
}

TEST(PortOrder, SequentialIsAscending) {
  std::vector<uint16_t> ports = {443, 22, 80, 8080, 1};
  auto out = order_ports(ports, PortOrder::kSequential, 42, std::vector<uint16_t>{80});
  EXPECT_EQ(out, (std::vector<uint16_t>{1, 22, 80, 443, 8080}));
}

TEST(PortOrder, RandomIsAPermutation) {
  auto ports = range(1, 1000);
  auto out = order_ports(ports, PortOrder::kRandom, 7);
  EXPECT_NE(out, ports);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, ports);
}

TEST(PortOrder, SameSeedSameOrderOtherSeedOtherOrder) {
  auto ports = range(1, 500);
  auto a = order_ports(ports, PortOrder::kRandom, 12345);
  auto b = order_ports(ports, PortOrder::kRandom, 12345);
  auto c = order_ports(ports, PortOrder::kRandom, 12346);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(PortOrder, GoldenOrderForAFixedSeed) {
  // Pins the algorithm (mt19937_64, Lemire bounded draws, Fisher-Yates), so a
  // change that would alter every seeded scan's order shows up here.
  auto out = order_ports(range(1, 10), PortOrder::kRandom, 1);
  auto again = order_ports(range(1, 10), PortOrder::kRandom, 1);
  EXPECT_EQ(out, again);
  EXPECT_EQ(out, (std::vector<uint16_t>{6, 8, 7, 9, 5, 3, 1, 4, 10, 2}));
}

TEST(PortOrder, EarlyPortsGoFirstInTheirOwnOrder) {
  auto ports = range(1, 1000);
  std::vector<uint16_t> early = {443, 80, 22, 5000 /* not in ports */, 21};
  auto out = order_ports(ports, PortOrder::kRandom, 99, early);
  ASSERT_EQ(out.size(), 1000u);
  EXPECT_EQ((std::vector<uint16_t>(out.begin(), out.begin() + 4)),
            (std::vector<uint16_t>{443, 80, 22, 21}));
  // The rest keeps the plain shuffle's relative order.
  auto plain = order_ports(ports, PortOrder::kRandom, 99);
  std::erase_if(plain, [](uint16_t p) { return p == 443 || p == 80 || p == 22 || p == 21; });
  EXPECT_EQ(std::vector<uint16_t>(out.begin() + 4, out.end()), plain);
}

TEST(PortOrder, EmptyAndSingle) {
  EXPECT_TRUE(order_ports({}, PortOrder::kRandom, 1).empty());
  EXPECT_EQ(order_ports({7}, PortOrder::kRandom, 1), std::vector<uint16_t>{7});
}

TEST(PortOrder, ScanOrderUsesTheRankingHead) {
  const auto& reg = PortRegistry::builtin();
  PortSet set;
  set.add_range(Protocol::kTcp, 1, 1024);
  auto out = scan_order(set, Protocol::kTcp, PortOrder::kRandom, 5, reg);
  ASSERT_EQ(out.size(), 1024u);
  // The first ranked ports that are in the set lead, in rank order.
  std::vector<uint16_t> expected;
  for (uint16_t p : reg.top_ports(Protocol::kTcp).first(kEarlyPortCount)) {
    if (p >= 1 && p <= 1024) expected.push_back(p);
  }
  EXPECT_EQ(std::vector<uint16_t>(out.begin(), out.begin() + static_cast<long>(expected.size())),
            expected);
  EXPECT_EQ(out.front(), 80);
  auto sequential = scan_order(set, Protocol::kTcp, PortOrder::kSequential, 5, reg);
  EXPECT_EQ(sequential, range(1, 1024));
  EXPECT_TRUE(scan_order(set, Protocol::kUdp, PortOrder::kRandom, 5, reg).empty());
}

}  // namespace
}  // namespace portolan
