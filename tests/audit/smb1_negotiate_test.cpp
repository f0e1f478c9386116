// SMB1 NEGOTIATE on answers captured from Samba 4.17 (captures/smb/): one
// with "server min protocol = NT1", one with Debian's default.
#include "portolan/audit/smb1_negotiate.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("smb/" + name);
}

TEST(Smb1Negotiate, BuildsTheRequestByteForByte) {
  EXPECT_EQ(build_smb1_negotiate_request(), capture("request_negotiate_nt_lm_012.bin"));
  const std::string session = build_netbios_session_request();
  ASSERT_EQ(session.size(), 4u + 68u);
  EXPECT_EQ(session.substr(0, 4), std::string("\x81\x00\x00\x44", 4));
  EXPECT_EQ(session.substr(5, 4), "CKFD");  // '*' 'S'
}

TEST(Smb1Negotiate, ReadsSambaAnswers) {
  auto nt1 = parse_smb_negotiate_response(capture("samba_nt1_negotiate.bin"));
  ASSERT_TRUE(nt1) << nt1.error().message();
  EXPECT_FALSE(nt1->smb2);
  EXPECT_EQ(nt1->status, 0u);
  EXPECT_EQ(nt1->word_count, 17);
  EXPECT_EQ(nt1->dialect_index, 0);
  EXPECT_TRUE(nt1->smb1_accepted());

  auto def = parse_smb_negotiate_response(capture("samba_default_negotiate.bin"));
  ASSERT_TRUE(def);
  EXPECT_EQ(def->dialect_index, 0xffff);
  EXPECT_FALSE(def->smb1_accepted());
}

TEST(Smb1Negotiate, ReadsAnSmb2Answer) {
  std::string smb2("\xfeSMB\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00", 14);
  smb2.resize(64 + 8, '\0');
  std::string framed("\x00\x00\x00", 3);
  framed += static_cast<char>(smb2.size());
  auto a = parse_smb_negotiate_response(framed + smb2);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_TRUE(a->smb2);
  EXPECT_FALSE(a->smb1_accepted());
}

TEST(Smb1Negotiate, CutShortOrForeignIsAnError) {
  const std::string bytes = capture("samba_nt1_negotiate.bin");
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(parse_smb_negotiate_response(bytes.substr(0, n))) << n;
  EXPECT_FALSE(
      parse_smb_negotiate_response(capture("request_negotiate_nt_lm_012.bin")));  // a request
  EXPECT_FALSE(parse_smb_negotiate_response(
      std::string("\x83\x00\x00\x01\x8f", 5)));  // negative session response
  EXPECT_FALSE(netbios_session_accepted(std::string("\x83\x00\x00\x01\x8f", 5)));
  EXPECT_TRUE(netbios_session_accepted(std::string("\x82\x00\x00\x00", 4)));
}

}  // namespace
}  // namespace portolan::audit
