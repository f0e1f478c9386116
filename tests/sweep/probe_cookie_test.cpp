// ProbeCookie: determinism, what the hash covers, and the spread of the
// values probes carry.
#include "portolan/sweep/probe_cookie.h"

#include <array>
#include <cstddef>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "portolan/sweep/siphash.h"

namespace portolan {
namespace {

IpAddress ip(const char* text) {
  return IpAddress::parse(text).value();
}

const ProbeCookie kCookie = ProbeCookie::with_key(0x0123456789abcdef, 0xfedcba9876543210);

TEST(ProbeCookie, SameKeyAndTupleGiveTheSameValue) {
  const auto other = ProbeCookie::with_key(kCookie.key0(), kCookie.key1());
  EXPECT_EQ(kCookie.hash(ip("10.0.0.1"), 40000, ip("192.0.2.7"), 443, 6),
            other.hash(ip("10.0.0.1"), 40000, ip("192.0.2.7"), 443, 6));
  EXPECT_EQ(other.key0(), 0x0123456789abcdefu);
  EXPECT_EQ(other.key1(), 0xfedcba9876543210u);
}

TEST(ProbeCookie, Ipv4LayoutIsSipHashOfTheDocumentedSixteenBytes) {
  // Pinned so that a resumed scan computes the cookies the first run did:
  // local, remote (host order, LE words), local port, remote port, protocol, 4.
  std::array<std::byte, 16> m{};
  const uint8_t bytes[16] = {0x01, 0x00, 0x00, 0x0a, 0x07, 0x02, 0x00, 0xc0,
                             0x40, 0x9c, 0xbb, 0x01, 0x06, 0x04, 0x00, 0x00};
  for (size_t i = 0; i < 16; ++i) m[i] = static_cast<std::byte>(bytes[i]);
  EXPECT_EQ(kCookie.hash(ip("10.0.0.1"), 40000, ip("192.0.2.7"), 443, 6),
            siphash24(kCookie.key0(), kCookie.key1(), m));
}

TEST(ProbeCookie, Ipv6LayoutIsSipHashOfTheDocumentedFortyBytes) {
  // Both addresses' bytes in network order, then ports (LE), protocol, zero,
  // and the two families.
  const auto local = ip("2001:db8::1");
  const auto remote = ip("2001:db8::abcd");
  std::array<std::byte, 40> m{};
  for (size_t i = 0; i < 16; ++i) {
    m[i] = static_cast<std::byte>(local.bytes()[i]);
    m[16 + i] = static_cast<std::byte>(remote.bytes()[i]);
  }
  const uint8_t tail[8] = {0x40, 0x9c, 0xbb, 0x01, 0x06, 0x00, 0x06, 0x06};
  for (size_t i = 0; i < 8; ++i) m[32 + i] = static_cast<std::byte>(tail[i]);
  EXPECT_EQ(kCookie.hash(local, 40000, remote, 443, 6),
            siphash24(kCookie.key0(), kCookie.key1(), m));
}

TEST(ProbeCookie, EveryPartOfTheTupleAndTheKeyMatters) {
  const uint64_t base = kCookie.hash(ip("10.0.0.1"), 40000, ip("192.0.2.7"), 443, 6);
  EXPECT_NE(base, kCookie.hash(ip("10.0.0.2"), 40000, ip("192.0.2.7"), 443, 6));
  EXPECT_NE(base, kCookie.hash(ip("10.0.0.1"), 40001, ip("192.0.2.7"), 443, 6));
  EXPECT_NE(base, kCookie.hash(ip("10.0.0.1"), 40000, ip("192.0.2.8"), 443, 6));
  EXPECT_NE(base, kCookie.hash(ip("10.0.0.1"), 40000, ip("192.0.2.7"), 444, 6));
  EXPECT_NE(base, kCookie.hash(ip("10.0.0.1"), 40000, ip("192.0.2.7"), 443, 17));
  // Swapping the ends is a different tuple (a reply's own 4-tuple is reversed).
  EXPECT_NE(base, kCookie.hash(ip("192.0.2.7"), 443, ip("10.0.0.1"), 40000, 6));
  const auto other_key = ProbeCookie::with_key(kCookie.key0() ^ 1, kCookie.key1());
  EXPECT_NE(base, other_key.hash(ip("10.0.0.1"), 40000, ip("192.0.2.7"), 443, 6));
}

TEST(ProbeCookie, Ipv6AndMappedIpv4AreDistinctFromIpv4) {
  const uint64_t v4 = kCookie.hash(ip("10.0.0.1"), 1, ip("192.0.2.7"), 2, 6);
  const uint64_t mapped = kCookie.hash(ip("::ffff:10.0.0.1"), 1, ip("::ffff:192.0.2.7"), 2, 6);
  EXPECT_NE(v4, mapped);
  const uint64_t v6 = kCookie.hash(ip("2001:db8::1"), 1, ip("2001:db8::2"), 2, 6);
  EXPECT_EQ(v6, kCookie.hash(ip("2001:db8::1"), 1, ip("2001:db8::2"), 2, 6));
  EXPECT_NE(v6, kCookie.hash(ip("2001:db8::1"), 1, ip("2001:db8::3"), 2, 6));
  EXPECT_NE(v6, kCookie.hash(ip("2001:db8::1"), 1, ip("2001:db8::2"), 3, 6));
}

TEST(ProbeCookie, TcpSeqIsTheLowHalfAndTheAckIsSeqPlusOne) {
  const auto local = ip("10.0.0.1");
  const auto remote = ip("192.0.2.7");
  const uint32_t seq = kCookie.tcp_seq(local, 40000, remote, 80);
  EXPECT_EQ(seq, static_cast<uint32_t>(kCookie.hash(local, 40000, remote, 80, ProbeCookie::kTcp)));
  EXPECT_TRUE(kCookie.tcp_ack_matches(local, 40000, remote, 80, seq + 1u));
  EXPECT_FALSE(kCookie.tcp_ack_matches(local, 40000, remote, 80, seq));
  EXPECT_FALSE(kCookie.tcp_ack_matches(local, 40000, remote, 81, seq + 1u));
  EXPECT_FALSE(kCookie.tcp_ack_matches(local, 40001, remote, 80, seq + 1u));
}

TEST(ProbeCookie, SequenceNumbersAreBalancedAcrossTuples) {
  // Every bit of the 32 a forger must guess is a fair coin across targets.
  constexpr int kTuples = 65536;
  std::array<int, 32> ones{};
  for (int i = 0; i < kTuples; ++i) {
    const uint32_t seq = kCookie.tcp_seq(ip("10.0.0.1"), 40000,
                                         IpAddress::v4(0xc0000000u + static_cast<uint32_t>(i)),
                                         static_cast<uint16_t>(i * 7));
    for (int bit = 0; bit < 32; ++bit) ones[bit] += (seq >> bit) & 1;
  }
  for (int bit = 0; bit < 32; ++bit) {
    EXPECT_NEAR(ones[bit], kTuples / 2, kTuples / 50) << "bit " << bit;
  }
}

TEST(ProbeCookie, SourcePortStaysInItsBlockAndCoversIt) {
  const auto local = ip("10.0.0.1");
  std::vector<int> hits(256);
  for (uint32_t i = 0; i < 256 * 200; ++i) {
    const uint16_t port =
        kCookie.source_port(local, IpAddress::v4(0x0a010000u + i / 100),
                            static_cast<uint16_t>(i % 100 + 1), ProbeCookie::kUdp, 61000, 256);
    ASSERT_GE(port, 61000);
    ASSERT_LT(port, 61000 + 256);
    ++hits[port - 61000];
  }
  for (int h : hits) EXPECT_NEAR(h, 200, 70);  // about 5 standard deviations
  // The same probe always leaves from the same port, whatever our port was.
  EXPECT_EQ(kCookie.source_port(local, ip("192.0.2.7"), 53, ProbeCookie::kUdp, 61000, 256),
            kCookie.source_port(local, ip("192.0.2.7"), 53, ProbeCookie::kUdp, 61000, 256));
}

TEST(ProbeCookie, SourcePortBlocksOfOneOrNone) {
  const auto local = ip("10.0.0.1");
  const auto remote = ip("192.0.2.7");
  EXPECT_EQ(kCookie.source_port(local, remote, 53, ProbeCookie::kUdp, 5353, 1), 5353);
  EXPECT_EQ(kCookie.source_port(local, remote, 53, ProbeCookie::kUdp, 5353, 0), 5353);
  const uint16_t top = kCookie.source_port(local, remote, 53, ProbeCookie::kUdp, 65280, 256);
  EXPECT_GE(top, 65280);
}

TEST(ProbeCookie, IcmpTagsDependOnBothAddressesAndFamily) {
  const uint32_t tag = kCookie.icmp_tag(ip("10.0.0.1"), ip("192.0.2.7"));
  EXPECT_EQ(tag, kCookie.icmp_tag(ip("10.0.0.1"), ip("192.0.2.7")));
  EXPECT_NE(tag, kCookie.icmp_tag(ip("10.0.0.1"), ip("192.0.2.8")));
  EXPECT_NE(tag, kCookie.icmp_tag(ip("10.0.0.2"), ip("192.0.2.7")));
  EXPECT_EQ(kCookie.icmp_tag(ip("2001:db8::1"), ip("2001:db8::2")),
            static_cast<uint32_t>(
                kCookie.hash(ip("2001:db8::1"), 0, ip("2001:db8::2"), 0, ProbeCookie::kIcmpV6)));
}

TEST(ProbeCookie, RandomKeysDiffer) {
  std::set<std::pair<uint64_t, uint64_t>> keys;
  for (int i = 0; i < 8; ++i) {
    const auto c = ProbeCookie::random();
    keys.emplace(c.key0(), c.key1());
  }
  EXPECT_EQ(keys.size(), 8u);
}

}  // namespace
}  // namespace portolan
