#include "portolan/scan/reply_reason.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(ReplyReason, IcmpCodesFollowNmap) {
  EXPECT_EQ(icmp4_unreachable_reason(3), Reason::kPortUnreach);
  EXPECT_EQ(icmp4_unreachable_reason(13), Reason::kAdminProhibited);
  EXPECT_EQ(icmp4_unreachable_reason(1), Reason::kHostUnreach);
  EXPECT_FALSE(icmp4_unreachable_reason(4));  // fragmentation needed: not an answer
  EXPECT_EQ(icmp6_unreachable_reason(4), Reason::kPortUnreach);
  EXPECT_EQ(icmp6_unreachable_reason(1), Reason::kAdminProhibited);
  EXPECT_FALSE(icmp6_unreachable_reason(2));
}

TEST(ReplyReason, SynScanStates) {
  EXPECT_EQ(port_state_for(ProbeKind::kTcpSyn, Reason::kSynAck), PortState::kOpen);
  EXPECT_EQ(port_state_for(ProbeKind::kTcpSyn, Reason::kReset), PortState::kClosed);
  EXPECT_EQ(port_state_for(ProbeKind::kTcpSyn, Reason::kNoResponse), PortState::kFiltered);
  EXPECT_EQ(port_state_for(ProbeKind::kTcpSyn, Reason::kAdminProhibited), PortState::kFiltered);
}

TEST(ReplyReason, UdpScanStates) {
  EXPECT_EQ(port_state_for(ProbeKind::kUdp, Reason::kUdpResponse), PortState::kOpen);
  EXPECT_EQ(port_state_for(ProbeKind::kUdp, Reason::kPortUnreach), PortState::kClosed);
  EXPECT_EQ(port_state_for(ProbeKind::kUdp, Reason::kNoResponse), PortState::kOpenFiltered);
  EXPECT_EQ(port_state_for(ProbeKind::kUdp, Reason::kHostProhibited), PortState::kFiltered);
}

TEST(ReplyReason, CodesRoundTrip) {
  for (Reason r :
       {Reason::kSynAck, Reason::kReset, Reason::kTimestampReply, Reason::kPortUnreach}) {
    EXPECT_NE(reply_code(r), 0);
    EXPECT_EQ(reason_of_code(reply_code(r)), r);
  }
  EXPECT_EQ(reason_of_code(0), Reason::kNoResponse);
}

TEST(ReplyReason, WhatMeansUp) {
  EXPECT_TRUE(reason_means_up(Reason::kEchoReply, true));
  EXPECT_TRUE(reason_means_up(Reason::kReset, true));
  EXPECT_TRUE(reason_means_up(Reason::kPortUnreach, true));
  EXPECT_FALSE(reason_means_up(Reason::kPortUnreach, false));
  EXPECT_FALSE(reason_means_up(Reason::kHostUnreach, true));
}

}  // namespace
}  // namespace portolan
