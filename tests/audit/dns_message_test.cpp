// DNS query building and answer parsing on answers captured from dnsmasq
// 2.90 (captures/dns/), and on hostile compression pointers.
#include "portolan/audit/dns_message.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("dns/" + name);
}

TEST(DnsMessage, BuildsTheRootNsQueryByteForByte) {
  auto q = build_dns_query(0x5054, ".", kDnsTypeNs, true);
  ASSERT_TRUE(q);
  EXPECT_EQ(*q, capture("query_root_ns.bin"));
  auto named = build_dns_query(1, "router.lan.", kDnsTypeA, false);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->substr(12), std::string("\x06router\x03lan\x00\x00\x01\x00\x01", 16));
  EXPECT_EQ(static_cast<uint8_t>((*named)[2]), 0);
  EXPECT_FALSE(build_dns_query(1, "a..b", kDnsTypeA, true));
  EXPECT_FALSE(build_dns_query(1, std::string(64, 'x') + ".org", kDnsTypeA, true));
}

TEST(DnsMessage, ReadsAForwardedAnswer) {
  auto m = parse_dns_message(capture("dnsmasq_forwarding_root_ns.bin"));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->id, 0x5054);
  EXPECT_TRUE(m->response);
  EXPECT_TRUE(m->recursion_available);
  EXPECT_FALSE(m->authoritative);
  EXPECT_EQ(m->rcode, 0);
  ASSERT_EQ(m->answers.size(), 1u);
  EXPECT_EQ(m->answers[0].name, ".");
  EXPECT_EQ(m->answers[0].type, kDnsTypeNs);
  EXPECT_EQ(m->answers[0].data, "a.root-servers.net");
}

TEST(DnsMessage, ReadsRefusalsAndLocalAnswers) {
  auto refused = parse_dns_message(capture("dnsmasq_noupstream_root_ns.bin"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(dns_rcode_name(refused->rcode), "REFUSED");
  EXPECT_TRUE(refused->answers.empty());
  auto local = parse_dns_message(capture("dnsmasq_localrecord_router_a.bin"));
  ASSERT_TRUE(local);
  EXPECT_TRUE(local->authoritative);
  ASSERT_EQ(local->answers.size(), 1u);
  EXPECT_EQ(local->answers[0].name, "router.lan");  // through a compression pointer
  EXPECT_EQ(local->answers[0].data, "192.0.2.1");
  const std::string framed = capture("dnsmasq_noupstream_root_ns_tcp.bin");
  auto tcp = dns_tcp_unframe(framed);
  ASSERT_TRUE(tcp);
  EXPECT_EQ(*tcp, capture("dnsmasq_noupstream_root_ns.bin"));
  EXPECT_EQ(dns_tcp_frame(*tcp), framed);
}

TEST(DnsMessage, EveryCutShortCaptureIsAnError) {
  for (const char* name : {"dnsmasq_forwarding_root_ns.bin", "dnsmasq_localrecord_router_a.bin",
                           "dnsmasq_noupstream_root_ns.bin"}) {
    const std::string bytes = capture(name);
    for (size_t n = 0; n < bytes.size(); ++n)
      EXPECT_FALSE(parse_dns_message(bytes.substr(0, n))) << name << n;
  }
  const std::string tcp = capture("dnsmasq_noupstream_root_ns_tcp.bin");
  for (size_t n = 0; n < tcp.size(); ++n) EXPECT_FALSE(dns_tcp_unframe(tcp.substr(0, n))) << n;
}

TEST(DnsMessage, RejectsCompressionLoopsAndForwardPointers) {
  const std::string header("\x00\x01\x81\x80\x00\x00\x00\x01\x00\x00\x00\x00", 12);
  const std::string rr_tail("\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00", 10);
  // A pointer to itself.
  EXPECT_FALSE(parse_dns_message(header + std::string("\xc0\x0c", 2) + rr_tail));
  // A pointer forwards, into the record's own fixed fields.
  EXPECT_FALSE(parse_dns_message(header + std::string("\xc0\x0e", 2) + rr_tail));
  // Two labels pointing at each other.
  EXPECT_FALSE(parse_dns_message(header +
                                 std::string("\x01"
                                             "a\xc0\x0c",
                                             4) +
                                 rr_tail));
  // Reserved label types.
  EXPECT_FALSE(parse_dns_message(header + std::string("\x40\x00", 2) + rr_tail));
  // A name longer than 255 bytes.
  std::string longname;
  for (int i = 0; i < 5; ++i) longname += '\x3f' + std::string(63, 'a');
  EXPECT_FALSE(parse_dns_message(header + longname + std::string(1, '\0') + rr_tail));
  // A valid backward pointer still works.
  auto ok = parse_dns_message(header.substr(0, 5) + std::string("\x01", 1) + header.substr(6, 6) +
                              std::string("\x01"
                                          "a\x00\x00\x01\x00\x01",
                                          7) +
                              std::string("\xc0\x0c", 2) + rr_tail);
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->answers[0].name, "a");
}

}  // namespace
}  // namespace portolan::audit
