#include "portolan/targets/special_ranges.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

std::vector<std::string> skipped(std::vector<std::string> specs) {
  std::vector<std::string> out;
  for (const auto& r : special_ranges_to_skip(specs)) out.emplace_back(r.cidr);
  return out;
}

TEST(SpecialRanges, RangesSkipSpecialUseSpace) {
  EXPECT_EQ(skipped({"198.18.0.0/16"}), std::vector<std::string>{"198.18.0.0/15"});
  EXPECT_EQ(skipped({"0.0.0.0/0"}).size(), 8u);  // every IPv4 special range
  EXPECT_EQ(skipped({"2001:db8::/120"}), std::vector<std::string>{"2001:db8::/32"});
}

TEST(SpecialRanges, SingleAddressesAndOrdinarySpaceAreScanned) {
  EXPECT_TRUE(skipped({"198.18.0.1"}).empty());
  EXPECT_TRUE(skipped({"10.0.0.0/8", "192.168.1.0/24", "127.0.0.0/8"}).empty());
  // An address typed alone keeps its range in even when a range overlaps it.
  EXPECT_TRUE(skipped({"198.18.0.0/24", "198.18.5.5"}).empty());
  EXPECT_TRUE(skipped({"scanme.example"}).empty());  // names resolve nothing here
  EXPECT_EQ(skipped({"224.0.0.1-3"}), std::vector<std::string>{"224.0.0.0/4"});
}

}  // namespace
}  // namespace portolan
