// SNMP GET building and BER response parsing on answers captured from
// net-snmp's snmpd 5.9.3 (captures/snmp/), and on hostile BER.
#include "portolan/audit/snmp_ber.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("snmp/" + name);
}

TEST(SnmpBer, BuildsGetRequestsByteForByte) {
  auto v2c = build_snmp_get(SnmpVersion::kV2c, "public", 0x5054, kSnmpSysDescr);
  ASSERT_TRUE(v2c);
  EXPECT_EQ(*v2c, capture("request_v2c_public.bin"));
  auto v1 = build_snmp_get(SnmpVersion::kV1, "private", 0x5054, kSnmpSysDescr);
  ASSERT_TRUE(v1);
  EXPECT_EQ(*v1, capture("request_v1_private.bin"));
  EXPECT_FALSE(build_snmp_get(SnmpVersion::kV1, "public", 1, "1"));
  EXPECT_FALSE(build_snmp_get(SnmpVersion::kV1, "public", 1, "1.3..6"));
  EXPECT_FALSE(build_snmp_get(SnmpVersion::kV1, "public", 1, "3.1"));
}

TEST(SnmpBer, ParsesOurOwnRequest) {
  auto m = parse_snmp_message(capture("request_v1_private.bin"));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->version, SnmpVersion::kV1);
  EXPECT_EQ(m->community, "private");
  EXPECT_EQ(m->pdu_tag, 0xa0);
  EXPECT_FALSE(snmp_is_response_to(*m, 0x5054));
  ASSERT_EQ(m->varbinds.size(), 1u);
  EXPECT_EQ(m->varbinds[0].oid, kSnmpSysDescr);
}

TEST(SnmpBer, ReadsSnmpdResponses) {
  for (const char* name : {"snmpd_public_v2c_public.bin", "snmpd_public_v1_public.bin"}) {
    auto m = parse_snmp_message(capture(name));
    ASSERT_TRUE(m) << name << m.error().message();
    EXPECT_EQ(m->community, "public");
    EXPECT_TRUE(snmp_is_response_to(*m, 0x5054));
    EXPECT_FALSE(snmp_is_response_to(*m, 0x5055));
    EXPECT_EQ(snmp_first_value(*m), "Portolan test agent");
    EXPECT_EQ(m->varbinds[0].oid, "1.3.6.1.2.1.1.1.0");
  }
}

TEST(SnmpBer, EveryCutShortCaptureIsAnError) {
  const std::string bytes = capture("snmpd_public_v2c_public.bin");
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(parse_snmp_message(bytes.substr(0, n))) << n;
}

TEST(SnmpBer, RejectsHostileEncodings) {
  // Indefinite length, a 5-byte length, a length past the end.
  EXPECT_FALSE(parse_snmp_message(std::string("\x30\x80\x02\x01\x00\x00\x00", 7)));
  EXPECT_FALSE(parse_snmp_message(std::string("\x30\x85\x00\x00\x00\x00\x03\x02\x01\x00", 10)));
  EXPECT_FALSE(parse_snmp_message(std::string("\x30\x84\xff\xff\xff\xff", 6)));
  // SNMPv3 and a 9-byte integer.
  EXPECT_FALSE(parse_snmp_message(std::string("\x30\x03\x02\x01\x03", 5)));
  EXPECT_FALSE(
      parse_snmp_message(std::string("\x30\x0b\x02\x09\x01\x02\x03\x04\x05\x06\x07\x08\x09", 13)));
  // An OID arc that never ends.
  std::string response = capture("snmpd_public_v1_public.bin");
  const size_t oid = response.find(std::string("\x06\x08\x2b", 3));
  ASSERT_NE(oid, std::string::npos);
  response[oid + 9] = '\x80';
  EXPECT_FALSE(parse_snmp_message(response));
}

}  // namespace
}  // namespace portolan::audit
