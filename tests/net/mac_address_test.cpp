#include "portolan/net/mac_address.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(MacAddress, ParsesColonsAndDashesInEitherCase) {
  auto a = MacAddress::parse("02:00:5E:10:00:01");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->to_string(), "02:00:5e:10:00:01");
  auto b = MacAddress::parse("02-00-5e-10-00-01");
  ASSERT_TRUE(b);
  EXPECT_EQ(*a, *b);
}

TEST(MacAddress, RejectsMalformedText) {
  for (const char* bad : {"", "02:00:5e:10:00", "02:00:5e:10:00:0g", "02:00-5e:10:00:01",
                          "02:00:5e:10:00:011", "0200.5e10.0001"}) {
    auto r = MacAddress::parse(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message().find("invalid MAC address"), std::string::npos);
  }
}

TEST(MacAddress, ZeroAndBroadcast) {
  EXPECT_TRUE(MacAddress{}.is_zero());
  EXPECT_FALSE(MacAddress::broadcast().is_zero());
  EXPECT_EQ(MacAddress::broadcast().to_string(), "ff:ff:ff:ff:ff:ff");
}

}  // namespace
}  // namespace portolan
