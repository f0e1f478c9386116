// HopTable: rounds, retransmission of silent TTLs only, the end of the path,
// and hops with round-trip times, with times passed in (no clock).
#include "portolan/trace/hop_table.h"

#include <gtest/gtest.h>

#include <vector>

namespace portolan {
namespace {

IpAddress addr(const char* text) {
  return *IpAddress::parse(text);
}

std::vector<int> range(int from, int to) {
  std::vector<int> v;
  for (int i = from; i <= to; ++i) v.push_back(i);
  return v;
}

TEST(HopTable, FirstRoundSendsTheGuessThenOnlySilentTtlsBeforeTheEnd) {
  HopTable t(30, 5);
  EXPECT_EQ(t.next_round(), range(1, 5));
  for (int ttl = 1; ttl <= 5; ++ttl) t.sent(ttl, 1000);
  EXPECT_TRUE(t.record(1, addr("198.19.1.2"), false, 2000));
  EXPECT_TRUE(t.record(2, addr("198.19.2.2"), false, 3000));
  EXPECT_TRUE(t.record(4, addr("198.19.3.2"), true, 4000));
  EXPECT_TRUE(t.record(5, addr("198.19.3.2"), true, 4500));  // beyond the end: not a hop
  EXPECT_TRUE(t.reached_end());
  EXPECT_FALSE(t.complete());  // TTL 3 is silent
  EXPECT_TRUE(t.awaiting_replies());
  EXPECT_EQ(t.next_round(), std::vector<int>{3});
  t.sent(3, 10000);
  EXPECT_EQ(t.next_round(), std::vector<int>{});  // sent twice: given up
  const auto hops = t.hops();
  ASSERT_EQ(hops.size(), 3u);
  EXPECT_EQ(hops[0].ttl, 1);
  EXPECT_EQ(hops[0].address, addr("198.19.1.2"));
  EXPECT_DOUBLE_EQ(hops[0].rtt_ms, 0.001);
  EXPECT_EQ(hops[1].ttl, 2);
  EXPECT_EQ(hops[2].ttl, 4);
  EXPECT_EQ(hops[2].address, addr("198.19.3.2"));
  EXPECT_TRUE(hops[2].host.empty());
}

TEST(HopTable, ARetransmittedTtlThatAnswersCompletesThePath) {
  HopTable t(30, 3);
  EXPECT_EQ(t.next_round(), range(1, 3));
  t.record(1, addr("10.0.0.1"), false, 5);
  t.record(3, addr("10.0.0.3"), true, 5);
  EXPECT_EQ(t.next_round(), std::vector<int>{2});
  t.sent(2, 1'000'000);
  t.record(2, addr("10.0.0.2"), false, 3'500'000);
  EXPECT_TRUE(t.complete());
  EXPECT_FALSE(t.awaiting_replies());
  EXPECT_TRUE(t.next_round().empty());
  const auto hops = t.hops();
  ASSERT_EQ(hops.size(), 3u);
  EXPECT_DOUBLE_EQ(hops[1].rtt_ms, 2.5);  // from the latest sending
}

TEST(HopTable, WithoutAnEndTheRestIsSentThenEverythingSilentOnceMore) {
  HopTable t(10, 3);
  EXPECT_EQ(t.next_round(), range(1, 3));
  t.record(1, addr("10.0.0.1"), false, 0);
  EXPECT_TRUE(t.awaiting_replies());
  std::vector<int> want = {2, 3};
  for (int ttl = 4; ttl <= 10; ++ttl) want.push_back(ttl);
  EXPECT_EQ(t.next_round(), want);
  EXPECT_EQ(t.next_round(), range(4, 10));
  EXPECT_TRUE(t.next_round().empty());  // bounded: three rounds
  EXPECT_FALSE(t.reached_end());
  ASSERT_EQ(t.hops().size(), 1u);
}

TEST(HopTable, IgnoresUnsentAndRepeatedRepliesAndKeepsTheNearestEnd) {
  HopTable t(30, 4);
  EXPECT_FALSE(t.record(2, addr("10.0.0.2"), false, 0));  // nothing sent yet
  t.next_round();
  EXPECT_FALSE(t.record(9, addr("10.0.0.9"), false, 0));   // beyond what was sent
  EXPECT_FALSE(t.record(0, addr("10.0.0.9"), false, 0));   // out of range
  EXPECT_FALSE(t.record(31, addr("10.0.0.9"), false, 0));  // out of range
  EXPECT_TRUE(t.record(4, addr("10.0.0.4"), true, 0));
  EXPECT_TRUE(t.record(3, addr("10.0.0.4"), true, 0));    // the target one hop nearer
  EXPECT_FALSE(t.record(3, addr("10.9.9.9"), false, 0));  // a TTL's first reply counts
  t.record(1, addr("10.0.0.1"), false, 0);
  t.record(2, addr("10.0.0.2"), false, 0);
  EXPECT_TRUE(t.complete());
  const auto hops = t.hops();
  ASSERT_EQ(hops.size(), 3u);
  EXPECT_EQ(hops[2].ttl, 3);
  EXPECT_EQ(hops[2].address, addr("10.0.0.4"));
}

TEST(HopTable, EveryTtlAnsweredWithoutTheEndMovesOnAtOnce) {
  HopTable t(4, 2);
  EXPECT_EQ(t.next_round(), range(1, 2));
  t.record(1, addr("10.0.0.1"), false, 0);
  t.record(2, addr("10.0.0.2"), false, 0);
  EXPECT_FALSE(t.awaiting_replies());  // nothing more to learn from this round
  EXPECT_EQ(t.next_round(), range(3, 4));
  EXPECT_TRUE(t.awaiting_replies());
}

TEST(HopTable, ClampsItsLimits) {
  HopTable t(500, 0);
  EXPECT_EQ(t.next_round(), std::vector<int>{1});
  EXPECT_EQ(t.next_round().back(), 64);
}

}  // namespace
}  // namespace portolan
