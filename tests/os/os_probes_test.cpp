#include "portolan/os/os_probes.h"

#include <gtest/gtest.h>

#include <array>

#include "../packet/packet_bytes.h"
#include "portolan/os/os_reply.h"
#include "portolan/packet/probe_template.h"

namespace portolan {
namespace {

using testing::hex;

OsFrameEnds ends() {
  OsFrameEnds e;
  e.src_mac = MacAddress{{0x02, 0, 0, 0, 0, 0x01}};
  e.dst_mac = MacAddress{{0x02, 0, 0, 0, 0, 0x02}};
  e.src = IpAddress::v4(0xc613ff01);  // 198.19.255.1
  e.dst = IpAddress::v4(0xc6120001);  // 198.18.0.1
  e.ttl = 64;
  return e;
}

// The frame with its checksum fields zeroed, so a golden frame can be
// written by hand; the checksums are verified separately.
std::vector<std::byte> without_checksums(std::span<const std::byte> frame, size_t l4_sum_at) {
  std::vector<std::byte> copy(frame.begin(), frame.end());
  copy[24] = copy[25] = std::byte{0};
  copy[34 + l4_sum_at] = copy[35 + l4_sum_at] = std::byte{0};
  return copy;
}

TEST(OsProbes, SynOptionsOfferEverything) {
  const auto o = os_syn_options(0x11223344);
  EXPECT_EQ(std::vector<std::byte>(o.begin(), o.end()),
            hex("020405b4 0402 080a 11223344 00000000 01 03030a"));
}

TEST(OsProbes, SynFrameIsGolden) {
  std::array<std::byte, 1514> buf{};
  const auto options = os_syn_options(0x11223344);
  const size_t n = write_os_tcp(buf, ends(), 61000, 22, 0x01020304, 0, TcpFlags::kSyn, 1024,
                                options, 0x4242, false);
  ASSERT_EQ(n, 74u);
  const std::span<const std::byte> frame(buf.data(), n);
  EXPECT_EQ(without_checksums(frame, 16), hex("020000000002 020000000001 0800"
                                              "45 00 003c 4242 0000 40 06 0000 c613ff01 c6120001"
                                              "ee48 0016 01020304 00000000 a0 02 0400 0000 0000"
                                              "020405b4 0402 080a 11223344 00000000 01 03030a"));
  EXPECT_TRUE(testing::ipv4_header_checksum_ok(frame));
  EXPECT_TRUE(testing::transport_checksum_ok(frame));
}

TEST(OsProbes, AckWithDfSetsTheFlag) {
  std::array<std::byte, 1514> buf{};
  const size_t n = write_os_tcp(buf, ends(), 61007, 22, 5, 6, TcpFlags::kAck, 1024, {}, 1, true);
  ASSERT_EQ(n, 54u);
  EXPECT_EQ(testing::u8(buf, 20), 0x40);  // DF
  EXPECT_EQ(testing::u8(buf, 46), 0x50);  // data offset 5
  EXPECT_TRUE(testing::transport_checksum_ok(std::span<const std::byte>(buf.data(), n)));
}

TEST(OsProbes, EchoCarriesTheCodeWeChose) {
  std::array<std::byte, 1514> buf{};
  std::array<std::byte, 4> payload{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
  const size_t n = write_os_echo(buf, ends(), 9, 0xabcd, 3, payload, 0x0101, true);
  ASSERT_EQ(n, 46u);
  const std::span<const std::byte> frame(buf.data(), n);
  EXPECT_EQ(without_checksums(frame, 2), hex("020000000002 020000000001 0800"
                                             "45 00 0020 0101 4000 40 01 0000 c613ff01 c6120001"
                                             "08 09 0000 abcd 0003 01020304"));
  EXPECT_TRUE(testing::ipv4_header_checksum_ok(frame));
  EXPECT_TRUE(testing::transport_checksum_ok(frame));
}

TEST(OsProbes, UdpIsGolden) {
  std::array<std::byte, 1514> buf{};
  std::array<std::byte, 3> payload;
  payload.fill(std::byte{0x43});
  const size_t n = write_os_udp(buf, ends(), 61008, 40000, payload, 7);
  ASSERT_EQ(n, 45u);
  const std::span<const std::byte> frame(buf.data(), n);
  EXPECT_EQ(without_checksums(frame, 6), hex("020000000002 020000000001 0800"
                                             "45 00 001f 0007 0000 40 11 0000 c613ff01 c6120001"
                                             "ee50 9c40 000b 0000 434343"));
  EXPECT_TRUE(testing::ipv4_header_checksum_ok(frame));
  EXPECT_TRUE(testing::transport_checksum_ok(frame));
}

TEST(OsProbes, OurSynParsesBackWithItsOptionOrder) {
  std::array<std::byte, 1514> buf{};
  const auto options = os_syn_options(1);
  const size_t n =
      write_os_tcp(buf, ends(), 61000, 22, 1, 0, TcpFlags::kSyn, 1024, options, 9, true);
  OsReply r;
  ASSERT_EQ(parse_os_reply(std::span<const std::byte>(buf.data(), n), r), ParseStatus::kOk);
  EXPECT_EQ(option_order(r.options), "MSS,SACK,TS,NOP,WS");
  EXPECT_TRUE(r.df);
}

TEST(OsProbes, RefusesWhatDoesNotFit) {
  std::array<std::byte, 40> small{};
  EXPECT_EQ(write_os_tcp(small, ends(), 1, 2, 0, 0, TcpFlags::kSyn, 0, {}, 0, false), 0u);
  std::array<std::byte, 1514> buf{};
  std::array<std::byte, 3> odd{};
  EXPECT_EQ(write_os_tcp(buf, ends(), 1, 2, 0, 0, TcpFlags::kSyn, 0, odd, 0, false), 0u);
  OsFrameEnds v6 = ends();
  v6.dst = IpAddress::v6({0x20, 0x01, 0x0d, 0xb8});
  EXPECT_EQ(write_os_echo(buf, v6, 0, 1, 1, {}, 0, false), 0u);
  std::vector<std::byte> huge(1500);
  EXPECT_EQ(write_os_udp(buf, ends(), 1, 2, huge, 0), 0u);
}

}  // namespace
}  // namespace portolan
