// PortSet: bitmap membership, ranges, set algebra and nmap's compressed form.
#include "portolan/ports/port_set.h"

#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(PortSet, AddsRemovesAndCountsPerProtocol) {
  PortSet s;
  EXPECT_TRUE(s.empty());
  s.add(Protocol::kTcp, 22);
  s.add(Protocol::kTcp, 22);
  s.add(Protocol::kUdp, 53);
  EXPECT_TRUE(s.contains(Protocol::kTcp, 22));
  EXPECT_FALSE(s.contains(Protocol::kUdp, 22));
  EXPECT_EQ(s.count(Protocol::kTcp), 1u);
  EXPECT_EQ(s.count(), 2u);
  s.remove(Protocol::kTcp, 22);
  EXPECT_EQ(s.count(Protocol::kTcp), 0u);
  EXPECT_FALSE(s.empty());
}

TEST(PortSet, AddRangeIsInclusiveAtBothEnds) {
  PortSet s;
  s.add_range(Protocol::kTcp, 1000, 2000);
  EXPECT_EQ(s.count(Protocol::kTcp), 1001u);
  EXPECT_TRUE(s.contains(Protocol::kTcp, 1000));
  EXPECT_TRUE(s.contains(Protocol::kTcp, 2000));
  EXPECT_FALSE(s.contains(Protocol::kTcp, 999));
  EXPECT_FALSE(s.contains(Protocol::kTcp, 2001));
}

TEST(PortSet, AddRangeHandlesTheEdgesOfThePortSpace) {
  PortSet all;
  all.add_range(Protocol::kUdp, 0, 65535);
  EXPECT_EQ(all.count(Protocol::kUdp), 65536u);
  PortSet top;
  top.add_range(Protocol::kTcp, 65000, 65535);  // the loop must not wrap at 65535
  EXPECT_EQ(top.count(Protocol::kTcp), 536u);
  EXPECT_TRUE(top.contains(Protocol::kTcp, 65535));
  PortSet small;
  small.add_range(Protocol::kTcp, 7, 7);
  EXPECT_EQ(small.ports(Protocol::kTcp), std::vector<uint16_t>{7});
  PortSet reversed;
  reversed.add_range(Protocol::kTcp, 10, 5);
  EXPECT_TRUE(reversed.empty());
}

TEST(PortSet, RangesAgreeWithPortByPortAcrossWordBoundaries) {
  // add_range masks the two end words and fills the words between; walks
  // jump over runs. Both must agree with the one-port-at-a-time path.
  const std::pair<uint16_t, uint16_t> cases[] = {
      {0, 0},   {0, 63},    {0, 64},     {1, 62},        {63, 64},       {64, 127}, {60, 200},
      {1, 257}, {300, 556}, {63, 64000}, {65472, 65535}, {65535, 65535}, {0, 65535}};
  for (auto [lo, hi] : cases) {
    PortSet wide;
    wide.add_range(Protocol::kTcp, lo, hi);
    PortSet one_by_one;
    for (uint32_t p = lo; p <= hi; ++p) one_by_one.add(Protocol::kTcp, static_cast<uint16_t>(p));
    EXPECT_EQ(wide, one_by_one) << lo << "-" << hi;
    EXPECT_EQ(wide.count(Protocol::kTcp), size_t{hi} - lo + 1) << lo << "-" << hi;
    std::string expected =
        lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
    EXPECT_EQ(wide.compressed(Protocol::kTcp), expected);
    EXPECT_EQ(wide.ports(Protocol::kTcp).size(), size_t{hi} - lo + 1);
    EXPECT_EQ(wide.ports(Protocol::kTcp).front(), lo);
    EXPECT_EQ(wide.ports(Protocol::kTcp).back(), hi);
  }
}

TEST(PortSet, CompressedSplitsRunsAtWordBoundariesCorrectly) {
  PortSet s;
  s.add_range(Protocol::kUdp, 60, 63);
  s.add_range(Protocol::kUdp, 65, 130);
  s.add(Protocol::kUdp, 192);
  s.add_range(Protocol::kUdp, 65534, 65535);
  EXPECT_EQ(s.compressed(Protocol::kUdp), "60-63,65-130,192,65534-65535");
  s.remove(Protocol::kUdp, 100);
  EXPECT_EQ(s.compressed(Protocol::kUdp), "60-63,65-99,101-130,192,65534-65535");
}

TEST(PortSet, SubtractAndMerge) {
  PortSet a;
  a.add_range(Protocol::kTcp, 1, 100);
  a.add(Protocol::kUdp, 53);
  PortSet b;
  b.add_range(Protocol::kTcp, 50, 200);
  b.add(Protocol::kUdp, 161);
  PortSet diff = a;
  diff.subtract(b);
  EXPECT_EQ(diff.compressed(Protocol::kTcp), "1-49");
  EXPECT_EQ(diff.compressed(Protocol::kUdp), "53");
  PortSet both = a;
  both.merge(b);
  EXPECT_EQ(both.compressed(Protocol::kTcp), "1-200");
  EXPECT_EQ(both.compressed(Protocol::kUdp), "53,161");
}

TEST(PortSet, PortsAreAscending) {
  PortSet s;
  for (uint16_t p : std::initializer_list<uint16_t>{443, 22, 80, 0, 65535})
    s.add(Protocol::kSctp, p);
  EXPECT_EQ(s.ports(Protocol::kSctp), (std::vector<uint16_t>{0, 22, 80, 443, 65535}));
  EXPECT_TRUE(s.ports(Protocol::kTcp).empty());
}

TEST(PortSet, CompressedMergesRunsLikeNmapScaninfo) {
  PortSet s;
  EXPECT_EQ(s.compressed(Protocol::kTcp), "");
  s.add_range(Protocol::kTcp, 1, 1000);
  s.add(Protocol::kTcp, 8080);
  s.add(Protocol::kTcp, 8081);
  s.add(Protocol::kTcp, 65535);
  EXPECT_EQ(s.compressed(Protocol::kTcp), "1-1000,8080-8081,65535");
  PortSet zero;
  zero.add(Protocol::kTcp, 0);
  EXPECT_EQ(zero.compressed(Protocol::kTcp), "0");
}

}  // namespace
}  // namespace portolan
