// Mail capability parsing on exim 4.96 and dovecot 2.3.19 answers
// (captures/smtp, pop3, imap) and on truncated and garbage bytes.
#include "portolan/audit/mail_capabilities.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

// The EHLO answer inside an exim -bh transcript: from the 250- line on.
std::string ehlo_of(const std::string& transcript) {
  const size_t start = transcript.find("250-");
  const size_t end = transcript.find("\n221 ");
  return transcript.substr(start, end - start + 1);
}

TEST(MailCapabilities, SmtpEhlo) {
  const auto tls = parse_smtp_ehlo(ehlo_of(load_capture("smtp/exim-starttls.transcript")));
  ASSERT_TRUE(tls);
  EXPECT_TRUE(tls->starttls);
  EXPECT_EQ(tls->capabilities.front(), "SIZE 52428800");
  const auto plain = parse_smtp_ehlo(ehlo_of(load_capture("smtp/exim-no-tls.transcript")));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->starttls);
  EXPECT_FALSE(parse_smtp_ehlo("502 5.5.1 EHLO not supported\r\n"));
  EXPECT_FALSE(parse_smtp_ehlo("250-x\r\n250-STARTTLS\r\n"));  // not ended
}

TEST(MailCapabilities, Pop3Capa) {
  const std::string stls = load_capture("pop3/dovecot-stls.1");
  EXPECT_TRUE(pop3_capa_complete(stls));
  const auto a = parse_pop3_capa(stls);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->starttls);
  const auto b = parse_pop3_capa(load_capture("pop3/dovecot-no-tls.1"));
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->starttls);
  EXPECT_EQ(b->capabilities.size(), 8u);
  EXPECT_FALSE(parse_pop3_capa("-ERR unknown command\r\n"));
  EXPECT_TRUE(pop3_capa_complete("-ERR unknown command\r\n"));
  for (size_t n = 0; n + 3 < stls.size(); ++n)
    EXPECT_FALSE(parse_pop3_capa(stls.substr(0, n))) << n;
}

TEST(MailCapabilities, ImapCapability) {
  const std::string starttls = load_capture("imap/dovecot-starttls.1");
  EXPECT_TRUE(imap_tagged_complete(starttls, "a1"));
  EXPECT_FALSE(imap_tagged_complete(starttls.substr(0, starttls.size() - 3), "a1"));
  const auto a = parse_imap_capability(starttls);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->starttls);
  const auto b = parse_imap_capability(load_capture("imap/dovecot-no-tls.1"));
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->starttls);
  const auto greeting = parse_imap_capability(load_capture("imap/dovecot-starttls.greeting"));
  ASSERT_TRUE(greeting);
  EXPECT_TRUE(greeting->starttls);
  EXPECT_FALSE(parse_imap_capability("a1 BAD what\r\n"));
  EXPECT_FALSE(parse_imap_capability("* OK [CAPABILITY IMAP4rev1 STARTTLS"));  // code never closes
}

}  // namespace
}  // namespace portolan::audit
