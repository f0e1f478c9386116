// RFB version and security types, on synthetic server messages written from
// RFC 6143 section 7.1 (captures/vnc/; no Debian VNC server runs headless here).
#include "portolan/audit/rfb_handshake.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("vnc/" + name);
}

TEST(RfbHandshake, ParsesVersionsAndChoosesOurs) {
  auto v = parse_rfb_version("RFB 003.008\n");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, 3);
  EXPECT_EQ(v->minor, 8);
  EXPECT_EQ(format_rfb_version(rfb_client_version(*v)), "RFB 003.008\n");
  EXPECT_EQ(format_rfb_version(rfb_client_version({3, 889})), "RFB 003.008\n");
  EXPECT_EQ(format_rfb_version(rfb_client_version({3, 7})), "RFB 003.007\n");
  EXPECT_EQ(format_rfb_version(rfb_client_version({3, 5})), "RFB 003.003\n");
  EXPECT_FALSE(parse_rfb_version("RFB 003.008"));
  EXPECT_FALSE(parse_rfb_version("RFB 0x3.008\n"));
  EXPECT_FALSE(parse_rfb_version("SSH-2.0-x\r\n\r\n"));
}

TEST(RfbHandshake, ReadsSecurityTypes) {
  auto none = parse_rfb_security(capture("synthetic_rfb38_none.bin").substr(12), {3, 8});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->types, std::vector<uint8_t>{kRfbSecurityNone});
  auto vencrypt = parse_rfb_security(capture("synthetic_rfb38_vencrypt.bin").substr(12), {3, 8});
  ASSERT_TRUE(vencrypt);
  EXPECT_EQ(vencrypt->types, (std::vector<uint8_t>{kRfbSecurityVeNCrypt, kRfbSecurityVncAuth}));
  auto old = parse_rfb_security(capture("synthetic_rfb33_vncauth.bin").substr(12), {3, 3});
  ASSERT_TRUE(old);
  EXPECT_EQ(old->types, std::vector<uint8_t>{kRfbSecurityVncAuth});
  auto failed = parse_rfb_security(capture("synthetic_rfb38_failed.bin").substr(12), {3, 8});
  ASSERT_TRUE(failed);
  EXPECT_TRUE(failed->types.empty());
  EXPECT_EQ(failed->reason, "Too many security failures");
  EXPECT_EQ(rfb_security_name(2), "VNC Authentication");
  EXPECT_EQ(rfb_security_name(200), "type 200");
}

TEST(RfbHandshake, CutShortOrHostileIsAnError) {
  for (const char* name : {"synthetic_rfb38_vencrypt.bin", "synthetic_rfb38_failed.bin"}) {
    const std::string bytes = capture(name).substr(12);
    for (size_t n = 0; n < bytes.size(); ++n)
      EXPECT_FALSE(parse_rfb_security(bytes.substr(0, n), {3, 8})) << name << n;
  }
  EXPECT_FALSE(parse_rfb_security(std::string("\x00\x00\x01\x00", 4), {3, 3}));  // type 256
  EXPECT_FALSE(
      parse_rfb_security(std::string("\x00\x00\x10\x01\x00", 5) + std::string(5000, 'x'), {3, 8}));
}

}  // namespace
}  // namespace portolan::audit
