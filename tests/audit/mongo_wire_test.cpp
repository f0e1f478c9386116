// OP_MSG building and parsing: golden bytes for the request, the synthetic
// replies in captures/mongodb/ (written from the wire protocol docs; MongoDB
// is not in Debian), and truncated and garbage messages.
#include "portolan/audit/mongo_wire.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("mongodb/" + name);
}

TEST(MongoWire, BuildsListDatabasesGolden) {
  const std::string msg = build_list_databases(1);
  const std::string expected =
      std::string("\x47\0\0\0\x01\0\0\0\0\0\0\0\xdd\x07\0\0\0\0\0\0\0", 21) +
      std::string(
          "\x32\0\0\0\x10listDatabases\0\x01\0\0\0\x08nameOnly\0\x01\x02$db\0\x06\0\0\0admin\0\0",
          50);
  EXPECT_EQ(msg, expected);
  // Our own request parses back.
  const auto body = parse_op_msg_body(msg);
  ASSERT_TRUE(body);
  ASSERT_EQ(body->size(), 3u);
  EXPECT_EQ((*body)[2].text, "admin");
}

TEST(MongoWire, ReadsOpenAndUnauthorizedReplies) {
  const std::string open = capture("listdatabases-open.bin");
  EXPECT_TRUE(mongo_message_complete(open));
  const auto r = parse_mongo_command_reply(open);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->databases, (std::vector<std::string>{"admin", "config", "local", "shop"}));

  const auto denied = parse_mongo_command_reply(capture("listdatabases-unauthorized.bin"));
  ASSERT_TRUE(denied);
  EXPECT_FALSE(denied->ok);
  EXPECT_EQ(denied->code, 13);
  EXPECT_EQ(denied->code_name, "Unauthorized");
  EXPECT_TRUE(denied->databases.empty());
}

TEST(MongoWire, TruncatedAndCorruptMessagesAreErrors) {
  const std::string open = capture("listdatabases-open.bin");
  for (size_t n = 0; n < open.size(); ++n) {
    EXPECT_FALSE(parse_mongo_command_reply(open.substr(0, n))) << n;
    if (n >= 4) {
      EXPECT_FALSE(mongo_message_complete(open.substr(0, n))) << n;
    }
  }
  // Every single-byte corruption is handled without a crash.
  for (size_t i = 0; i < open.size(); ++i) {
    std::string bad = open;
    bad[i] = static_cast<char>(bad[i] ^ 0xff);
    (void)parse_mongo_command_reply(bad);
  }
  std::string wrong_op = open;
  wrong_op[12] = 1;  // OP_REPLY
  EXPECT_FALSE(parse_mongo_command_reply(wrong_op));
  EXPECT_TRUE(mongo_message_complete(std::string("\xff\xff\xff\x7f", 4)));  // never a message
}

TEST(MongoWire, LimitsNesting) {
  // 40 nested documents {a: {a: ...}}.
  std::string doc = std::string("\x05\0\0\0\0", 5);
  for (int i = 0; i < 40; ++i) {
    std::string outer = "\x03";
    outer += std::string("a\0", 2) + doc;
    const uint32_t len = static_cast<uint32_t>(outer.size() + 5);
    std::string wrapped(reinterpret_cast<const char*>(&len), 4);
    doc = wrapped + outer + std::string(1, '\0');
  }
  const auto body = parse_op_msg_body(build_op_msg(1, doc));
  EXPECT_FALSE(body);
}

}  // namespace
}  // namespace portolan::audit
