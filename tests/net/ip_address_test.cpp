#include "portolan/net/ip_address.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(IpAddressTest, ParsesV4) {
  auto a = IpAddress::parse("127.0.0.1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->v4_host_order(), 0x7f000001u);
  EXPECT_EQ(a->to_string(), "127.0.0.1");
  EXPECT_TRUE(a->is_loopback());
}

TEST(IpAddressTest, ParsesV6AndCompresses) {
  auto a = IpAddress::parse("2001:0db8:0000:0000:0000:0000:0000:0001");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v6());
  EXPECT_EQ(a->to_string(), "2001:db8::1");
  EXPECT_TRUE(IpAddress::parse("::1")->is_loopback());
}

TEST(IpAddressTest, RejectsGarbage) {
  for (const char* bad : {"", "256.0.0.1", "1.2.3", "1.2.3.4.5", "::g", "localhost", "1.2.3.4/8"}) {
    auto a = IpAddress::parse(bad);
    ASSERT_FALSE(a) << bad;
    EXPECT_NE(a.error().message().find("invalid IP address"), std::string::npos);
  }
}

TEST(IpAddressTest, SockaddrRoundTrip) {
  for (const char* text : {"10.1.2.3", "2001:db8::42"}) {
    auto a = IpAddress::parse(text);
    ASSERT_TRUE(a);
    sockaddr_storage ss{};
    socklen_t len = a->to_sockaddr(8080, ss);
    EXPECT_GT(len, 0u);
    auto back = IpAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, *a);
  }
}

TEST(IpAddressTest, OrdersV4BeforeV6AndNumerically) {
  auto a = *IpAddress::parse("10.0.0.2");
  auto b = *IpAddress::parse("10.0.0.10");
  EXPECT_LT(a, b);
  EXPECT_LT(b, *IpAddress::parse("::1"));
}

}  // namespace
}  // namespace portolan
