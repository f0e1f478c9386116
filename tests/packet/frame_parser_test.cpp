// Frame parser: golden frames shaped like what real stacks send back to a
// scanner (Linux SYN-ACKs with their usual options, RSTs, ICMP errors from a
// host and from a router, ARP and ND), each decoded field by field; then the
// frames cut at every length and broken in each way the parser must notice.
#include "portolan/packet/frame_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "packet_bytes.h"
#include "portolan/packet/probe_template.h"

namespace portolan {
namespace {

using testing::hex;

IpAddress ip(const char* text) {
  return IpAddress::parse(text).value();
}

const MacAddress kUs{{0x02, 0, 0, 0, 0, 0x01}};
const MacAddress kThem{{0x02, 0, 0, 0, 0, 0x02}};
const MacAddress kRouter{{0x02, 0, 0, 0, 0, 0x03}};

// Our probes went from 192.0.2.1 / 2001:db8::1 (MAC kUs) port 40000 to
// 198.51.100.2 / 2001:db8::2 (kThem); 203.0.113.1 is a router on the way.
const char* const kSynAckV4 =
    "020000000001 020000000002 0800"
    // DF, TTL 64, from 198.51.100.2 to 192.0.2.1
    "4500 003c 0000 4000 4006 4e85 c6336402 c0000201"
    // 80 -> 40000, seq a0b0c0d0, ack = our seq + 1, data offset 10, SYN|ACK,
    // window 65160; MSS, SACK permitted, timestamps, NOP, window scale 7
    "0050 9c40 a0b0c0d0 01020305 a012 fe88 9d15 0000"
    "020405b4 0402080a 0000abcd 00001234 01030307";

const char* const kRstAckV4 =
    "020000000001 020000000002 0800"
    "4500 0028 0000 4000 4006 4e99 c6336402 c0000201"
    "0051 9c40 00000000 01020305 5014 0000 2301 0000";

const char* const kPortUnreachableV4 =
    "020000000001 020000000002 0800"
    // TOS c0 (Linux sends ICMP errors as internetwork control), ICMP
    "45c0 003b 5151 0000 4001 3c7a c6336402 c0000201"
    // destination unreachable, port unreachable, 4 unused bytes
    "03 03 e950 00000000"
    // the quoted probe: UDP 40000 -> 53 with "abc", whole
    "4500 001f 1234 0000 4011 7c63 c0000201 c6336402"
    "9c40 0035 000b b2c8 616263";

const char* const kAdminProhibitedV4 =
    "020000000001 020000000003 0800"
    "4500 0038 7777 0000 fa01 4b4a cb007101 c0000201"
    // destination unreachable, communication administratively prohibited
    "03 0d 5af1 00000000"
    // the quoted SYN: IP header and only the first 8 bytes of TCP (RFC 792)
    "4500 002c 1234 0000 4006 7c61 c0000201 c6336402"
    "9c40 01bb 01020304";

const char* const kTimeExceededV4 =
    "020000000001 020000000003 0800"
    "45c0 0038 0101 0000 ff01 bc00 cb007101 c0000201"
    "0b 00 f4ff 00000000"
    // the quoted echo request with TTL 1 (a traceroute-style probe)
    "4500 001c 1234 0000 0101 bb76 c0000201 c6336402"
    "0800 b5bc 4242 0001";

const char* const kEchoReplyV4 =
    "020000000001 020000000002 0800"
    "4500 001e 9999 0000 4001 f50e c6336402 c0000201"
    "0000 5553 4242 0001 6869";

const char* const kTimestampReplyV4 =
    "020000000001 020000000002 0800"
    "4500 0028 9998 0000 4001 f505 c6336402 c0000201"
    "0e00 d034 4242 0001 00000000 0283ed40 0283ed40";

const char* const kUdpReplyV4 =
    "020000000001 020000000002 0800"
    "4500 0020 2222 4000 4011 2c74 c6336402 c0000201"
    "0035 9c40 000c 49db abcd8180";

const char* const kPortUnreachableV6 =
    "020000000001 020000000002 86dd"
    "60000000 003b 3a 40 20010db8000000000000000000000002 20010db8000000000000000000000001"
    // destination unreachable, port unreachable
    "01 04 31e2 00000000"
    "60000000 000b 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
    "9c40 0035 000b 438b 616263";

const char* const kSynAckV6 =
    "020000000001 020000000002 86dd"
    "60000000 0028 06 40 20010db8000000000000000000000002 20010db8000000000000000000000001"
    "0050 9c40 a0b0c0d0 01020305 a012 fd20 2f40 0000"
    "020405b4 0402080a 0000abcd 00001234 01030307";

const char* const kHopByHopV6 =
    "020000000001 020000000002 86dd"
    "60000000 001c 00 40 20010db8000000000000000000000002 20010db8000000000000000000000001"
    // hop-by-hop options: next header TCP, length 0 (8 bytes), PadN
    "06 00 0104 00000000"
    "0050 9c40 a0b0c0d0 01020305 5012 fd20 5524 0000";

const char* const kEchoReplyV6 =
    "020000000001 020000000002 86dd"
    "60000000 000b 3a 40 20010db8000000000000000000000002 20010db8000000000000000000000001"
    "81 00 1c9f 4242 0001 616263";

const char* const kNeighborAdvert =
    "020000000001 020000000002 86dd"
    "60000000 0020 3a ff 20010db80000000000000000aabbccdd 20010db8000000000000000000000001"
    // NA, solicited + override, target, target link-layer address option
    "88 00 9b42 60000000 20010db80000000000000000aabbccdd 02 01 020000000002";

const char* const kNeighborSolicit =
    "3333ff000001 020000000002 86dd"
    "60000000 0020 3a ff 20010db80000000000000000aabbccdd ff0200000000000000000001ff000001"
    "87 00 a48f 00000000 20010db8000000000000000000000001 01 01 020000000002";

const char* const kArpReply =
    "020000000001 020000000002 0806"
    "0001 0800 06 04 0002 020000000002 c0000202 020000000001 c0000201"
    // padding to Ethernet's 60-byte minimum
    "000000000000000000000000000000000000";

const char* const kVlanSynAckV4 =
    "020000000001 020000000002 8100 0064 0800"
    "4500 003c 0000 4000 4006 4e85 c6336402 c0000201"
    "0050 9c40 a0b0c0d0 01020305 a012 fe88 9d15 0000"
    "020405b4 0402080a 0000abcd 00001234 01030307";

const char* const kQinQSynAckV4 =
    "020000000001 020000000002 88a8 000a 8100 0064 0800"
    "4500 003c 0000 4000 4006 4e85 c6336402 c0000201"
    "0050 9c40 a0b0c0d0 01020305 a012 fe88 9d15 0000"
    "020405b4 0402080a 0000abcd 00001234 01030307";

// Every golden frame whose every byte is significant (no Ethernet padding).
const char* const kUnpadded[] = {
    kSynAckV4,          kRstAckV4,        kPortUnreachableV4, kAdminProhibitedV4,
    kTimeExceededV4,    kEchoReplyV4,     kTimestampReplyV4,  kUdpReplyV4,
    kPortUnreachableV6, kSynAckV6,        kHopByHopV6,        kEchoReplyV6,
    kNeighborAdvert,    kNeighborSolicit, kVlanSynAckV4,      kQinQSynAckV4,
};

ParseStatus parse(const std::vector<std::byte>& frame, ParsedReply& out) {
  return parse_frame(frame, out);
}

ParsedReply parse_ok(const char* frame_hex) {
  ParsedReply p;
  EXPECT_EQ(parse(hex(frame_hex), p), ParseStatus::kOk);
  return p;
}

// The golden frames' own checksums are right, so they are what a stack sends.
TEST(FrameParser, GoldenFramesCarryCorrectChecksums) {
  for (const char* g :
       {kSynAckV4, kRstAckV4, kPortUnreachableV4, kAdminProhibitedV4, kTimeExceededV4, kEchoReplyV4,
        kTimestampReplyV4, kUdpReplyV4, kPortUnreachableV6, kSynAckV6, kEchoReplyV6,
        kNeighborAdvert, kNeighborSolicit}) {
    const auto frame = hex(g);
    if ((testing::u8(frame, 14) >> 4) == 4) {
      EXPECT_TRUE(testing::ipv4_header_checksum_ok(frame)) << g;
    }
    EXPECT_TRUE(testing::transport_checksum_ok(frame)) << g;
  }
}

TEST(FrameParser, SynAckOverIpv4) {
  const auto p = parse_ok(kSynAckV4);
  EXPECT_EQ(p.kind, ReplyKind::kTcp);
  EXPECT_EQ(p.eth_dst, kUs);
  EXPECT_EQ(p.eth_src, kThem);
  EXPECT_EQ(p.vlan, 0);
  EXPECT_EQ(p.src, ip("198.51.100.2"));
  EXPECT_EQ(p.dst, ip("192.0.2.1"));
  EXPECT_EQ(p.ttl, 64);
  EXPECT_EQ(p.ip_id, 0);
  EXPECT_EQ(p.sport, 80);
  EXPECT_EQ(p.dport, 40000);
  EXPECT_EQ(p.seq, 0xa0b0c0d0u);
  EXPECT_EQ(p.ack, 0x01020305u);
  EXPECT_EQ(p.tcp_flags, TcpFlags::kSyn | TcpFlags::kAck);
  EXPECT_EQ(p.window, 65160);
  EXPECT_EQ(p.payload_len, 0);
  EXPECT_EQ(p.payload_offset, 14 + 20 + 40);
}

TEST(FrameParser, RstAckOverIpv4) {
  const auto p = parse_ok(kRstAckV4);
  EXPECT_EQ(p.kind, ReplyKind::kTcp);
  EXPECT_EQ(p.sport, 81);
  EXPECT_EQ(p.ack, 0x01020305u);
  EXPECT_EQ(p.tcp_flags, TcpFlags::kRst | TcpFlags::kAck);
  EXPECT_EQ(p.window, 0);
}

TEST(FrameParser, PortUnreachableQuotesTheUdpProbe) {
  const auto p = parse_ok(kPortUnreachableV4);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpUnreachable);
  EXPECT_EQ(p.icmp_type, 3);
  EXPECT_EQ(p.icmp_code, 3);
  EXPECT_EQ(p.src, ip("198.51.100.2"));
  EXPECT_EQ(p.ip_id, 0x5151);
  const QuotedPacket& q = p.quoted;
  EXPECT_EQ(q.protocol, 17);
  EXPECT_EQ(q.src, ip("192.0.2.1"));
  EXPECT_EQ(q.dst, ip("198.51.100.2"));
  EXPECT_EQ(q.ip_id, 0x1234);
  EXPECT_EQ(q.ttl, 64);
  ASSERT_TRUE(q.has_ports);
  EXPECT_EQ(q.sport, 40000);
  EXPECT_EQ(q.dport, 53);
  EXPECT_FALSE(q.has_tcp_seq);
  EXPECT_FALSE(q.has_icmp);
}

TEST(FrameParser, AdminProhibitedFromARouterRecoversTheSynsSequence) {
  const auto p = parse_ok(kAdminProhibitedV4);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpUnreachable);
  EXPECT_EQ(p.icmp_code, 13);
  EXPECT_EQ(p.src, ip("203.0.113.1"));
  EXPECT_EQ(p.eth_src, kRouter);
  EXPECT_EQ(p.ttl, 250);
  const QuotedPacket& q = p.quoted;
  EXPECT_EQ(q.protocol, 6);
  EXPECT_EQ(q.dst, ip("198.51.100.2"));
  ASSERT_TRUE(q.has_ports);
  EXPECT_EQ(q.sport, 40000);
  EXPECT_EQ(q.dport, 443);
  ASSERT_TRUE(q.has_tcp_seq);
  EXPECT_EQ(q.tcp_seq, 0x01020304u);
}

TEST(FrameParser, TimeExceededQuotesTheEchoIdAndSequence) {
  const auto p = parse_ok(kTimeExceededV4);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpTimeExceeded);
  EXPECT_EQ(p.icmp_type, 11);
  const QuotedPacket& q = p.quoted;
  EXPECT_EQ(q.protocol, 1);
  EXPECT_EQ(q.ttl, 1);
  EXPECT_FALSE(q.has_ports);
  ASSERT_TRUE(q.has_icmp);
  EXPECT_EQ(q.icmp_type, 8);
  EXPECT_EQ(q.icmp_id, 0x4242);
  EXPECT_EQ(q.icmp_seq, 1);
}

TEST(FrameParser, EchoAndTimestampReplies) {
  auto p = parse_ok(kEchoReplyV4);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpEchoReply);
  EXPECT_EQ(p.icmp_id, 0x4242);
  EXPECT_EQ(p.icmp_seq, 1);
  EXPECT_EQ(p.payload_len, 2);
  EXPECT_EQ(p.payload_offset, 14 + 20 + 8);

  p = parse_ok(kTimestampReplyV4);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpTimestampReply);
  EXPECT_EQ(p.icmp_type, 14);
  EXPECT_EQ(p.icmp_id, 0x4242);
  EXPECT_EQ(p.icmp_seq, 1);

  p = parse_ok(kEchoReplyV6);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpEchoReply);
  EXPECT_EQ(p.icmp_type, 129);
  EXPECT_EQ(p.src, ip("2001:db8::2"));
  EXPECT_EQ(p.icmp_id, 0x4242);
  EXPECT_EQ(p.payload_len, 3);
}

TEST(FrameParser, EthernetPaddingIsNotPayload) {
  // A 44-byte echo reply padded to Ethernet's 60-byte minimum by the sender's NIC.
  const auto padded = hex(std::string(kEchoReplyV4) + "00000000000000000000000000000000");
  ParsedReply p;
  ASSERT_EQ(parse(padded, p), ParseStatus::kOk);
  EXPECT_EQ(p.payload_len, 2);
  const auto udp = hex(std::string(kUdpReplyV4) + "00000000000000000000000000");
  ASSERT_EQ(parse(udp, p), ParseStatus::kOk);
  EXPECT_EQ(p.kind, ReplyKind::kUdp);
  EXPECT_EQ(p.sport, 53);
  EXPECT_EQ(p.payload_len, 4);
  EXPECT_EQ(p.payload_offset, 14 + 20 + 8);
}

TEST(FrameParser, Icmpv6UnreachableQuotesTheUdpProbe) {
  const auto p = parse_ok(kPortUnreachableV6);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpUnreachable);
  EXPECT_EQ(p.icmp_type, 1);
  EXPECT_EQ(p.icmp_code, 4);
  EXPECT_EQ(p.ip_id, 0);
  const QuotedPacket& q = p.quoted;
  EXPECT_EQ(q.protocol, 17);
  EXPECT_EQ(q.src, ip("2001:db8::1"));
  EXPECT_EQ(q.dst, ip("2001:db8::2"));
  ASSERT_TRUE(q.has_ports);
  EXPECT_EQ(q.sport, 40000);
  EXPECT_EQ(q.dport, 53);
}

TEST(FrameParser, SynAckOverIpv6AndPastAHopByHopHeader) {
  auto p = parse_ok(kSynAckV6);
  EXPECT_EQ(p.kind, ReplyKind::kTcp);
  EXPECT_EQ(p.src, ip("2001:db8::2"));
  EXPECT_EQ(p.ttl, 64);
  EXPECT_EQ(p.window, 64800);
  EXPECT_EQ(p.ack, 0x01020305u);

  p = parse_ok(kHopByHopV6);
  EXPECT_EQ(p.kind, ReplyKind::kTcp);
  EXPECT_EQ(p.sport, 80);
  EXPECT_EQ(p.seq, 0xa0b0c0d0u);
  EXPECT_EQ(p.payload_offset, 14 + 40 + 8 + 20);
}

TEST(FrameParser, ArpReplyGivesTheSendersAddresses) {
  const auto p = parse_ok(kArpReply);
  EXPECT_EQ(p.kind, ReplyKind::kArp);
  EXPECT_EQ(p.arp_op, 2);
  EXPECT_TRUE(p.has_link_mac);
  EXPECT_EQ(p.link_mac, kThem);
  EXPECT_EQ(p.link_ip, ip("192.0.2.2"));
  EXPECT_EQ(p.src, ip("192.0.2.2"));
  EXPECT_EQ(p.dst, ip("192.0.2.1"));
}

TEST(FrameParser, NeighborAdvertGivesTheTargetAndItsLinkAddress) {
  const auto p = parse_ok(kNeighborAdvert);
  EXPECT_EQ(p.kind, ReplyKind::kNeighborAdvert);
  EXPECT_EQ(p.ttl, 255);
  EXPECT_EQ(p.link_ip, ip("2001:db8::aabb:ccdd"));
  ASSERT_TRUE(p.has_link_mac);
  EXPECT_EQ(p.link_mac, kThem);
  EXPECT_EQ(p.nd_flags, 0x60);
}

TEST(FrameParser, NeighborSolicitGivesTheTargetAndTheSendersLinkAddress) {
  const auto p = parse_ok(kNeighborSolicit);
  EXPECT_EQ(p.kind, ReplyKind::kNeighborSolicit);
  EXPECT_EQ(p.src, ip("2001:db8::aabb:ccdd"));
  EXPECT_EQ(p.link_ip, ip("2001:db8::1"));
  ASSERT_TRUE(p.has_link_mac);
  EXPECT_EQ(p.link_mac, kThem);
  EXPECT_EQ(p.nd_flags, 0);
}

TEST(FrameParser, NeighborAdvertWithoutOptionsHasNoLinkAddress) {
  auto frame = hex(kNeighborAdvert);
  frame.resize(frame.size() - 8);
  frame[14 + 5] = std::byte{24};  // IPv6 payload length without the option
  ParsedReply p;
  ASSERT_EQ(parse(frame, p), ParseStatus::kOk);
  EXPECT_EQ(p.kind, ReplyKind::kNeighborAdvert);
  EXPECT_FALSE(p.has_link_mac);
  EXPECT_EQ(p.link_ip, ip("2001:db8::aabb:ccdd"));
}

TEST(FrameParser, VlanTagsAreSkippedAndTheOuterIdKept) {
  auto p = parse_ok(kVlanSynAckV4);
  EXPECT_EQ(p.kind, ReplyKind::kTcp);
  EXPECT_EQ(p.vlan, 100);
  EXPECT_EQ(p.ack, 0x01020305u);
  EXPECT_EQ(p.payload_offset, 18 + 20 + 40);

  p = parse_ok(kQinQSynAckV4);
  EXPECT_EQ(p.kind, ReplyKind::kTcp);
  EXPECT_EQ(p.vlan, 10);
  EXPECT_EQ(p.sport, 80);

  // A third tag is more than any network we scan uses.
  const auto three =
      hex("020000000001 020000000002 88a8 000a 8100 0064 8100 0065 0800"
          "4500 003c 0000 4000 4006 4e85 c6336402 c0000201");
  ParsedReply r;
  EXPECT_EQ(parse(three, r), ParseStatus::kUnsupported);
}

TEST(FrameParser, OtherIcmpTypesAreReportedWithTypeAndCode) {
  // A redirect (type 5), whose quote is not read.
  auto frame = hex(kPortUnreachableV4);
  frame[34] = std::byte{5};
  frame[35] = std::byte{1};
  auto p = ParsedReply{};
  ASSERT_EQ(parse(frame, p), ParseStatus::kOk);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpOther);
  EXPECT_EQ(p.icmp_type, 5);
  EXPECT_EQ(p.icmp_code, 1);
  EXPECT_FALSE(p.quoted.has_ports);
  // ICMPv6 packet too big (type 2).
  frame = hex(kPortUnreachableV6);
  frame[54] = std::byte{2};
  ASSERT_EQ(parse(frame, p), ParseStatus::kOk);
  EXPECT_EQ(p.kind, ReplyKind::kIcmpOther);
  EXPECT_EQ(p.icmp_type, 2);
}

// Every cut of a valid frame fails cleanly, whatever layer it cuts into.
TEST(FrameParser, EveryTruncationIsReportedNotRead) {
  for (const char* g : kUnpadded) {
    const auto frame = hex(g);
    ParsedReply p;
    ASSERT_EQ(parse(frame, p), ParseStatus::kOk) << g;
    for (size_t len = 0; len < frame.size(); ++len) {
      // A copy of exactly `len` bytes, so a sanitizer sees any read past it.
      const std::vector<std::byte> cut(frame.begin(),
                                       frame.begin() + static_cast<std::ptrdiff_t>(len));
      const ParseStatus s = parse(cut, p);
      EXPECT_TRUE(s == ParseStatus::kTruncated || s == ParseStatus::kMalformed)
          << g << " cut to " << len << ": " << to_string(s);
    }
  }
  // ARP carries no length: anything short of the ARP packet is truncated,
  // and the padding may go.
  const auto arp = hex(kArpReply);
  ParsedReply p;
  for (size_t len = 0; len < 42; ++len) {
    const std::vector<std::byte> cut(arp.begin(), arp.begin() + static_cast<std::ptrdiff_t>(len));
    EXPECT_EQ(parse(cut, p), ParseStatus::kTruncated) << len;
  }
  EXPECT_EQ(parse(std::vector<std::byte>(arp.begin(), arp.begin() + 42), p), ParseStatus::kOk);
}

TEST(FrameParser, EverySingleByteCorruptionIsSurvived) {
  // No expectation on the status: only that any value in any position is
  // parsed without a crash (the fuzzer goes much further).
  for (const char* g : kUnpadded) {
    auto frame = hex(g);
    for (size_t i = 0; i < frame.size(); ++i) {
      const std::byte saved = frame[i];
      for (int v : {0x00, 0x01, 0x0f, 0x45, 0x60, 0x7f, 0x80, 0xff}) {
        frame[i] = std::byte(static_cast<uint8_t>(v));
        ParsedReply p;
        (void)parse(frame, p);
      }
      frame[i] = saved;
    }
  }
}

// Sets a 16-bit field and, for IPv4 frames, fixes the header checksum again,
// so the field itself is what the parser judges.
void set16(std::vector<std::byte>& frame, size_t at, uint16_t v) {
  frame[at] = std::byte(static_cast<uint8_t>(v >> 8));
  frame[at + 1] = std::byte(static_cast<uint8_t>(v));
}
void fix_ipv4_checksum(std::vector<std::byte>& frame) {
  const size_t ihl = (testing::u8(frame, 14) & 0x0fu) * 4u;
  set16(frame, 24, 0);
  set16(frame, 24, internet_checksum(std::span(frame).subspan(14, ihl)));
}

TEST(FrameParser, BadIpv4HeaderLengthIsMalformed) {
  auto frame = hex(kSynAckV4);
  frame[14] = std::byte{0x44};  // IHL 4: shorter than the fixed header
  fix_ipv4_checksum(frame);
  ParsedReply p;
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  frame[14] = std::byte{0x55};  // version 5
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  // IHL 15 claims 60 bytes of header, more than the 40-byte total length
  // (and more than the frame holds, so no checksum could be fixed for it).
  frame = hex(kRstAckV4);
  frame[14] = std::byte{0x4f};
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
}

TEST(FrameParser, Ipv4OptionsAreSkipped) {
  // The RST with a 4-byte NOP/NOP/NOP/EOL option block inserted.
  auto frame = hex(kRstAckV4);
  const auto options = hex("01010100");
  frame.insert(frame.begin() + 34, options.begin(), options.end());
  frame[14] = std::byte{0x46};
  set16(frame, 16, 44);
  fix_ipv4_checksum(frame);
  ParsedReply p;
  ASSERT_EQ(parse(frame, p), ParseStatus::kOk);
  EXPECT_EQ(p.kind, ReplyKind::kTcp);
  EXPECT_EQ(p.sport, 81);
  EXPECT_EQ(p.ack, 0x01020305u);
}

TEST(FrameParser, BadIpv4ChecksumIsReported) {
  auto frame = hex(kSynAckV4);
  frame[24] ^= std::byte{0x01};
  ParsedReply p;
  EXPECT_EQ(parse(frame, p), ParseStatus::kBadChecksum);
  // A flipped bit anywhere in the header is caught by the sum.
  frame = hex(kSynAckV4);
  frame[22] ^= std::byte{0x10};  // TTL
  EXPECT_EQ(parse(frame, p), ParseStatus::kBadChecksum);
}

TEST(FrameParser, TransportChecksumsAreNotVerified) {
  // What a capture sees of a locally sent packet with checksum offload.
  auto frame = hex(kSynAckV4);
  set16(frame, 50, 0);
  ParsedReply p;
  EXPECT_EQ(parse(frame, p), ParseStatus::kOk);
}

TEST(FrameParser, Ipv4LengthsThatContradictEachOtherAreMalformed) {
  ParsedReply p;
  auto frame = hex(kSynAckV4);
  set16(frame, 16, 19);  // total length below the header length
  fix_ipv4_checksum(frame);
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  frame = hex(kSynAckV4);
  set16(frame, 16, 61);  // one byte more than the frame holds
  fix_ipv4_checksum(frame);
  EXPECT_EQ(parse(frame, p), ParseStatus::kTruncated);
}

TEST(FrameParser, BadTcpDataOffsetIsMalformed) {
  ParsedReply p;
  auto frame = hex(kSynAckV4);
  frame[46] = std::byte{0x40};  // 16 bytes: below the minimum header
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  frame[46] = std::byte{0xb0};  // 44 bytes: past the end of the 40-byte segment
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  frame[46] = std::byte{0x50};  // 20 bytes: the options become payload
  ASSERT_EQ(parse(frame, p), ParseStatus::kOk);
  EXPECT_EQ(p.payload_len, 20);
}

TEST(FrameParser, BadUdpLengthIsMalformed) {
  ParsedReply p;
  auto frame = hex(kUdpReplyV4);
  set16(frame, 38, 7);
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  set16(frame, 38, 13);  // longer than the IP payload
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  set16(frame, 38, 10);  // shorter is allowed: the rest is not UDP's
  ASSERT_EQ(parse(frame, p), ParseStatus::kOk);
  EXPECT_EQ(p.payload_len, 2);
}

TEST(FrameParser, FragmentsAreUnsupported) {
  ParsedReply p;
  auto frame = hex(kUdpReplyV4);
  set16(frame, 20, 0x2000);  // more fragments, offset 0
  fix_ipv4_checksum(frame);
  EXPECT_EQ(parse(frame, p), ParseStatus::kUnsupported);
  set16(frame, 20, 0x0001);  // last fragment, offset 8
  fix_ipv4_checksum(frame);
  EXPECT_EQ(parse(frame, p), ParseStatus::kUnsupported);
  set16(frame, 20, 0x4000);  // DF alone is no fragment
  fix_ipv4_checksum(frame);
  EXPECT_EQ(parse(frame, p), ParseStatus::kOk);

  // An IPv6 fragment header in place of the hop-by-hop header.
  frame = hex(kHopByHopV6);
  frame[20] = std::byte{44};
  EXPECT_EQ(parse(frame, p), ParseStatus::kUnsupported);
}

TEST(FrameParser, Ipv6ExtensionHeadersAreBounded) {
  ParsedReply p;
  // A hop-by-hop header claiming 16 bytes in a 28-byte payload that then
  // has no room for TCP: malformed. Claiming more than the payload: malformed.
  auto frame = hex(kHopByHopV6);
  frame[55] = std::byte{1};
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  frame[55] = std::byte{200};
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);

  // Nine destination-options headers in a row: more than the parser walks.
  std::string chain =
      "020000000001 020000000002 86dd 60000000 0048 3c 40"
      "20010db8000000000000000000000002 20010db8000000000000000000000001";
  for (int i = 0; i < 9; ++i) chain += "3c00 0104 00000000";
  EXPECT_EQ(parse(hex(chain), p), ParseStatus::kUnsupported);
}

TEST(FrameParser, RoutedOrBrokenNeighborDiscoveryIsMalformed) {
  ParsedReply p;
  auto frame = hex(kNeighborAdvert);
  frame[21] = std::byte{64};  // hop limit: it crossed a router
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  frame = hex(kNeighborAdvert);
  frame[frame.size() - 7] = std::byte{0};  // option length zero
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  frame = hex(kNeighborAdvert);
  frame[frame.size() - 7] = std::byte{2};  // option longer than the packet
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
}

TEST(FrameParser, QuotedHeadersMustBeComplete) {
  ParsedReply p;
  // The admin-prohibited error cut inside the quoted IP header, with its IP
  // total length reduced to match: a complete packet whose quote is broken.
  auto frame = hex(kAdminProhibitedV4);
  frame.resize(14 + 20 + 8 + 12);
  set16(frame, 16, 20 + 8 + 12);
  fix_ipv4_checksum(frame);
  EXPECT_EQ(parse(frame, p), ParseStatus::kMalformed);
  // Cut after the quoted IP header: no ports, but still a usable error.
  frame = hex(kAdminProhibitedV4);
  frame.resize(14 + 20 + 8 + 20 + 2);
  set16(frame, 16, 20 + 8 + 20 + 2);
  fix_ipv4_checksum(frame);
  ASSERT_EQ(parse(frame, p), ParseStatus::kOk);
  EXPECT_EQ(p.quoted.protocol, 6);
  EXPECT_FALSE(p.quoted.has_ports);
  // Four bytes: ports, but no sequence number.
  frame = hex(kAdminProhibitedV4);
  frame.resize(14 + 20 + 8 + 20 + 4);
  set16(frame, 16, 20 + 8 + 20 + 4);
  fix_ipv4_checksum(frame);
  ASSERT_EQ(parse(frame, p), ParseStatus::kOk);
  EXPECT_TRUE(p.quoted.has_ports);
  EXPECT_FALSE(p.quoted.has_tcp_seq);
}

TEST(FrameParser, WhatAScanCannotUseIsUnsupported) {
  ParsedReply p;
  auto frame = hex(kSynAckV4);
  frame[12] = std::byte{0x88};  // EtherType 88cc: LLDP
  frame[13] = std::byte{0xcc};
  EXPECT_EQ(parse(frame, p), ParseStatus::kUnsupported);
  frame = hex(kSynAckV4);
  frame[23] = std::byte{47};  // GRE
  fix_ipv4_checksum(frame);
  EXPECT_EQ(parse(frame, p), ParseStatus::kUnsupported);
  frame = hex(kArpReply);
  frame[15] = std::byte{6};  // ARP for IEEE 802 hardware
  EXPECT_EQ(parse(frame, p), ParseStatus::kUnsupported);
  EXPECT_EQ(parse_frame(std::vector<std::byte>(70000), p), ParseStatus::kUnsupported);
}

TEST(FrameParser, StatusesAndKindsHaveNames) {
  EXPECT_EQ(to_string(ParseStatus::kOk), "ok");
  EXPECT_EQ(to_string(ParseStatus::kTruncated), "truncated");
  EXPECT_EQ(to_string(ParseStatus::kMalformed), "malformed");
  EXPECT_EQ(to_string(ParseStatus::kBadChecksum), "bad checksum");
  EXPECT_EQ(to_string(ParseStatus::kUnsupported), "unsupported");
  EXPECT_EQ(to_string(ReplyKind::kIcmpUnreachable), "icmp-unreachable");
  EXPECT_EQ(to_string(ReplyKind::kNeighborAdvert), "neighbor-advert");
}

}  // namespace
}  // namespace portolan
