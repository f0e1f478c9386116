// Probe builders: golden frames derived by hand from the RFCs (header layouts
// and checksums worked out word by word), every checksum also verified by the
// naive sum in packet_bytes.h, the refusals, and that the parser reads back
// what the builders wrote.
#include "portolan/packet/probe_template.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "packet_bytes.h"
#include "portolan/packet/frame_parser.h"

namespace portolan {
namespace {

using testing::hex;

// Addresses from the documentation ranges (RFC 5737, RFC 3849).
const MacAddress kSrcMac{{0x02, 0, 0, 0, 0, 0x01}};
const MacAddress kDstMac{{0x02, 0, 0, 0, 0, 0x02}};

IpAddress ip(const char* text) {
  return IpAddress::parse(text).value();
}

const IpAddress kSrc4 = ip("192.0.2.1");
const IpAddress kDst4 = ip("198.51.100.2");
const IpAddress kSrc6 = ip("2001:db8::1");
const IpAddress kDst6 = ip("2001:db8::2");

constexpr uint16_t kSport = 40000;  // 9c40
constexpr uint32_t kSeq = 0x01020304;
constexpr uint16_t kIpId = 0x1234;
constexpr uint8_t kTtl = 64;

std::vector<std::byte> abc() {
  return hex("616263");
}

// Builds into a buffer larger than needed, so a wrong length shows as a
// mismatch instead of being hidden by the buffer's size.
class Frame {
 public:
  std::span<std::byte> buffer() { return buf_; }
  std::vector<std::byte> bytes(size_t length) const {
    return {buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(length)};
  }

 private:
  std::vector<std::byte> buf_ = std::vector<std::byte>(ProbeTemplate::kMaxFrame + 100);
};

void expect_checksums_verify(const std::vector<std::byte>& frame) {
  if ((testing::u8(frame, 14) >> 4) == 4) {
    EXPECT_TRUE(testing::ipv4_header_checksum_ok(frame));
  }
  EXPECT_TRUE(testing::transport_checksum_ok(frame));
}

TEST(ProbeTemplate, TcpSynOverIpv4CarriesNmapsMssOption) {
  const auto t = ProbeTemplate::tcp(kSrcMac, kSrc4, TcpFlags::kSyn, 1024, true, kTtl);
  EXPECT_EQ(t.family(), IpFamily::kV4);
  EXPECT_EQ(t.protocol(), 6);
  Frame f;
  const size_t n = t.write_tcp(f.buffer(), kDstMac, kDst4, kSport, 80, kSeq, 0, kIpId);
  const auto golden =
      hex("020000000002 020000000001 0800"
          // IPv4: IHL 5, total 44, id 1234, no DF, TTL 64, TCP, checksum 7c61
          "4500 002c 1234 0000 4006 7c61 c0000201 c6336402"
          // TCP: 40000 -> 80, seq, ack 0, data offset 6, SYN, window 1024,
          // checksum 0759, urgent 0, MSS 1460
          "9c40 0050 01020304 00000000 6002 0400 0759 0000 020405b4");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, TcpSynOverIpv6) {
  const auto t = ProbeTemplate::tcp(kSrcMac, kSrc6, TcpFlags::kSyn, 1024, true, kTtl);
  EXPECT_EQ(t.family(), IpFamily::kV6);
  Frame f;
  const size_t n = t.write_tcp(f.buffer(), kDstMac, kDst6, kSport, 80, kSeq, 0, kIpId);
  const auto golden =
      hex("020000000002 020000000001 86dd"
          // IPv6: flow label 0, payload 24, next header TCP, hop limit 64
          "60000000 0018 06 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
          "9c40 0050 01020304 00000000 6002 0400 981b 0000 020405b4");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, TcpAckWithoutOptions) {
  const auto t = ProbeTemplate::tcp(kSrcMac, kSrc4, TcpFlags::kAck, 1024, false, kTtl);
  Frame f;
  const size_t n = t.write_tcp(f.buffer(), kDstMac, kDst4, kSport, 80, kSeq, 0x0a0b0c0d, kIpId);
  const auto golden =
      hex("020000000002 020000000001 0800"
          "4500 0028 1234 0000 4006 7c65 c0000201 c6336402"
          "9c40 0050 01020304 0a0b0c0d 5010 0400 08ef 0000");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, UdpOverIpv4WithAnOddPayload) {
  const auto t = ProbeTemplate::udp(kSrcMac, kSrc4, kTtl);
  EXPECT_EQ(t.protocol(), 17);
  Frame f;
  const size_t n = t.write_udp(f.buffer(), kDstMac, kDst4, kSport, 53, abc(), kIpId);
  const auto golden =
      hex("020000000002 020000000001 0800"
          "4500 001f 1234 0000 4011 7c63 c0000201 c6336402"
          // UDP: 40000 -> 53, length 11, checksum b2c8, "abc"
          "9c40 0035 000b b2c8 616263");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, UdpOverIpv6WithAnOddPayload) {
  const auto t = ProbeTemplate::udp(kSrcMac, kSrc6, kTtl);
  Frame f;
  const size_t n = t.write_udp(f.buffer(), kDstMac, kDst6, kSport, 53, abc(), kIpId);
  const auto golden =
      hex("020000000002 020000000001 86dd"
          "60000000 000b 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
          "9c40 0035 000b 438b 616263");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, IcmpEchoOverIpv4) {
  const auto t = ProbeTemplate::icmp_echo(kSrcMac, kSrc4, kTtl);
  EXPECT_EQ(t.protocol(), 1);
  Frame f;
  const size_t n = t.write_icmp(f.buffer(), kDstMac, kDst4, 0x4242, 1, {}, kIpId);
  const auto golden =
      hex("020000000002 020000000001 0800"
          "4500 001c 1234 0000 4001 7c76 c0000201 c6336402"
          // echo request, checksum b5bc, id 4242, seq 1
          "0800 b5bc 4242 0001");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, Icmpv6EchoForAnIpv6Source) {
  const auto t = ProbeTemplate::icmp_echo(kSrcMac, kSrc6, kTtl);
  EXPECT_EQ(t.protocol(), 58);
  Frame f;
  const size_t n = t.write_icmp(f.buffer(), kDstMac, kDst6, 0x4242, 1, abc(), kIpId);
  const auto golden =
      hex("020000000002 020000000001 86dd"
          "60000000 000b 3a 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
          // echo request (128), checksum 1d9f over the pseudo-header too
          "8000 1d9f 4242 0001 616263");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, IcmpTimestampHasThreeZeroTimestamps) {
  auto t = ProbeTemplate::icmp_timestamp(kSrcMac, kSrc4, kTtl);
  ASSERT_TRUE(t);
  Frame f;
  const size_t n = t->write_icmp(f.buffer(), kDstMac, kDst4, 0x4242, 1, {}, kIpId);
  const auto golden =
      hex("020000000002 020000000001 0800"
          "4500 0028 1234 0000 4001 7c6a c0000201 c6336402"
          "0d00 b0bc 4242 0001 00000000 00000000 00000000");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, IcmpTimestampRefusesAnIpv6Source) {
  auto t = ProbeTemplate::icmp_timestamp(kSrcMac, kSrc6, kTtl);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("IPv4"), std::string::npos);
}

TEST(ProbeTemplate, ArpRequestIsABroadcastWhoHas) {
  Frame f;
  const size_t n = write_arp_request(f.buffer(), kSrcMac, kSrc4, ip("192.0.2.2"));
  const auto golden =
      hex("ffffffffffff 020000000001 0806"
          // Ethernet/IPv4, lengths 6 and 4, request; sender MAC and IP; target MAC
          // unknown (zero) and target IP
          "0001 0800 06 04 0001 020000000001 c0000201 000000000000 c0000202");
  EXPECT_EQ(f.bytes(n), golden);
}

TEST(ProbeTemplate, NeighborSolicitGoesToTheSolicitedNodeGroup) {
  Frame f;
  const size_t n = write_neighbor_solicit(f.buffer(), kSrcMac, kSrc6, ip("2001:db8::aabb:ccdd"));
  const auto golden =
      hex("3333ffbbccdd 020000000001 86dd"
          // payload 32, ICMPv6, hop limit 255, to ff02::1:ffbb:ccdd
          "60000000 0020 3a ff 20010db8000000000000000000000001 ff0200000000000000000001ffbbccdd"
          // NS (135), checksum d6f8, reserved, target, source link-layer address option
          "8700 d6f8 00000000 20010db80000000000000000aabbccdd 01 01 020000000001");
  EXPECT_EQ(f.bytes(n), golden);
  expect_checksums_verify(golden);
}

TEST(ProbeTemplate, PerProbeFieldsChangeAndTheRestStays) {
  const auto t = ProbeTemplate::tcp(kSrcMac, kSrc4, TcpFlags::kSyn, 1024, true, 37);
  Frame a;
  Frame b;
  const size_t na = t.write_tcp(a.buffer(), kDstMac, kDst4, 1, 2, 3, 4, 5);
  const size_t nb =
      t.write_tcp(b.buffer(), MacAddress::broadcast(), ip("10.9.8.7"), 65535, 443, ~0u, 0, 0xffff);
  ASSERT_EQ(na, nb);
  const auto fa = a.bytes(na);
  const auto fb = b.bytes(nb);
  expect_checksums_verify(fa);
  expect_checksums_verify(fb);
  ParsedReply p;
  ASSERT_EQ(parse_frame(fb, p), ParseStatus::kOk);
  EXPECT_EQ(p.eth_dst, MacAddress::broadcast());
  EXPECT_EQ(p.eth_src, kSrcMac);
  EXPECT_EQ(p.dst, ip("10.9.8.7"));
  EXPECT_EQ(p.src, kSrc4);
  EXPECT_EQ(p.ttl, 37);
  EXPECT_EQ(p.ip_id, 0xffff);
  EXPECT_EQ(p.sport, 65535);
  EXPECT_EQ(p.dport, 443);
  EXPECT_EQ(p.seq, ~0u);
  EXPECT_EQ(p.tcp_flags, TcpFlags::kSyn);
  EXPECT_EQ(p.window, 1024);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(ProbeTemplate, BuiltFramesParseBackAsWhatWasWritten) {
  Frame f;
  ParsedReply p;
  const auto udp6 = ProbeTemplate::udp(kSrcMac, kSrc6, 9);
  size_t n = udp6.write_udp(f.buffer(), kDstMac, kDst6, 5353, 53, abc(), 0);
  ASSERT_EQ(parse_frame(f.bytes(n), p), ParseStatus::kOk);
  EXPECT_EQ(p.kind, ReplyKind::kUdp);
  EXPECT_EQ(p.src, kSrc6);
  EXPECT_EQ(p.dst, kDst6);
  EXPECT_EQ(p.ttl, 9);
  EXPECT_EQ(p.sport, 5353);
  EXPECT_EQ(p.payload_len, 3);
  EXPECT_EQ(p.payload_offset, 14 + 40 + 8);

  n = write_neighbor_solicit(f.buffer(), kSrcMac, kSrc6, kDst6);
  ASSERT_EQ(parse_frame(f.bytes(n), p), ParseStatus::kOk);
  EXPECT_EQ(p.kind, ReplyKind::kNeighborSolicit);
  EXPECT_EQ(p.link_ip, kDst6);
  EXPECT_TRUE(p.has_link_mac);
  EXPECT_EQ(p.link_mac, kSrcMac);
  EXPECT_EQ(p.dst, ip("ff02::1:ff00:2"));

  n = write_arp_request(f.buffer(), kSrcMac, kSrc4, kDst4);
  ASSERT_EQ(parse_frame(f.bytes(n), p), ParseStatus::kOk);
  EXPECT_EQ(p.kind, ReplyKind::kArp);
  EXPECT_EQ(p.arp_op, 1);
  EXPECT_EQ(p.link_ip, kSrc4);
  EXPECT_EQ(p.dst, kDst4);
}

TEST(ProbeTemplate, RefusesWhatDoesNotFitOrDoesNotMatch) {
  const auto tcp4 = ProbeTemplate::tcp(kSrcMac, kSrc4, TcpFlags::kSyn, 1024, true, kTtl);
  const auto udp4 = ProbeTemplate::udp(kSrcMac, kSrc4, kTtl);
  const auto echo6 = ProbeTemplate::icmp_echo(kSrcMac, kSrc6, kTtl);
  Frame f;
  std::vector<std::byte> small(57);  // one byte short of the 58-byte SYN
  EXPECT_EQ(tcp4.write_tcp(small, kDstMac, kDst4, 1, 2, 3, 4, 5), 0u);
  small.push_back(std::byte{0});
  EXPECT_EQ(tcp4.write_tcp(small, kDstMac, kDst4, 1, 2, 3, 4, 5), 58u);
  // Wrong family, wrong protocol.
  EXPECT_EQ(tcp4.write_tcp(f.buffer(), kDstMac, kDst6, 1, 2, 3, 4, 5), 0u);
  EXPECT_EQ(echo6.write_icmp(f.buffer(), kDstMac, kDst4, 1, 2, {}, 0), 0u);
  EXPECT_EQ(udp4.write_tcp(f.buffer(), kDstMac, kDst4, 1, 2, 3, 4, 5), 0u);
  EXPECT_EQ(tcp4.write_udp(f.buffer(), kDstMac, kDst4, 1, 2, {}, 0), 0u);
  EXPECT_EQ(tcp4.write_icmp(f.buffer(), kDstMac, kDst4, 1, 2, {}, 0), 0u);
  // A payload that would make the frame longer than kMaxFrame.
  const std::vector<std::byte> fits(ProbeTemplate::kMaxFrame - 42);
  const std::vector<std::byte> too_long(ProbeTemplate::kMaxFrame - 41);
  EXPECT_EQ(udp4.write_udp(f.buffer(), kDstMac, kDst4, 1, 2, fits, 0), ProbeTemplate::kMaxFrame);
  EXPECT_EQ(udp4.write_udp(f.buffer(), kDstMac, kDst4, 1, 2, too_long, 0), 0u);
  // ARP is IPv4 only, neighbour discovery IPv6 only.
  EXPECT_EQ(write_arp_request(f.buffer(), kSrcMac, kSrc6, kDst6), 0u);
  EXPECT_EQ(write_arp_request(f.buffer(), kSrcMac, kSrc4, kDst6), 0u);
  EXPECT_EQ(write_arp_request(std::span(f.buffer().data(), 41), kSrcMac, kSrc4, kDst4), 0u);
  EXPECT_EQ(write_neighbor_solicit(f.buffer(), kSrcMac, kSrc4, kDst4), 0u);
  EXPECT_EQ(write_neighbor_solicit(std::span(f.buffer().data(), 85), kSrcMac, kSrc6, kDst6), 0u);
}

TEST(ProbeTemplate, AZeroUdpChecksumIsSentAsAllOnes) {
  // Find a source port whose UDP checksum computes to zero, then check the
  // frame carries ffff, which still verifies (one's complement has two zeros).
  const auto t = ProbeTemplate::udp(kSrcMac, kSrc4, kTtl);
  Frame f;
  bool seen = false;
  for (uint32_t port = 0; port <= 0xffff && !seen; ++port) {
    const size_t n =
        t.write_udp(f.buffer(), kDstMac, kDst4, static_cast<uint16_t>(port), 53, {}, 0);
    const auto frame = f.bytes(n);
    if (testing::u8(frame, 40) == 0xff && testing::u8(frame, 41) == 0xff) {
      seen = true;
      EXPECT_TRUE(testing::transport_checksum_ok(frame));
    }
    ASSERT_FALSE(testing::u8(frame, 40) == 0 && testing::u8(frame, 41) == 0);
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace portolan
