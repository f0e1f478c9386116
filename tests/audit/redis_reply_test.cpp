// RESP parsing on redis-server 7.0 answers (captures/redis/) and on
// truncated, nested and garbage bytes.
#include "portolan/audit/redis_reply.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("redis/" + name);
}

TEST(RedisReply, ParsesInfoBulkReply) {
  const std::string raw = capture("redis-open.1");
  EXPECT_TRUE(redis_reply_complete(raw));
  size_t used = 0;
  const auto r = parse_redis_reply(raw, &used);
  ASSERT_TRUE(r);
  EXPECT_EQ(used, raw.size());
  EXPECT_EQ(r->type, RedisReply::Type::kBulk);
  EXPECT_EQ(redis_info_field(r->text, "redis_version").value_or(""), "7.0.15");
  EXPECT_EQ(redis_info_field(r->text, "redis_mode").value_or(""), "standalone");
  EXPECT_FALSE(redis_info_field(r->text, "redis"));
}

TEST(RedisReply, ParsesErrors) {
  const auto noauth = parse_redis_reply(capture("redis-requirepass.1"));
  ASSERT_TRUE(noauth);
  EXPECT_EQ(noauth->type, RedisReply::Type::kError);
  EXPECT_EQ(noauth->text.rfind("NOAUTH", 0), 0u);
  const auto denied = parse_redis_reply(capture("redis-protected-mode.1"));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->text.rfind("DENIED", 0), 0u);
}

TEST(RedisReply, ParsesArraysIntegersAndNulls) {
  const auto r = parse_redis_reply("*3\r\n:42\r\n$-1\r\n*1\r\n+OK\r\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->elements.size(), 3u);
  EXPECT_EQ(r->elements[0].integer, 42);
  EXPECT_EQ(r->elements[1].type, RedisReply::Type::kNull);
  EXPECT_EQ(r->elements[2].elements[0].text, "OK");
}

TEST(RedisReply, TruncatedIsIncompleteGarbageIsNot) {
  const std::string raw = capture("redis-open.1");
  for (size_t n = 0; n < raw.size(); n += 7)
    EXPECT_FALSE(redis_reply_complete(raw.substr(0, n))) << n;
  EXPECT_FALSE(parse_redis_reply("$5\r\nab"));
  EXPECT_TRUE(redis_reply_complete("HTTP/1.1 400\r\n"));
  EXPECT_FALSE(parse_redis_reply("$abc\r\n"));
  EXPECT_FALSE(parse_redis_reply("$3\r\nabcd\r\n"));
  EXPECT_FALSE(parse_redis_reply("$99999999999999\r\n"));
  EXPECT_FALSE(parse_redis_reply("*99999999\r\n"));
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "*1\r\n";
  deep += ":1\r\n";
  const auto r = parse_redis_reply(deep);
  ASSERT_FALSE(r);
  EXPECT_TRUE(redis_reply_complete(deep));
}

}  // namespace
}  // namespace portolan::audit
