#include "portolan/service/starttls.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(StartTls, ScriptsForMailProtocolsOnly) {
  ASSERT_NE(starttls_script("smtp"), nullptr);
  EXPECT_EQ(starttls_script("smtp")->steps.size(), 3u);
  EXPECT_EQ(starttls_script("pop3")->steps[0].send, "STLS\r\n");
  EXPECT_EQ(starttls_script("imap")->steps[0].send, "a1 STARTTLS\r\n");
  EXPECT_EQ(starttls_script("http"), nullptr);
}

TEST(StartTls, SmtpRepliesWithContinuationLines) {
  // Exim 4.96's answer to EHLO, in two reads.
  EXPECT_EQ(starttls_reply("250-mail.lab Hello x\r\n250-SIZE 52428800\r\n", "250 "),
            StartTlsReply::kIncomplete);
  EXPECT_EQ(starttls_reply("250-mail.lab Hello x\r\n250-STARTTLS\r\n250 HELP\r\n", "250 "),
            StartTlsReply::kYes);
  EXPECT_EQ(starttls_reply("220-first\r\n220 mail ESMTP Exim 4.96\r\n", "220 "),
            StartTlsReply::kYes);
  EXPECT_EQ(starttls_reply("454 TLS currently unavailable\r\n", "220"), StartTlsReply::kNo);
  EXPECT_EQ(starttls_reply("220 ready", "220"), StartTlsReply::kIncomplete);  // no line end yet
}

TEST(StartTls, ImapTaggedAnswerAfterUntaggedData) {
  EXPECT_EQ(starttls_reply("* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n", "* OK"),
            StartTlsReply::kYes);
  EXPECT_EQ(
      starttls_reply("* CAPABILITY IMAP4rev1\r\na1 OK Begin TLS negotiation now.\r\n", "a1 OK"),
      StartTlsReply::kYes);
  EXPECT_EQ(starttls_reply("a1 BAD Unknown command\r\n", "a1 OK"), StartTlsReply::kNo);
}

TEST(StartTls, Pop3) {
  EXPECT_EQ(starttls_reply("+OK Dovecot ready.\r\n", "+OK"), StartTlsReply::kYes);
  EXPECT_EQ(starttls_reply("-ERR Unknown command\n", "+OK"), StartTlsReply::kNo);
  EXPECT_EQ(starttls_reply("", "+OK"), StartTlsReply::kIncomplete);
}

}  // namespace
}  // namespace portolan
