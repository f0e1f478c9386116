// ByteReader: big-endian reads, bounds, and that a failed read moves nothing.
#include "portolan/packet/byte_reader.h"

#include <gtest/gtest.h>

#include "packet_bytes.h"

namespace portolan {
namespace {

using testing::hex;

TEST(ByteReader, ReadsNetworkOrderIntoHostOrder) {
  const auto bytes = hex("01 0203 04050607 08");
  ByteReader r(bytes);
  uint8_t a = 0;
  uint16_t b = 0;
  uint32_t c = 0;
  ASSERT_TRUE(r.read_u8(a));
  ASSERT_TRUE(r.read_be16(b));
  ASSERT_TRUE(r.read_be32(c));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x04050607u);
  EXPECT_EQ(r.position(), 7u);
  EXPECT_EQ(r.remaining(), 1u);
  EXPECT_FALSE(r.empty());
}

TEST(ByteReader, AFailedReadLeavesTheCursorWhereItWas) {
  const auto bytes = hex("aa bb cc");
  ByteReader r(bytes);
  uint32_t word = 0x12345678;
  EXPECT_FALSE(r.read_be32(word));
  EXPECT_EQ(word, 0x12345678u);
  EXPECT_EQ(r.position(), 0u);
  EXPECT_FALSE(r.skip(4));
  EXPECT_FALSE(r.take(4).has_value());
  std::array<uint8_t, 4> four{};
  EXPECT_FALSE(r.read_bytes(four));
  EXPECT_EQ(r.position(), 0u);

  uint16_t half = 0;
  ASSERT_TRUE(r.read_be16(half));
  EXPECT_FALSE(r.read_be16(half));
  EXPECT_EQ(half, 0xaabb);
  uint8_t last = 0;
  ASSERT_TRUE(r.read_u8(last));
  EXPECT_EQ(last, 0xcc);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.read_u8(last));
  EXPECT_TRUE(r.skip(0));
}

TEST(ByteReader, TakeGivesABoundedSubReaderAndMovesPastIt) {
  const auto bytes = hex("01 02 03 04 05");
  ByteReader r(bytes);
  ASSERT_TRUE(r.skip(1));
  auto sub = r.take(3);
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ(sub->position(), 0u);
  EXPECT_EQ(sub->remaining(), 3u);
  uint32_t word = 0;
  EXPECT_FALSE(sub->read_be32(word));  // the sub-reader ends where it was cut
  std::array<uint8_t, 3> three{};
  ASSERT_TRUE(sub->read_bytes(three));
  EXPECT_EQ(three, (std::array<uint8_t, 3>{2, 3, 4}));
  EXPECT_EQ(r.position(), 4u);
  EXPECT_EQ(r.rest().size(), 1u);
  EXPECT_EQ(r.rest()[0], std::byte{5});
}

TEST(ByteReader, EmptyInputFailsEveryReadButZeroLengthOnes) {
  ByteReader r(std::span<const std::byte>{});
  uint8_t b = 0;
  EXPECT_FALSE(r.read_u8(b));
  EXPECT_TRUE(r.skip(0));
  ASSERT_TRUE(r.take(0).has_value());
  EXPECT_TRUE(r.read_bytes(nullptr, 0));
  EXPECT_EQ(r.remaining(), 0u);
}

}  // namespace
}  // namespace portolan
