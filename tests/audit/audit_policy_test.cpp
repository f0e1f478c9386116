#include "portolan/audit/audit_policy.h"

#include <gtest/gtest.h>

namespace portolan::audit {
namespace {

TEST(AuditPolicy, ParsesEveryKey) {
  auto p = AuditPolicy::parse(
      "allow-exposed: [mysql, 5432/tcp]\n"
      "nondefault-port: [ssh]\n"
      "min-rsa-bits: 3072\n"
      "min-ec-bits: 256\n"
      "ignore: [tls-cert-self-signed, 'known-vulnerabilities:CVE-2023-48795']\n",
      "policy.yaml");
  ASSERT_TRUE(p) << p.error().message();
  EXPECT_TRUE(p->exposure_allowed("mysql", 3306, Protocol::kTcp));
  EXPECT_TRUE(p->exposure_allowed("", 5432, Protocol::kTcp));
  EXPECT_FALSE(p->exposure_allowed("", 5432, Protocol::kUdp));
  EXPECT_FALSE(p->exposure_allowed("redis", 6379, Protocol::kTcp));
  EXPECT_EQ(p->nondefault_port, std::vector<std::string>{"ssh"});
  EXPECT_EQ(p->min_rsa_bits, 3072);
  EXPECT_EQ(p->min_ec_bits, 256);
  Finding f;
  f.id = "known-vulnerabilities:CVE-2023-48795";
  f.check = "known-vulnerabilities";
  EXPECT_TRUE(p->ignored(f));
  f.id = "known-vulnerabilities:CVE-2024-6387";
  EXPECT_FALSE(p->ignored(f));
  f.id = f.check = "tls-cert-self-signed";
  EXPECT_TRUE(p->ignored(f));
}

TEST(AuditPolicy, EmptyIsTheDefault) {
  auto p = AuditPolicy::parse("", "empty.yaml");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->min_rsa_bits, 2048);
  EXPECT_TRUE(p->allow_exposed.empty());
}

TEST(AuditPolicy, MistakesAreOneLineNamingFileAndLine) {
  struct Case {
    const char* yaml;
    const char* expect;
  };
  const Case cases[] = {
      {"allow-exposd: [mysql]\n", "p.yaml: line 1: allow-exposd: unknown key"},
      {"min-rsa-bits: lots\n", "p.yaml: line 1: min-rsa-bits: expected a number of bits"},
      {"\nallow-exposed: mysql\n", "p.yaml: line 2: allow-exposed: expected a list"},
      {"ignore: [no-such-check]\n", "unknown check 'no-such-check'"},
      {"- a\n- b\n", "p.yaml: expected a mapping"},
      {"allow-exposed: [a\n", "p.yaml: line"},
      {"allow-exposed: [[a]]\n", "expected a list of strings"},
  };
  for (const auto& c : cases) {
    auto p = AuditPolicy::parse(c.yaml, "p.yaml");
    ASSERT_FALSE(p) << c.yaml;
    EXPECT_NE(p.error().message().find(c.expect), std::string::npos) << p.error().message();
    EXPECT_EQ(p.error().message().find('\n'), std::string::npos);
  }
  auto missing = AuditPolicy::load("/nonexistent/policy.yaml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), "cannot read audit policy '/nonexistent/policy.yaml'");
}

}  // namespace
}  // namespace portolan::audit
