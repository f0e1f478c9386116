// ReplyTable: first reply wins, overwrites rank, counts stay exact, and the
// memory is two bytes a probe.
#include "portolan/sweep/reply_table.h"

#include <atomic>
#include <thread>
#include <utility>

#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(ReplyTable, StartsEmpty) {
  auto table = ReplyTable::create(1000);
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->size(), 1000u);
  EXPECT_EQ(table->answered_count(), 0u);
  for (uint64_t i = 0; i < 1000; ++i) {
    ASSERT_FALSE(table->answered(i));
    ASSERT_EQ(table->ttl(i), 0);
  }
}

TEST(ReplyTable, FirstReplyWins) {
  auto table = ReplyTable::create(10).value();
  EXPECT_TRUE(table.record(3, 2, 64));
  EXPECT_FALSE(table.record(3, 5, 128));
  EXPECT_EQ(table.code(3), 2);
  EXPECT_EQ(table.ttl(3), 64);
  EXPECT_TRUE(table.answered(3));
  EXPECT_FALSE(table.answered(2));
  EXPECT_FALSE(table.answered(4));
  EXPECT_EQ(table.answered_count(), 1u);
}

TEST(ReplyTable, CodeZeroIsNotAReply) {
  auto table = ReplyTable::create(4).value();
  EXPECT_FALSE(table.record(0, 0, 64));
  table.overwrite(1, 0, 64);
  EXPECT_FALSE(table.answered(0));
  EXPECT_FALSE(table.answered(1));
  EXPECT_EQ(table.answered_count(), 0u);
  EXPECT_TRUE(table.record(2, 1, 0));  // TTL 0 is a legal TTL
  EXPECT_TRUE(table.answered(2));
}

TEST(ReplyTable, OverwriteReplacesAndCountsOnlyNewCells) {
  auto table = ReplyTable::create(4).value();
  table.overwrite(0, 7, 50);
  EXPECT_EQ(table.answered_count(), 1u);
  EXPECT_TRUE(table.record(1, 1, 60));
  table.overwrite(1, 9, 255);
  const ReplyEntry e = table.entry(1);
  EXPECT_EQ(e.code, 9);
  EXPECT_EQ(e.ttl, 255);
  EXPECT_EQ(table.answered_count(), 2u);
  EXPECT_FALSE(table.record(0, 1, 1));
}

TEST(ReplyTable, ASixteenAtAHundredPortsIsThirteenMegabytes) {
  auto table = ReplyTable::create(65536u * 100u);
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->memory_bytes(), 13107200u);
  EXPECT_TRUE(table->record(65536u * 100u - 1, 1, 1));
}

TEST(ReplyTable, AbsurdSizesFailWithAResourceError) {
  auto table = ReplyTable::create(ReplyTable::kMaxSize + 1);
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.error().kind(), ErrorKind::kResource);
  EXPECT_EQ(table.error().message(),
            "cannot allocate the reply table: 1099511627777 probes need 2097153 MiB; scan fewer "
            "hosts or ports at a time");
  auto huge = ReplyTable::create(~uint64_t{0});
  EXPECT_FALSE(huge.has_value());
}

TEST(ReplyTable, EmptyTableAndMoves) {
  auto empty = ReplyTable::create(0);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->memory_bytes(), 0u);
  auto a = ReplyTable::create(8).value();
  ASSERT_TRUE(a.record(5, 3, 33));
  ReplyTable b = std::move(a);
  EXPECT_EQ(b.code(5), 3);
  EXPECT_EQ(b.answered_count(), 1u);
  auto c = ReplyTable::create(2).value();
  c = std::move(b);
  EXPECT_EQ(c.size(), 8u);
  EXPECT_EQ(c.ttl(5), 33);
  EXPECT_EQ(c.answered_count(), 1u);
}

TEST(ReplyTable, ConcurrentReceiversAndReaderKeepExactCounts) {
  // Two writers race over every cell (as a reply and its duplicate might),
  // while a reader polls as the sender does; exactly one write per cell wins.
  constexpr uint64_t kSize = 200000;
  auto table = ReplyTable::create(kSize).value();
  std::atomic<uint64_t> wins{0};
  auto writer = [&](uint8_t code) {
    uint64_t mine = 0;
    for (uint64_t i = 0; i < kSize; ++i) mine += table.record(i, code, static_cast<uint8_t>(i));
    wins += mine;
  };
  std::atomic<bool> stop{false};
  std::atomic<bool> torn{false};
  std::thread reader([&] {
    while (!stop.load()) {
      for (uint64_t i = 0; i < kSize; i += 997) {
        // A cell is read whole: a code is never seen with another reply's TTL.
        const ReplyEntry e = table.entry(i);
        if (e.code != 0 && e.ttl != static_cast<uint8_t>(i)) torn = true;
      }
    }
  });
  std::thread w1(writer, uint8_t{1});
  std::thread w2(writer, uint8_t{2});
  w1.join();
  w2.join();
  stop = true;
  reader.join();
  EXPECT_FALSE(torn.load());
  EXPECT_EQ(wins.load(), kSize);
  EXPECT_EQ(table.answered_count(), kSize);
}

}  // namespace
}  // namespace portolan
