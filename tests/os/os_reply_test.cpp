#include "portolan/os/os_reply.h"

#include <gtest/gtest.h>

#include <span>

#include "os_test_frames.h"

namespace portolan {
namespace {

using testing::hex;
using testing::ipv4_frame;

// A SYN-ACK as Linux writes it: MSS 1460, SACK permitted, TS, NOP, WS 7.
constexpr std::string_view kLinuxSynAck =
    "0016 f0a1 11223344 00000001 a0 12 fe88 0000 0000"  // ports, seq, ack, off 10, SYN|ACK, win
    "020405b4 0402 080a 00123456 00000001 01 030307";

TEST(OsReply, ReadsLinuxSynAckOptionsInWireOrder) {
  const auto frame = ipv4_frame(6, 63, true, 0, kLinuxSynAck);
  OsReply r;
  ASSERT_EQ(parse_os_reply(frame, r), ParseStatus::kOk);
  EXPECT_EQ(r.parsed.kind, ReplyKind::kTcp);
  EXPECT_TRUE(r.df);
  EXPECT_EQ(r.ip_total_length, 60);
  EXPECT_EQ(r.parsed.ttl, 63);
  EXPECT_EQ(r.parsed.window, 0xfe88);
  EXPECT_EQ(option_order(r.options), "MSS,SACK,TS,NOP,WS");
  EXPECT_TRUE(r.options.has_mss);
  EXPECT_EQ(r.options.mss, 1460);
  EXPECT_TRUE(r.options.has_wscale);
  EXPECT_EQ(r.options.wscale, 7);
  EXPECT_TRUE(r.options.sack_permitted);
  EXPECT_TRUE(r.options.has_timestamp);
  EXPECT_EQ(r.options.tsval, 0x123456u);
  EXPECT_EQ(r.options.tsecr, 1u);
  EXPECT_FALSE(r.options.malformed);
}

TEST(OsReply, ReadsBsdLayoutWithEolAndDfClear) {
  // MSS, NOP, WS 6, NOP, NOP, TS, SACK permitted, EOL (XNU's layout).
  const auto frame = ipv4_frame(6, 64, false, 0x1234,
                                "0050 f0a1 00000001 00000002 b0 12 ffff 0000 0000"
                                "020405b4 01 030306 01 01 080a 00000010 00000000 0402 00 00");
  OsReply r;
  ASSERT_EQ(parse_os_reply(frame, r), ParseStatus::kOk);
  EXPECT_FALSE(r.df);
  EXPECT_EQ(r.parsed.ip_id, 0x1234);
  EXPECT_EQ(option_order(r.options), "MSS,NOP,WS,NOP,NOP,TS,SACK,EOL");
  EXPECT_EQ(r.options.wscale, 6);
}

TEST(OsReply, NoOptionsGiveAnEmptyOrder) {
  const auto frame =
      ipv4_frame(6, 128, true, 7, "0016 f0a1 00000000 00000002 50 14 0000 0000 0000");
  OsReply r;
  ASSERT_EQ(parse_os_reply(frame, r), ParseStatus::kOk);
  EXPECT_EQ(option_order(r.options), "");
  EXPECT_EQ(r.options.count, 0);
}

TEST(OsReply, AnOptionRunningPastTheHeaderIsFlaggedAndKeptUpToThere) {
  // MSS, then a "timestamp" claiming 10 bytes with only 2 left in the header.
  const auto frame = ipv4_frame(
      6, 64, true, 0, "0016 f0a1 00000000 00000002 70 12 1000 0000 0000 020405b4 080a0000");
  OsReply r;
  ASSERT_EQ(parse_os_reply(frame, r), ParseStatus::kOk);
  EXPECT_TRUE(r.options.malformed);
  EXPECT_EQ(option_order(r.options), "MSS");
  EXPECT_FALSE(r.options.has_timestamp);
}

TEST(OsReply, UnknownKindsAreNamedByNumber) {
  const auto frame =
      ipv4_frame(6, 64, true, 0, "0016 f0a1 00000000 00000002 60 12 1000 0000 0000 1e02 0101");
  OsReply r;
  ASSERT_EQ(parse_os_reply(frame, r), ParseStatus::kOk);
  EXPECT_EQ(option_order(r.options), "K30,NOP,NOP");
}

TEST(OsReply, DataOffsetBeyondTheSegmentIsMalformed) {
  const auto frame = ipv4_frame(6, 64, true, 0, "0016 f0a1 00000000 00000002 f0 12 1000 0000 0000");
  OsReply r;
  EXPECT_NE(parse_os_reply(frame, r), ParseStatus::kOk);
}

TEST(OsReply, EchoReplyKeepsItsCodeAndBodyLength) {
  const auto frame = ipv4_frame(1, 64, false, 0x0101, "00 09 0000 abcd 0003 00000000 00000000");
  OsReply r;
  ASSERT_EQ(parse_os_reply(frame, r), ParseStatus::kOk);
  EXPECT_EQ(r.parsed.kind, ReplyKind::kIcmpEchoReply);
  EXPECT_EQ(r.parsed.icmp_code, 9);
  EXPECT_EQ(r.parsed.icmp_id, 0xabcd);
  EXPECT_EQ(r.icmp_body_length, 8);
}

TEST(OsReply, PortUnreachableShowsHowMuchWasQuoted) {
  // Our 36-byte UDP probe (8 payload bytes) quoted whole.
  const auto frame = ipv4_frame(1, 64, false, 0,
                                "03 03 0000 00000000"
                                "45000024 0001 0000 40 11 0000 c613ff01 c6120001"
                                "f0a8 9c40 0010 0000 4343434343434343");
  OsReply r;
  ASSERT_EQ(parse_os_reply(frame, r), ParseStatus::kOk);
  EXPECT_EQ(r.parsed.kind, ReplyKind::kIcmpUnreachable);
  EXPECT_EQ(r.icmp_body_length, 36);
  EXPECT_EQ(r.quoted_ip_total_length, 36);
  EXPECT_TRUE(r.parsed.quoted.has_ports);
  EXPECT_EQ(r.parsed.quoted.sport, 0xf0a8);
}

TEST(OsReply, UdpAndGarbageAreNotUsed) {
  OsReply r;
  EXPECT_EQ(parse_os_reply(ipv4_frame(17, 64, false, 0, "0035 f0a1 0008 0000"), r),
            ParseStatus::kUnsupported);
  EXPECT_NE(parse_os_reply(hex("0000"), r), ParseStatus::kOk);
  const auto frame = ipv4_frame(6, 64, true, 0, kLinuxSynAck);
  ASSERT_GT(frame.size(), 10u);
  // Shorter than the IP length says. (A span, not vector::resize: GCC 12 at
  // -O1 with the sanitizers misreads the resize as a huge memset.)
  const std::span<const std::byte> cut(frame.data(), frame.size() - 10);
  EXPECT_NE(parse_os_reply(cut, r), ParseStatus::kOk);
}

}  // namespace
}  // namespace portolan
