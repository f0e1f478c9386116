// FTP reply parsing on vsftpd's answers (captures/ftp/) and on truncated and
// garbage bytes.
#include "portolan/audit/ftp_reply.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("ftp/" + name);
}

TEST(FtpReply, ParsesSingleLineReplies) {
  const auto r = parse_ftp_reply(capture("vsftpd-anon.2"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, 230);
  EXPECT_EQ(r->last_line(), "230 Login successful.");
  EXPECT_EQ(parse_ftp_reply(capture("vsftpd-twin.2"))->code, 530);
  EXPECT_EQ(parse_ftp_reply(capture("vsftpd-anon.greeting"))->code, 220);
}

TEST(FtpReply, ReadsFeatAndFindsAuthTls) {
  const auto twin = parse_ftp_reply(capture("vsftpd-twin-feat.1"));
  ASSERT_TRUE(twin);
  EXPECT_EQ(twin->code, 211);
  const auto features = ftp_features(*twin);
  ASSERT_EQ(features.size(), 10u);
  EXPECT_EQ(features[0], "AUTH TLS");
  EXPECT_TRUE(ftp_offers_tls(features));

  const auto anon = parse_ftp_reply(capture("vsftpd-anon-feat.1"));
  ASSERT_TRUE(anon);
  EXPECT_FALSE(ftp_offers_tls(ftp_features(*anon)));
  EXPECT_TRUE(ftp_offers_tls({"AUTH SSL"}));
  EXPECT_TRUE(ftp_offers_tls({"AUTH TLS-C;TLS-P"}));
  EXPECT_FALSE(ftp_offers_tls({"AUTHX TLS", "PBSZ"}));
}

TEST(FtpReply, ReportsConsumedBytesOfTheFirstReply) {
  size_t used = 0;
  const auto r = parse_ftp_reply("331 Password.\r\n230 OK\r\n", &used);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, 331);
  EXPECT_EQ(used, 15u);
}

TEST(FtpReply, TruncatedRepliesAreIncomplete) {
  const std::string feat = capture("vsftpd-twin-feat.1");
  for (size_t n = 0; n < feat.size(); ++n) {
    EXPECT_FALSE(parse_ftp_reply(feat.substr(0, n))) << n;
    EXPECT_FALSE(ftp_reply_complete(feat.substr(0, n))) << n;
  }
  EXPECT_TRUE(ftp_reply_complete(feat));
}

TEST(FtpReply, GarbageIsAnErrorAndEndsReading) {
  EXPECT_FALSE(parse_ftp_reply("SSH-2.0-OpenSSH_9.2\r\n"));
  EXPECT_TRUE(ftp_reply_complete("SSH-2.0-OpenSSH_9.2\r\n"));
  EXPECT_FALSE(parse_ftp_reply("999 no\r\n"));
  EXPECT_FALSE(parse_ftp_reply("22\r\n"));
  EXPECT_FALSE(parse_ftp_reply(std::string("2\0\0 x\r\n", 7)));
  // A multi-line reply whose end never comes.
  EXPECT_FALSE(parse_ftp_reply("211-Features:\r\n EPSV\r\n212 End\r\n"));
}

}  // namespace
}  // namespace portolan::audit
