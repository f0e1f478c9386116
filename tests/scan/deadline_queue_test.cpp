#include "portolan/scan/deadline_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace portolan {
namespace {

TEST(DeadlineQueueTest, PopsInDeadlineOrder) {
  DeadlineQueue q(8);
  q.push(3, Micros(30));
  q.push(1, Micros(10));
  q.push(7, Micros(70));
  q.push(5, Micros(20));
  EXPECT_EQ(q.size(), 4u);
  EXPECT_EQ(q.top_deadline(), Micros(10));
  EXPECT_EQ(q.pop(), 1u);
  EXPECT_EQ(q.pop(), 5u);
  EXPECT_EQ(q.pop(), 3u);
  EXPECT_EQ(q.pop(), 7u);
  EXPECT_TRUE(q.empty());
}

TEST(DeadlineQueueTest, EraseAnywhere) {
  DeadlineQueue q(8);
  for (uint32_t i = 0; i < 8; ++i) q.push(i, Micros(100 - i));
  EXPECT_TRUE(q.erase(7));  // the earliest
  EXPECT_TRUE(q.erase(0));  // the latest
  EXPECT_TRUE(q.erase(4));
  EXPECT_FALSE(q.erase(4));
  EXPECT_FALSE(q.contains(4));
  EXPECT_TRUE(q.contains(5));
  std::vector<uint32_t> order;
  while (!q.empty()) order.push_back(q.pop());
  EXPECT_EQ(order, (std::vector<uint32_t>{6, 5, 3, 2, 1}));
}

TEST(DeadlineQueueTest, IdsCanBeReusedAfterRemoval) {
  DeadlineQueue q(2);
  q.push(0, Micros(5));
  EXPECT_EQ(q.pop(), 0u);
  q.push(0, Micros(1));
  q.push(1, Micros(2));
  EXPECT_EQ(q.top_id(), 0u);
}

TEST(DeadlineQueueTest, CollectIds) {
  DeadlineQueue q(6);
  q.push(2, Micros(1));
  q.push(4, Micros(2));
  std::vector<uint32_t> ids;
  q.collect_ids(ids);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<uint32_t>{2, 4}));
}

TEST(DeadlineQueueTest, MatchesReferenceUnderRandomOperations) {
  constexpr uint32_t kIds = 64;
  DeadlineQueue q(kIds);
  std::map<uint32_t, int64_t> ref;  // id -> deadline
  std::mt19937 rng(12345);
  for (int step = 0; step < 20000; ++step) {
    uint32_t id = rng() % kIds;
    switch (rng() % 3) {
      case 0:
        if (!ref.count(id)) {
          int64_t d = rng() % 1000;
          q.push(id, Micros(d));
          ref[id] = d;
        }
        break;
      case 1:
        EXPECT_EQ(q.erase(id), ref.erase(id) == 1);
        break;
      case 2:
        if (!ref.empty()) {
          int64_t min = std::min_element(ref.begin(), ref.end(), [](auto& a, auto& b) {
                          return a.second < b.second;
                        })->second;
          ASSERT_EQ(q.top_deadline(), Micros(min));
          uint32_t top = q.pop();
          ASSERT_EQ(ref[top], min);
          ref.erase(top);
        }
        break;
    }
    ASSERT_EQ(q.size(), ref.size());
  }
}

}  // namespace
}  // namespace portolan
