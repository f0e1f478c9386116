// Stateless validation end to end on bytes: probes written by ProbeWriter,
// replies built the way a target's kernel would build them, parsed by
// parse_frame and named (or rejected) by ReplyClassifier.
#include "portolan/scan/reply_classifier.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

#include "portolan/packet/checksum.h"
#include "portolan/scan/reply_reason.h"

namespace portolan {
namespace {

IpAddress addr(const char* text) {
  return *IpAddress::parse(text);
}

struct Fixture {
  MacAddress our_mac{{0x02, 0, 0, 0, 0, 1}};
  MacAddress their_mac{{0x02, 0, 0, 0, 0, 2}};
  IpAddress us = addr("198.19.255.1");
  std::vector<IpAddress> hosts = {addr("198.18.0.7"), addr("198.18.0.8")};
  std::vector<MacAddress> macs = {their_mac, their_mac};
  std::vector<ProbeSpec> specs = {{ProbeKind::kTcpSyn, 80},
                                  {ProbeKind::kTcpAck, 80},
                                  {ProbeKind::kUdp, 53},
                                  {ProbeKind::kIcmpEcho, 0}};
  ProbeCookie cookie = ProbeCookie::with_key(0x1122334455667788ULL, 0x99aabbccddeeff00ULL);
  ProbeTemplate syn = ProbeTemplate::tcp(our_mac, us, TcpFlags::kSyn, 1024, true, 64);
  ProbeTemplate ack = ProbeTemplate::tcp(our_mac, us, TcpFlags::kAck, 1024, false, 64);
  ProbeTemplate udp = ProbeTemplate::udp(our_mac, us, 64);
  ProbeTemplate echo = ProbeTemplate::icmp_echo(our_mac, us, 64);
  SweepLink link;
  ElementIndex index{hosts, specs, LinkProbe::kNone};

  Fixture() {
    link.local = us;
    link.local_mac = our_mac;
    link.port_first = 61000;
    link.port_count = 256;
    link.cookie = &cookie;
    link.tcp_syn = &syn;
    link.tcp_ack = &ack;
    link.udp = &udp;
    link.icmp_echo = &echo;
  }

  // The probe for (host, spec) as sent, parsed back.
  ParsedReply probe(uint32_t host, uint32_t spec) {
    ProbeWriter writer(link, hosts, macs, specs, LinkProbe::kNone);
    std::array<std::byte, ProbeTemplate::kMaxFrame> frame{};
    const size_t n = writer.write(frame, host, spec);
    EXPECT_GT(n, 0u);
    ParsedReply p;
    EXPECT_EQ(parse_frame(std::span(frame.data(), n), p), ParseStatus::kOk);
    return p;
  }

  bool classify(std::span<const std::byte> frame, Classified& c) {
    ParsedReply r;
    if (parse_frame(frame, r) != ParseStatus::kOk) return false;
    ReplyClassifier classifier(link, index);
    return classifier.classify(r, c);
  }

  // A TCP segment from a target back to us.
  std::vector<std::byte> tcp_reply(const ParsedReply& probe, uint8_t flags, uint32_t seq,
                                   uint32_t ackno, uint8_t ttl = 63) {
    auto t = ProbeTemplate::tcp(their_mac, probe.dst, flags, 29200, flags & TcpFlags::kSyn, ttl);
    std::vector<std::byte> out(ProbeTemplate::kMaxFrame);
    out.resize(t.write_tcp(out, our_mac, us, probe.dport, probe.sport, seq, ackno, 1));
    return out;
  }

  // An ICMPv4 error from `from` quoting the first 28 bytes of a probe frame.
  std::vector<std::byte> icmp_error(std::span<const std::byte> probe_frame, const IpAddress& from,
                                    uint8_t type, uint8_t code) {
    std::vector<std::byte> f(14 + 20 + 8 + 28);
    std::memcpy(f.data(), their_mac.bytes.data(), 0);
    auto put = [&](size_t at, std::initializer_list<int> bytes) {
      for (int b : bytes) f[at++] = static_cast<std::byte>(b);
    };
    std::memcpy(f.data(), our_mac.bytes.data(), 6);
    std::memcpy(f.data() + 6, their_mac.bytes.data(), 6);
    put(12, {0x08, 0x00});
    const uint16_t total = 20 + 8 + 28;
    put(14, {0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, 1, 0, 0});
    std::memcpy(f.data() + 14 + 12, from.bytes().data(), 4);
    std::memcpy(f.data() + 14 + 16, us.bytes().data(), 4);
    const uint16_t sum = internet_checksum(std::span(f.data() + 14, 20));
    put(14 + 10, {sum >> 8, sum & 0xff});
    put(34, {type, code, 0, 0, 0, 0, 0, 0});
    std::memcpy(f.data() + 42, probe_frame.data() + 14, 28);
    return f;
  }

  std::vector<std::byte> probe_frame(uint32_t host, uint32_t spec) {
    ProbeWriter writer(link, hosts, macs, specs, LinkProbe::kNone);
    std::vector<std::byte> frame(ProbeTemplate::kMaxFrame);
    frame.resize(writer.write(frame, host, spec));
    return frame;
  }
};

TEST(ReplyClassifier, SynAckOpensTheRightElementAndAsksForAReset) {
  Fixture fx;
  const ParsedReply p = fx.probe(1, 0);
  EXPECT_EQ(p.tcp_flags, TcpFlags::kSyn);
  EXPECT_GE(p.sport, 61000);
  Classified c;
  ASSERT_TRUE(fx.classify(fx.tcp_reply(p, TcpFlags::kSyn | TcpFlags::kAck, 777, p.seq + 1), c));
  EXPECT_EQ(c.host, 1u);
  EXPECT_EQ(c.spec, 0u);
  EXPECT_EQ(c.reason, Reason::kSynAck);
  EXPECT_EQ(c.ttl, 63);
  EXPECT_TRUE(c.send_reset);
}

TEST(ReplyClassifier, RstToSynIsClosed) {
  Fixture fx;
  const ParsedReply p = fx.probe(0, 0);
  Classified c;
  ASSERT_TRUE(fx.classify(fx.tcp_reply(p, TcpFlags::kRst | TcpFlags::kAck, 0, p.seq + 1), c));
  EXPECT_EQ(c.reason, Reason::kReset);
  EXPECT_FALSE(c.send_reset);
}

TEST(ReplyClassifier, RejectsRepliesThatDoNotCarryTheCookie) {
  Fixture fx;
  const ParsedReply p = fx.probe(0, 0);
  Classified c;
  EXPECT_FALSE(fx.classify(fx.tcp_reply(p, TcpFlags::kSyn | TcpFlags::kAck, 1, p.seq + 2), c));
  EXPECT_FALSE(fx.classify(fx.tcp_reply(p, TcpFlags::kSyn | TcpFlags::kAck, 1, p.seq), c));
  // The right ack from a host we did not probe.
  ParsedReply other = p;
  other.dst = addr("198.18.0.9");
  EXPECT_FALSE(fx.classify(fx.tcp_reply(other, TcpFlags::kSyn | TcpFlags::kAck, 1, p.seq + 1), c));
}

TEST(ReplyClassifier, AckProbeRstCarriesTheCookieAsItsSequence) {
  Fixture fx;
  const ParsedReply p = fx.probe(0, 1);
  EXPECT_EQ(p.tcp_flags, TcpFlags::kAck);
  Classified c;
  ASSERT_TRUE(fx.classify(fx.tcp_reply(p, TcpFlags::kRst, p.ack, 0), c));
  EXPECT_EQ(c.spec, 1u);
  EXPECT_EQ(c.reason, Reason::kReset);
  // A SYN probe's cookie does not answer the ACK probe and vice versa.
  EXPECT_FALSE(fx.classify(fx.tcp_reply(p, TcpFlags::kRst | TcpFlags::kAck, 0, p.ack + 1), c));
}

TEST(ReplyClassifier, UdpReplyMustComeBackToTheCookiePort) {
  Fixture fx;
  const ParsedReply p = fx.probe(1, 2);
  ASSERT_EQ(p.dport, 53);
  EXPECT_GT(p.payload_len, 0);  // the DNS payload
  auto t = ProbeTemplate::udp(fx.their_mac, p.dst, 61);
  std::vector<std::byte> reply(ProbeTemplate::kMaxFrame);
  const std::array<std::byte, 4> data{};
  reply.resize(t.write_udp(reply, fx.our_mac, fx.us, 53, p.sport, data, 9));
  Classified c;
  ASSERT_TRUE(fx.classify(reply, c));
  EXPECT_EQ(c.host, 1u);
  EXPECT_EQ(c.spec, 2u);
  EXPECT_EQ(c.reason, Reason::kUdpResponse);
  reply.assign(ProbeTemplate::kMaxFrame, std::byte{0});
  reply.resize(t.write_udp(reply, fx.our_mac, fx.us, 53,
                           static_cast<uint16_t>(p.sport == 61000 ? 61001 : 61000), data, 9));
  EXPECT_FALSE(fx.classify(reply, c));
}

TEST(ReplyClassifier, IcmpErrorsNameTheQuotedProbe) {
  Fixture fx;
  Classified c;
  // Port unreachable from the host for the UDP probe: closed.
  auto udp_probe = fx.probe_frame(0, 2);
  ASSERT_TRUE(fx.classify(fx.icmp_error(udp_probe, fx.hosts[0], 3, 3), c));
  EXPECT_EQ(c.spec, 2u);
  EXPECT_EQ(c.reason, Reason::kPortUnreach);
  // Admin-prohibited from a router for the SYN: filtered, found by the quoted seq.
  auto syn_probe = fx.probe_frame(1, 0);
  ASSERT_TRUE(fx.classify(fx.icmp_error(syn_probe, addr("198.19.255.2"), 3, 13), c));
  EXPECT_EQ(c.host, 1u);
  EXPECT_EQ(c.spec, 0u);
  EXPECT_EQ(c.reason, Reason::kAdminProhibited);
  // A quoted SYN whose sequence number is not ours.
  auto forged = syn_probe;
  forged[14 + 20 + 4] ^= std::byte{0x01};
  EXPECT_FALSE(fx.classify(fx.icmp_error(forged, fx.hosts[1], 3, 13), c));
  // Fragmentation needed says nothing about the port.
  EXPECT_FALSE(fx.classify(fx.icmp_error(syn_probe, fx.hosts[1], 3, 4), c));
}

TEST(ReplyClassifier, EchoReplyMatchesIdAndSequence) {
  Fixture fx;
  const ParsedReply p = fx.probe(1, 3);
  auto t = ProbeTemplate::icmp_echo(fx.their_mac, p.dst, 64);
  // An echo request template turned into a reply: type 0 instead of 8.
  std::vector<std::byte> reply(ProbeTemplate::kMaxFrame);
  const uint32_t tag = fx.cookie.icmp_tag(fx.us, p.dst);
  reply.resize(t.write_icmp(reply, fx.our_mac, fx.us, static_cast<uint16_t>(tag >> 16),
                            static_cast<uint16_t>(tag), {}, 5));
  reply[14 + 20] = std::byte{0};
  Classified c;
  ASSERT_TRUE(fx.classify(reply, c));
  EXPECT_EQ(c.host, 1u);
  EXPECT_EQ(c.spec, 3u);
  EXPECT_EQ(c.reason, Reason::kEchoReply);
  reply[14 + 20 + 7] ^= std::byte{1};  // sequence off by one
  EXPECT_FALSE(fx.classify(reply, c));
}

}  // namespace
}  // namespace portolan
