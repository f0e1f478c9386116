#include "portolan/scan/address_index.h"

#include <gtest/gtest.h>

#include <vector>

namespace portolan {
namespace {

TEST(AddressIndex, FindsEveryHostOfASlash16) {
  std::vector<IpAddress> hosts;
  for (uint32_t i = 0; i < 65536; ++i) hosts.push_back(IpAddress::v4(0xc6120000u + i));
  AddressIndex index(hosts);
  for (uint32_t i = 0; i < 65536; i += 97) EXPECT_EQ(index.find(hosts[i]), i);
  EXPECT_EQ(index.find(IpAddress::v4(0xc6130000u)), AddressIndex::kMissing);
  EXPECT_EQ(index.find(IpAddress::v4(0x7f000001u)), AddressIndex::kMissing);
}

TEST(AddressIndex, KeepsFamiliesApartAndFirstIndexOfDuplicates) {
  auto v6 = IpAddress::parse("::102:304");  // same low bytes as 1.2.3.4
  ASSERT_TRUE(v6);
  std::vector<IpAddress> hosts = {IpAddress::v4(0x01020304u), *v6, IpAddress::v4(0x01020304u)};
  AddressIndex index(hosts);
  EXPECT_EQ(index.find(hosts[0]), 0u);
  EXPECT_EQ(index.find(*v6), 1u);
  AddressIndex empty(std::span<const IpAddress>{});
  EXPECT_EQ(empty.find(hosts[0]), AddressIndex::kMissing);
}

}  // namespace
}  // namespace portolan
