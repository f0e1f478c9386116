// Shard parsing, and cursors whose shards partition the permutation and
// resume exactly where they stopped.
#include "portolan/sweep/shard.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace portolan {
namespace {

std::vector<uint64_t> drain(SweepCursor& cursor) {
  std::vector<uint64_t> out;
  uint64_t e = 0;
  while (cursor.next(e)) out.push_back(e);
  return out;
}

TEST(Shard, ParsesOneBasedIndexOverCount) {
  auto s = parse_shard("1/4");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, (Shard{1, 4}));
  EXPECT_EQ(parse_shard("4/4").value(), (Shard{4, 4}));
  EXPECT_EQ(parse_shard("1/1").value(), Shard{});
  EXPECT_EQ(parse_shard("4294967295/4294967295").value(), (Shard{4294967295u, 4294967295u}));
  EXPECT_EQ(parse_shard("007/10").value(), (Shard{7, 10}));
  EXPECT_EQ((Shard{3, 8}).to_string(), "3/8");
}

TEST(Shard, RejectsWithAnActionableMessage) {
  const std::pair<const char*, const char*> cases[] = {
      {"0/4", "invalid --shard '0/4': I must be between 1 and N"},
      {"5/4", "invalid --shard '5/4': I must be between 1 and N"},
      {"1/0", "invalid --shard '1/0': N must be between 1 and 4294967295"},
      {"1/4294967296", "invalid --shard '1/4294967296': N must be between 1 and 4294967295"},
      {"1/99999999999999999999",
       "invalid --shard '1/99999999999999999999': expected I/N, e.g. 1/4"},
      {"2", "invalid --shard '2': expected I/N, e.g. 1/4"},
      {"", "invalid --shard '': expected I/N, e.g. 1/4"},
      {"/4", "invalid --shard '/4': expected I/N, e.g. 1/4"},
      {"1/", "invalid --shard '1/': expected I/N, e.g. 1/4"},
      {" 1/4", "invalid --shard ' 1/4': expected I/N, e.g. 1/4"},
      {"+1/4", "invalid --shard '+1/4': expected I/N, e.g. 1/4"},
      {"1/4/2", "invalid --shard '1/4/2': expected I/N, e.g. 1/4"},
      {"-1/4", "invalid --shard '-1/4': expected I/N, e.g. 1/4"},
      {"1/4\n", "invalid --shard '1/4\\x0a': expected I/N, e.g. 1/4"},
  };
  for (auto [text, message] : cases) {
    auto s = parse_shard(text);
    ASSERT_FALSE(s.has_value()) << text;
    EXPECT_EQ(s.error().message(), message);
  }
}

TEST(SweepCursor, ShardsPartitionThePermutation) {
  for (uint64_t n : {0u, 1u, 2u, 5u, 64u, 1000u, 4099u}) {
    const Permutation p(n, n + 11);
    for (uint32_t count = 1; count <= 7; ++count) {
      std::vector<int> hits(n);
      uint64_t total = 0;
      for (uint32_t index = 1; index <= count; ++index) {
        SweepCursor cursor(p, Shard{index, count});
        const auto mine = drain(cursor);
        EXPECT_EQ(mine.size(), cursor.total());
        EXPECT_EQ(cursor.done(), cursor.total());
        total += cursor.total();
        for (uint64_t e : mine) ++hits[e];
        // Positions index-1, index-1+count, ... in order.
        for (size_t k = 0; k < mine.size(); ++k) {
          ASSERT_EQ(mine[k], p.at(index - 1 + k * count));
        }
      }
      EXPECT_EQ(total, n);
      for (uint64_t e = 0; e < n; ++e) {
        ASSERT_EQ(hits[e], 1) << "n=" << n << " shards=" << count << " element " << e;
      }
    }
  }
}

TEST(SweepCursor, ResumingFromAnyPointYieldsExactlyTheRest) {
  const Permutation p(997, 3);
  for (uint32_t count : {1u, 3u, 7u}) {
    for (uint32_t index = 1; index <= count; ++index) {
      SweepCursor full(p, Shard{index, count});
      const auto all = drain(full);
      for (uint64_t done = 0; done <= all.size() + 2; ++done) {
        SweepCursor resumed(p, Shard{index, count}, done);
        EXPECT_EQ(resumed.done(), std::min<uint64_t>(done, all.size()));
        const auto rest = drain(resumed);
        const size_t skip = std::min<size_t>(done, all.size());
        ASSERT_EQ(rest,
                  std::vector<uint64_t>(all.begin() + static_cast<ptrdiff_t>(skip), all.end()))
            << index << "/" << count << " done=" << done;
      }
    }
  }
}

TEST(SweepCursor, DoneCountsWhatACheckpointStores) {
  const Permutation p(10, 1);
  SweepCursor cursor(p, Shard{2, 3});  // positions 1, 4, 7
  EXPECT_EQ(cursor.total(), 3u);
  uint64_t e = 0;
  ASSERT_TRUE(cursor.next(e));
  EXPECT_EQ(cursor.done(), 1u);
  SweepCursor again(p, Shard{2, 3}, cursor.done());
  ASSERT_TRUE(again.next(e));
  EXPECT_EQ(e, p.at(4));
  ASSERT_TRUE(again.next(e));
  EXPECT_FALSE(again.next(e));
  EXPECT_EQ(e, p.at(7));  // untouched by the failed call
}

TEST(SweepCursor, BatchesGiveTheSameSequenceAsNext) {
  const Permutation p(100003, 17);
  for (uint32_t count : {1u, 4u}) {
    SweepCursor one(p, Shard{count, count}, 5);
    const auto expected = drain(one);
    SweepCursor batched(p, Shard{count, count}, 5);
    std::vector<uint64_t> got;
    std::vector<uint64_t> buffer(97);  // not a multiple of the lane count
    while (size_t k = batched.next_batch(buffer))
      got.insert(got.end(), buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(k));
    EXPECT_EQ(got, expected);
    EXPECT_EQ(batched.done(), batched.total());
    EXPECT_EQ(batched.next_batch(buffer), 0u);
  }
}

TEST(SweepCursor, OwnsExactlyTheElementsItYields) {
  const Permutation p(5000, 8);
  for (uint32_t index = 1; index <= 3; ++index) {
    SweepCursor cursor(p, Shard{index, 3}, 100);  // progress does not change ownership
    std::vector<bool> mine(5000);
    SweepCursor walk(p, Shard{index, 3});
    for (uint64_t e : drain(walk)) mine[e] = true;
    for (uint64_t e = 0; e < 5000; ++e) ASSERT_EQ(cursor.owns(e), mine[e]) << e;
  }
}

TEST(SweepCursor, MoreShardsThanElements) {
  const Permutation p(3, 1);
  SweepCursor last(p, Shard{5, 5});
  uint64_t e = 0;
  EXPECT_EQ(last.total(), 0u);
  EXPECT_FALSE(last.next(e));
  SweepCursor third(p, Shard{3, 5});
  EXPECT_EQ(third.total(), 1u);
}

}  // namespace
}  // namespace portolan
