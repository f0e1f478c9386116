// rsync daemon handshake parsers on bytes captured from Debian's rsync.
#include "portolan/audit/rsync_daemon.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("rsync/" + name);
}

TEST(RsyncDaemon, ParsesTheGreeting) {
  auto g = parse_rsync_greeting(capture("list_open.bin"));
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->version, "32.0");
  EXPECT_EQ(g->line, "@RSYNCD: 32.0 sha512 sha256 sha1 md5 md4");
  EXPECT_FALSE(parse_rsync_greeting("SSH-2.0-OpenSSH_9.2\r\n"));
  EXPECT_FALSE(parse_rsync_greeting("@RSYNCD: 32.0"));  // no end of line yet
  EXPECT_FALSE(parse_rsync_greeting("@RSYNCD: x1\n"));
}

TEST(RsyncDaemon, ListsModules) {
  auto open = parse_rsync_module_list(capture("list_open.bin"));
  ASSERT_TRUE(open) << open.error().message();
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].name, "public");
  EXPECT_EQ((*open)[0].comment, "Public files");
  EXPECT_EQ((*open)[1].name, "backup");
  auto closed = parse_rsync_module_list(capture("list_closed.bin"));
  ASSERT_TRUE(closed);
  ASSERT_EQ(closed->size(), 1u);
  EXPECT_EQ((*closed)[0].name, "backup");
}

TEST(RsyncDaemon, SkipsTheMessageOfTheDayAndBoundsTheList) {
  auto m = parse_rsync_module_list(
      "@RSYNCD: 32.0\nWelcome to the mirror\n\nmirror         \tDebian\n@RSYNCD: EXIT\n");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].name, "mirror");
  std::string many = "@RSYNCD: 32.0\n";
  for (int i = 0; i < 5; ++i) many += "m\tx\n";
  many += "@RSYNCD: EXIT\n";
  EXPECT_FALSE(parse_rsync_module_list(many, 4));
  EXPECT_TRUE(parse_rsync_module_list(many, 5));
}

TEST(RsyncDaemon, ReadsModuleAnswers) {
  auto pub = parse_rsync_module_answer(capture("module_public.bin"));
  ASSERT_TRUE(pub);
  EXPECT_EQ(*pub, RsyncModuleAccess::kOpen);
  auto backup = parse_rsync_module_answer(capture("module_backup.bin"));
  ASSERT_TRUE(backup);
  EXPECT_EQ(*backup, RsyncModuleAccess::kAuthRequired);
  auto unknown = parse_rsync_module_answer(capture("module_unknown.bin"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("Unknown module"), std::string::npos);
}

TEST(RsyncDaemon, EveryCutShortCaptureIsAnError) {
  for (const char* name : {"list_open.bin", "list_closed.bin"}) {
    const std::string bytes = capture(name);
    for (size_t n = 0; n < bytes.size(); ++n)
      EXPECT_FALSE(parse_rsync_module_list(bytes.substr(0, n))) << name << n;
  }
  for (const char* name : {"module_public.bin", "module_backup.bin"}) {
    const std::string bytes = capture(name);
    for (size_t n = 0; n < bytes.size(); ++n)
      EXPECT_FALSE(parse_rsync_module_answer(bytes.substr(0, n))) << name << n;
  }
}

TEST(RsyncDaemon, SendsOnlyPlainModuleNames) {
  EXPECT_TRUE(rsync_module_name_sendable("public"));
  EXPECT_TRUE(rsync_module_name_sendable("my files"));
  EXPECT_FALSE(rsync_module_name_sendable(""));
  EXPECT_FALSE(rsync_module_name_sendable("#list"));
  EXPECT_FALSE(rsync_module_name_sendable("a\nb"));
  EXPECT_FALSE(rsync_module_name_sendable(std::string(256, 'a')));
}

}  // namespace
}  // namespace portolan::audit
