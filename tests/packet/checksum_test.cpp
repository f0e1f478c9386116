// Internet checksum: RFC 1071's worked example, a real IPv4 header, and that
// partial sums split anywhere (odd positions included) agree with one sum.
#include "portolan/packet/checksum.h"

#include <gtest/gtest.h>

#include "packet_bytes.h"

namespace portolan {
namespace {

using testing::hex;

std::vector<uint8_t> as_u8(const std::vector<std::byte>& b) {
  std::vector<uint8_t> out;
  for (std::byte x : b) out.push_back(static_cast<uint8_t>(x));
  return out;
}

TEST(InternetChecksum, MatchesTheRfc1071Example) {
  // RFC 1071 section 3: these bytes sum to ddf2 (folded).
  const auto bytes = hex("00 01 f2 03 f4 f5 f6 f7");
  EXPECT_EQ(InternetChecksum().add(bytes).folded(), 0xddf2);
  EXPECT_EQ(internet_checksum(bytes), 0x220d);
}

TEST(InternetChecksum, ComputesAndVerifiesAnIpv4Header) {
  // 192.168.0.1 -> 192.168.0.199, UDP; the checksum field (b861) zeroed.
  auto header = hex("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
  EXPECT_EQ(internet_checksum(header), 0xb861);
  header[10] = std::byte{0xb8};
  header[11] = std::byte{0x61};
  EXPECT_EQ(internet_checksum(header), 0);
  EXPECT_EQ(InternetChecksum().add(header).folded(), 0xffff);
}

TEST(InternetChecksum, PadsAnOddTrailingByteWithZero) {
  EXPECT_EQ(InternetChecksum().add(hex("01 02 03")).folded(), 0x0402);
  EXPECT_EQ(InternetChecksum().add(hex("ff")).folded(), 0xff00);
  EXPECT_EQ(internet_checksum({}), 0xffff);
}

TEST(InternetChecksum, PartialSumsSplitAnywhereAgreeWithOneSum) {
  std::vector<std::byte> data;
  for (int i = 0; i < 71; ++i) data.push_back(std::byte(static_cast<uint8_t>(i * 37 + 11)));
  const uint16_t whole = internet_checksum(data);
  EXPECT_EQ(InternetChecksum().add(data).folded(), testing::naive_sum(as_u8(data)));
  const std::span<const std::byte> all(data);
  for (size_t a = 0; a <= all.size(); ++a) {
    for (size_t b = a; b <= all.size(); b += 7) {
      InternetChecksum sum;
      sum.add(all.first(a)).add(all.subspan(a, b - a)).add(all.subspan(b));
      ASSERT_EQ(sum.value(), whole) << a << " " << b;
    }
  }
}

TEST(InternetChecksum, FieldAddsMatchTheBytesTheyStandFor) {
  // After an odd piece, add16/add32 still count as big-endian bytes at that position.
  const auto bytes = hex("17 1234 89abcdef");
  InternetChecksum fields;
  fields.add(hex("17")).add16(0x1234).add32(0x89abcdef);
  EXPECT_EQ(fields.folded(), InternetChecksum().add(bytes).folded());
}

TEST(InternetChecksum, PseudoHeadersFollowRfc793AndRfc8200) {
  auto v4s = IpAddress::parse("192.0.2.1");
  auto v4d = IpAddress::parse("198.51.100.2");
  ASSERT_TRUE(v4s && v4d);
  // src, dst, zero, protocol, 16-bit length
  const auto v4 = hex("c0000201 c6336402 00 06 0018");
  EXPECT_EQ(pseudo_header_sum(*v4s, *v4d, 6, 24).folded(), testing::naive_sum(as_u8(v4)));

  auto v6s = IpAddress::parse("2001:db8::1");
  auto v6d = IpAddress::parse("2001:db8::2");
  ASSERT_TRUE(v6s && v6d);
  // src, dst, 32-bit length, three zero bytes, next header
  const auto v6 =
      hex("20010db8000000000000000000000001 20010db8000000000000000000000002 00000018 000000 11");
  EXPECT_EQ(pseudo_header_sum(*v6s, *v6d, 17, 24).folded(), testing::naive_sum(as_u8(v6)));
}

}  // namespace
}  // namespace portolan
