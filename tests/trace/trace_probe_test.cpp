// Trace probes on bytes: the TTL rides in the probe (IP header, source port
// or echo sequence), replies are built as a router's or a target's kernel
// would build them, parsed by parse_frame and tied back to (target, TTL) by
// TraceProbeCodec; forged and unrelated packets are rejected.
#include "portolan/trace/trace_probe.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "../packet/packet_bytes.h"
#include "portolan/packet/checksum.h"

namespace portolan {
namespace {

using testing::hex;

IpAddress addr(const char* text) {
  return *IpAddress::parse(text);
}

struct Fixture {
  explicit Fixture(const char* local_text = "198.19.1.1", const char* target_text = "198.19.3.2",
                   const char* router_text = "198.19.2.2")
      : us(addr(local_text)),
        dst(addr(target_text)),
        router(addr(router_text)),
        codec(us, 61000, 30, cookie) {}

  MacAddress our_mac{{0x02, 0, 0, 0, 0, 1}};
  MacAddress their_mac{{0x02, 0, 0, 0, 0, 2}};
  IpAddress us, dst, router;
  ProbeCookie cookie = ProbeCookie::with_key(0x1122334455667788ULL, 0x99aabbccddeeff00ULL);
  TraceProbeCodec codec;

  ProbeTemplate tmpl(TraceProtocol p, int ttl) const {
    const auto t = static_cast<uint8_t>(ttl);
    if (p == TraceProtocol::kTcp)
      return ProbeTemplate::tcp(our_mac, us, TcpFlags::kSyn, 1024, true, t);
    if (p == TraceProtocol::kUdp) return ProbeTemplate::udp(our_mac, us, t);
    return ProbeTemplate::icmp_echo(our_mac, us, t);
  }

  std::vector<std::byte> probe_frame(const TraceProbe& probe, int ttl) const {
    std::vector<std::byte> f(ProbeTemplate::kMaxFrame);
    f.resize(codec.write(f, tmpl(probe.protocol, ttl), their_mac, dst, probe, ttl));
    return f;
  }

  ParsedReply parsed(std::span<const std::byte> frame) const {
    ParsedReply r;
    EXPECT_EQ(parse_frame(frame, r), ParseStatus::kOk);
    return r;
  }

  std::optional<TraceReply> match(std::span<const std::byte> frame) const {
    ParsedReply r;
    if (parse_frame(frame, r) != ParseStatus::kOk) return std::nullopt;
    return codec.match(r);
  }

  // An ICMPv4 error from `from` to us quoting the first 28 bytes of a probe.
  std::vector<std::byte> icmp4_error(std::span<const std::byte> probe, const IpAddress& from,
                                     uint8_t type, uint8_t code) const {
    std::vector<std::byte> f(14 + 20 + 8 + 28);
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
    std::memcpy(f.data() + 42, probe.data() + 14, 28);
    return f;
  }

  // An ICMPv6 error from `from` to us quoting the probe's IPv6 header and 8
  // transport bytes (the transport checksum is not verified by the parser).
  std::vector<std::byte> icmp6_error(std::span<const std::byte> probe, const IpAddress& from,
                                     uint8_t type, uint8_t code) const {
    const size_t quoted = 40 + 8;
    std::vector<std::byte> f(14 + 40 + 8 + quoted);
    auto put = [&](size_t at, std::initializer_list<int> bytes) {
      for (int b : bytes) f[at++] = static_cast<std::byte>(b);
    };
    std::memcpy(f.data(), our_mac.bytes.data(), 6);
    std::memcpy(f.data() + 6, their_mac.bytes.data(), 6);
    put(12, {0x86, 0xdd});
    const size_t plen = 8 + quoted;
    put(14, {0x60, 0, 0, 0, static_cast<int>(plen >> 8), static_cast<int>(plen & 0xff), 58, 64});
    std::memcpy(f.data() + 14 + 8, from.bytes().data(), 16);
    std::memcpy(f.data() + 14 + 24, us.bytes().data(), 16);
    put(54, {type, code, 0, 0, 0, 0, 0, 0});
    std::memcpy(f.data() + 62, probe.data() + 14, quoted);
    return f;
  }
};

// The identifier and sequence of an IPv4 echo request frame (the parser
// reads them only from replies).
std::pair<uint16_t, uint16_t> echo_id_seq(std::span<const std::byte> frame) {
  auto u16 = [&](size_t at) {
    return static_cast<uint16_t>(testing::u8(frame, at) << 8 | testing::u8(frame, at + 1));
  };
  return {u16(14 + 20 + 4), u16(14 + 20 + 6)};
}

constexpr TraceProbe kSyn80{TraceProtocol::kTcp, 80};
constexpr TraceProbe kUdp33{TraceProtocol::kUdp, 33};
constexpr TraceProbe kEcho{TraceProtocol::kIcmp, 0};

TEST(ChooseTraceProbe, PrefersOpenTcpThenClosedTcpThenUdpThenEcho) {
  auto port = [](Protocol proto, uint16_t n, PortState s) {
    PortResult p;
    p.protocol = proto;
    p.port = n;
    p.state = s;
    return p;
  };
  std::vector<PortResult> ports = {
      port(Protocol::kTcp, 443, PortState::kOpen), port(Protocol::kTcp, 22, PortState::kOpen),
      port(Protocol::kTcp, 21, PortState::kClosed), port(Protocol::kUdp, 53, PortState::kClosed)};
  EXPECT_EQ(choose_trace_probe(ports), (TraceProbe{TraceProtocol::kTcp, 22}));
  ports.erase(ports.begin(), ports.begin() + 2);
  EXPECT_EQ(choose_trace_probe(ports), (TraceProbe{TraceProtocol::kTcp, 21}));
  ports.erase(ports.begin());
  ports.push_back(port(Protocol::kUdp, 7, PortState::kOpen));
  EXPECT_EQ(choose_trace_probe(ports), (TraceProbe{TraceProtocol::kUdp, 53}));
  ports = {port(Protocol::kTcp, 80, PortState::kFiltered),
           port(Protocol::kUdp, 53, PortState::kOpenFiltered)};
  EXPECT_EQ(choose_trace_probe(ports), kEcho);  // nothing would answer
  EXPECT_EQ(choose_trace_probe({}), kEcho);
  EXPECT_EQ(to_string(TraceProtocol::kTcp), "tcp");
  EXPECT_EQ(to_string(TraceProtocol::kUdp), "udp");
  EXPECT_EQ(to_string(TraceProtocol::kIcmp), "icmp");
}

TEST(FirstRoundTtls, GuessesTheDistanceFromTheReplyTtl) {
  EXPECT_EQ(first_round_ttls(64, 30), 3);    // on the local segment: 1 + 2
  EXPECT_EQ(first_round_ttls(62, 30), 5);    // 3 hops
  EXPECT_EQ(first_round_ttls(120, 30), 11);  // Windows, 9 hops
  EXPECT_EQ(first_round_ttls(245, 30), 13);  // 255, 11 hops
  EXPECT_EQ(first_round_ttls(30, 30), 5);    // 32
  EXPECT_EQ(first_round_ttls(0, 30), 30);    // unknown: everything
  EXPECT_EQ(first_round_ttls(140, 30), 30);  // far away: capped
  EXPECT_EQ(first_round_ttls(64, 2), 2);
  EXPECT_EQ(first_round_ttls(0, 200), kMaxTraceTtl);
}

// The TCP probe with TTL 3 to 198.19.3.2:80, whole: the TTL in the IPv4
// header, source port 61000 + 3 - 1, the cookie as sequence number and (high
// bits) IP ID, nmap's SYN options. Checksums verified independently.
TEST(TraceProbeCodec, TcpProbeGoldenBytes) {
  Fixture fx;
  const auto frame = fx.probe_frame(kSyn80, 3);
  const uint64_t h = fx.cookie.hash(fx.us, 61002, fx.dst, 80, ProbeCookie::kTcp);
  const auto seq = static_cast<uint32_t>(h);
  const auto id = static_cast<uint16_t>(h >> 32);
  EXPECT_EQ(frame.size(), 14u + 20 + 24);
  const std::vector<std::byte> head =
      hex("020000000002 020000000001 0800"
          "45 00 002c");
  EXPECT_TRUE(std::equal(head.begin(), head.end(), frame.begin()));
  EXPECT_EQ(testing::u8(frame, 14 + 4), id >> 8);
  EXPECT_EQ(testing::u8(frame, 14 + 5), id & 0xff);
  const std::vector<std::byte> ip_rest = hex("0000 03 06");  // no DF, TTL 3, TCP
  EXPECT_TRUE(std::equal(ip_rest.begin(), ip_rest.end(), frame.begin() + 14 + 6));
  const std::vector<std::byte> addrs =
      hex("c6130101 c6130302 ee4a 0050");  // .1.1 -> .3.2, 61002 -> 80
  EXPECT_TRUE(std::equal(addrs.begin(), addrs.end(), frame.begin() + 14 + 12));
  EXPECT_EQ(testing::u8(frame, 38), seq >> 24);
  EXPECT_EQ(testing::u8(frame, 41), seq & 0xff);
  const std::vector<std::byte> tail = hex("00000000 6002 0400");  // ack 0, SYN, window 1024
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), frame.begin() + 42));
  const std::vector<std::byte> mss = hex("0000 020405b4");  // urgent 0, MSS 1460
  EXPECT_TRUE(std::equal(mss.begin(), mss.end(), frame.begin() + 52));
  EXPECT_TRUE(testing::ipv4_header_checksum_ok(frame));
  EXPECT_TRUE(testing::transport_checksum_ok(frame));
}

TEST(TraceProbeCodec, EveryProtocolCarriesItsTtl) {
  Fixture fx;
  const uint32_t tag = fx.cookie.icmp_tag(fx.us, fx.dst);
  for (int ttl = 1; ttl <= 30; ++ttl) {
    const ParsedReply tcp = fx.parsed(fx.probe_frame(kSyn80, ttl));
    EXPECT_EQ(tcp.ttl, ttl);
    EXPECT_EQ(tcp.sport, 61000 + ttl - 1);
    EXPECT_EQ(tcp.seq, fx.cookie.tcp_seq(fx.us, tcp.sport, fx.dst, 80));
    const ParsedReply udp = fx.parsed(fx.probe_frame(kUdp33, ttl));
    EXPECT_EQ(udp.ttl, ttl);
    EXPECT_EQ(udp.sport, 61000 + ttl - 1);
    EXPECT_EQ(udp.dport, 33);
    const auto echo_frame = fx.probe_frame(kEcho, ttl);
    EXPECT_EQ(fx.parsed(echo_frame).ttl, ttl);
    const auto [id, seq] = echo_id_seq(echo_frame);
    EXPECT_EQ(id, tag >> 16);
    EXPECT_EQ(seq, static_cast<uint16_t>((tag & 0xffff) + ttl));
  }
  // Out of the codec's range: nothing written.
  std::vector<std::byte> f(ProbeTemplate::kMaxFrame);
  EXPECT_EQ(fx.codec.write(f, fx.tmpl(TraceProtocol::kTcp, 31), fx.their_mac, fx.dst, kSyn80, 31),
            0u);
  EXPECT_EQ(fx.codec.write(f, fx.tmpl(TraceProtocol::kTcp, 1), fx.their_mac, fx.dst, kSyn80, 0),
            0u);
}

TEST(TraceProbeCodec, TimeExceededNamesTargetAndTtlForEveryProtocol) {
  Fixture fx;
  for (const TraceProbe& probe : {kSyn80, kUdp33, kEcho}) {
    for (int ttl : {1, 2, 17, 30}) {
      const auto m = fx.match(fx.icmp4_error(fx.probe_frame(probe, ttl), fx.router, 11, 0));
      ASSERT_TRUE(m) << to_string(probe.protocol) << " ttl " << ttl;
      EXPECT_EQ(m->kind, TraceReply::Kind::kTimeExceeded);
      EXPECT_EQ(m->ttl, ttl);
      EXPECT_EQ(m->target, fx.dst);
      EXPECT_EQ(m->hop, fx.router);
      EXPECT_EQ(m->probe, probe);
    }
  }
}

// A time exceeded from 198.19.2.2 quoting the echo probe with TTL 2, as a
// Linux router sends it (the quoted header as it arrived, TTL 1), written
// out byte by byte; only the cookie's identifier and sequence are computed.
TEST(TraceProbeCodec, GoldenTimeExceededForAnEcho) {
  Fixture fx;
  const uint32_t tag = fx.cookie.icmp_tag(fx.us, fx.dst);
  const auto id = static_cast<uint16_t>(tag >> 16);
  const auto seq = static_cast<uint16_t>((tag & 0xffff) + 2);
  auto frame =
      hex("020000000001 020000000002 0800"
          "4500 0038 0001 0000 40 01 0000 c6130202 c6130101"  // router -> us, ICMP
          "0b00 0000 00000000"                                // time exceeded in transit
          "4500 001c 0000 0000 01 01 0000 c6130101 c6130302"  // our echo, TTL 1 on arrival
          "0800 0000 0000 0000");                             // id and seq filled below
  const uint16_t ipsum = internet_checksum(std::span(frame.data() + 14, 20));
  frame[24] = std::byte(ipsum >> 8);
  frame[25] = std::byte(ipsum & 0xff);
  frame[66] = std::byte(id >> 8);
  frame[67] = std::byte(id & 0xff);
  frame[68] = std::byte(seq >> 8);
  frame[69] = std::byte(seq & 0xff);
  const auto m = fx.match(frame);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->ttl, 2);
  EXPECT_EQ(m->hop, addr("198.19.2.2"));
  EXPECT_EQ(m->target, fx.dst);
  EXPECT_EQ(m->probe, kEcho);
  const auto seq31 = static_cast<uint16_t>((tag & 0xffff) + 31);  // TTL 31: out of range
  frame[68] = std::byte(seq31 >> 8);
  frame[69] = std::byte(seq31 & 0xff);
  EXPECT_FALSE(fx.match(frame));
  frame[68] = std::byte(seq >> 8);
  frame[69] = std::byte(seq & 0xff);
  ASSERT_TRUE(fx.match(frame));
  frame[66] ^= std::byte{0x40};  // not our identifier
  EXPECT_FALSE(fx.match(frame));
}

TEST(TraceProbeCodec, TheTargetsAnswersEndThePath) {
  Fixture fx;
  // SYN-ACK and RST acknowledging seq + 1, to the TTL's source port.
  const ParsedReply syn = fx.parsed(fx.probe_frame(kSyn80, 4));
  for (uint8_t flags :
       {uint8_t(TcpFlags::kSyn | TcpFlags::kAck), uint8_t(TcpFlags::kRst | TcpFlags::kAck)}) {
    auto t = ProbeTemplate::tcp(fx.their_mac, fx.dst, flags, 29200, false, 61);
    std::vector<std::byte> reply(ProbeTemplate::kMaxFrame);
    reply.resize(t.write_tcp(reply, fx.our_mac, fx.us, 80, syn.sport, 5, syn.seq + 1, 1));
    const auto m = fx.match(reply);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->kind, TraceReply::Kind::kEnd);
    EXPECT_EQ(m->ttl, 4);
    EXPECT_EQ(m->target, fx.dst);
    EXPECT_EQ(m->hop, fx.dst);
    EXPECT_EQ(m->probe, kSyn80);
    reply.assign(ProbeTemplate::kMaxFrame, std::byte{0});
    reply.resize(t.write_tcp(reply, fx.our_mac, fx.us, 80, syn.sport, 5, syn.seq + 2, 1));
    EXPECT_FALSE(fx.match(reply));  // wrong acknowledgment
  }
  // UDP: the port unreachable from the target, or its reply.
  const auto unreach = fx.match(fx.icmp4_error(fx.probe_frame(kUdp33, 5), fx.dst, 3, 3));
  ASSERT_TRUE(unreach);
  EXPECT_EQ(unreach->kind, TraceReply::Kind::kEnd);
  EXPECT_EQ(unreach->ttl, 5);
  EXPECT_EQ(unreach->hop, fx.dst);
  auto u = ProbeTemplate::udp(fx.their_mac, fx.dst, 61);
  std::vector<std::byte> reply(ProbeTemplate::kMaxFrame);
  reply.resize(u.write_udp(reply, fx.our_mac, fx.us, 33, 61000 + 6, {}, 1));
  const auto udp = fx.match(reply);
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->ttl, 7);
  EXPECT_EQ(udp->probe, kUdp33);
  // Echo reply: the request turned around (type 0).
  const auto [echo_id, echo_seq] = echo_id_seq(fx.probe_frame(kEcho, 9));
  auto e = ProbeTemplate::icmp_echo(fx.their_mac, fx.dst, 61);
  reply.assign(ProbeTemplate::kMaxFrame, std::byte{0});
  reply.resize(e.write_icmp(reply, fx.our_mac, fx.us, echo_id, echo_seq, {}, 3));
  reply[14 + 20] = std::byte{0};
  const auto er = fx.match(reply);
  ASSERT_TRUE(er);
  EXPECT_EQ(er->kind, TraceReply::Kind::kEnd);
  EXPECT_EQ(er->ttl, 9);
  EXPECT_EQ(er->probe, kEcho);
  // A router's host unreachable also ends the path, at that router.
  const auto hu = fx.match(fx.icmp4_error(fx.probe_frame(kSyn80, 2), fx.router, 3, 1));
  ASSERT_TRUE(hu);
  EXPECT_EQ(hu->kind, TraceReply::Kind::kEnd);
  EXPECT_EQ(hu->hop, fx.router);
}

TEST(TraceProbeCodec, RejectsForgedAndUnrelatedPackets) {
  Fixture fx;
  const auto syn = fx.probe_frame(kSyn80, 3);
  // A quoted sequence number that is not the cookie.
  auto forged = syn;
  forged[14 + 20 + 4] ^= std::byte{0x01};
  EXPECT_FALSE(fx.match(fx.icmp4_error(forged, fx.router, 11, 0)));
  // A quoted source port outside our block (the TTL it would encode is 31+).
  auto far = fx.probe_frame(kSyn80, 1);
  far[14 + 20] = std::byte(61030 >> 8);
  far[14 + 21] = std::byte(61030 & 0xff);
  EXPECT_FALSE(fx.match(fx.icmp4_error(far, fx.router, 11, 0)));
  // Fragment reassembly time exceeded (code 1), fragmentation needed.
  EXPECT_FALSE(fx.match(fx.icmp4_error(syn, fx.router, 11, 1)));
  EXPECT_FALSE(fx.match(fx.icmp4_error(syn, fx.router, 3, 4)));
  // Another ICMP type quoting our probe (parameter problem).
  EXPECT_FALSE(fx.match(fx.icmp4_error(syn, fx.router, 12, 0)));
  // A probe someone else sent: its quoted source is not us.
  Fixture other("198.19.1.9");
  EXPECT_FALSE(fx.match(other.icmp4_error(other.probe_frame(kSyn80, 3), fx.router, 11, 0)));
  // Our probe, but the error addressed to another host.
  auto elsewhere = fx.icmp4_error(syn, fx.router, 11, 0);
  elsewhere[14 + 19] = std::byte{9};
  const uint16_t zero = 0;
  std::memcpy(elsewhere.data() + 24, &zero, 2);
  const uint16_t sum = internet_checksum(std::span(elsewhere.data() + 14, 20));
  elsewhere[24] = std::byte(sum >> 8);
  elsewhere[25] = std::byte(sum & 0xff);
  EXPECT_FALSE(fx.match(elsewhere));
  // A UDP probe whose quoted IP ID is not the cookie.
  auto udp = fx.probe_frame(kUdp33, 3);
  udp[14 + 4] ^= std::byte{0x80};
  EXPECT_FALSE(fx.match(fx.icmp4_error(udp, fx.router, 11, 0)));
  // Probes from a differently keyed run do not match.
  Fixture rekeyed;
  rekeyed.cookie = ProbeCookie::with_key(1, 2);
  EXPECT_FALSE(fx.match(rekeyed.icmp4_error(rekeyed.probe_frame(kSyn80, 3), fx.router, 11, 0)));
  EXPECT_FALSE(fx.match(rekeyed.icmp4_error(rekeyed.probe_frame(kEcho, 3), fx.router, 11, 0)));
  // Our own probe seen on the wire is not a reply.
  EXPECT_FALSE(fx.match(syn));
  // A TCP segment without ACK to one of our ports.
  auto t = ProbeTemplate::tcp(fx.their_mac, fx.dst, TcpFlags::kSyn, 29200, false, 61);
  const ParsedReply p = fx.parsed(syn);
  std::vector<std::byte> reply(ProbeTemplate::kMaxFrame);
  reply.resize(t.write_tcp(reply, fx.our_mac, fx.us, 80, p.sport, 5, p.seq + 1, 1));
  EXPECT_FALSE(fx.match(reply));
}

TEST(TraceProbeCodec, Ipv6TimeExceededAndUnreachable) {
  Fixture fx("2001:db8:f1::1", "2001:db8:f3::2", "2001:db8:f2::2");
  for (const TraceProbe& probe : {kSyn80, kUdp33, kEcho}) {
    const auto m = fx.match(fx.icmp6_error(fx.probe_frame(probe, 2), fx.router, 3, 0));
    ASSERT_TRUE(m) << to_string(probe.protocol);
    EXPECT_EQ(m->kind, TraceReply::Kind::kTimeExceeded);
    EXPECT_EQ(m->ttl, 2);
    EXPECT_EQ(m->target, fx.dst);
    EXPECT_EQ(m->hop, fx.router);
    EXPECT_EQ(m->probe, probe);
  }
  const auto pu = fx.match(fx.icmp6_error(fx.probe_frame(kUdp33, 3), fx.dst, 1, 4));
  ASSERT_TRUE(pu);
  EXPECT_EQ(pu->kind, TraceReply::Kind::kEnd);
  EXPECT_EQ(pu->ttl, 3);
  // The hop limit is in the IPv6 header of the probe.
  EXPECT_EQ(fx.parsed(fx.probe_frame(kEcho, 7)).ttl, 7);
  auto forged = fx.probe_frame(kEcho, 2);
  forged[14 + 40 + 4] ^= std::byte{0x01};  // identifier
  EXPECT_FALSE(fx.match(fx.icmp6_error(forged, fx.router, 3, 0)));
  EXPECT_FALSE(fx.match(fx.icmp6_error(fx.probe_frame(kEcho, 2), fx.router, 3, 1)));
}

}  // namespace
}  // namespace portolan
