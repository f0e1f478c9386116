// NTP mode 6 and mode 7: a READVAR answer captured from ntpsec 1.2.2 and
// synthetic monlist answers written from ntp_request.h's layout (captures/ntp/).
#include "portolan/audit/ntp_control.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("ntp/" + name);
}

TEST(NtpControl, BuildsTheRequestsByteForByte) {
  std::string readvar = build_ntp_readvar_request(1);
  EXPECT_EQ(readvar, capture("request_mode6_readvar.bin"));
  EXPECT_EQ(build_ntp_monlist_request(), capture("request_mode7_monlist.bin"));
}

TEST(NtpControl, ReadsNtpsecReadvar) {
  auto r = parse_ntp_control_response(capture("ntpsec_open_mode6_readvar.bin"));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->opcode, 2);
  EXPECT_FALSE(r->error);
  EXPECT_FALSE(r->more);
  EXPECT_EQ(r->sequence, 1);
  EXPECT_EQ(ntp_variable(r->data, "version"), "ntpd ntpsec-1.2.2");
  EXPECT_EQ(ntp_variable(r->data, "stratum"), "16");
  EXPECT_EQ(ntp_variable(r->data, "processor"), "x86_64");
  EXPECT_EQ(ntp_variable(r->data, "mintc"), "0");
  EXPECT_EQ(ntp_variable(r->data, "nosuch"), "");
  EXPECT_EQ(ntp_variable("a=\"unterminated", "a"), "unterminated");
  // Our own request is not a response.
  EXPECT_FALSE(parse_ntp_control_response(capture("request_mode6_readvar.bin")));
}

TEST(NtpControl, ReadsMonlistAnswers) {
  auto list = parse_ntp_private_response(capture("synthetic_mode7_monlist.bin"));
  ASSERT_TRUE(list) << list.error().message();
  EXPECT_EQ(list->error, 0);
  EXPECT_EQ(list->items, 2);
  EXPECT_EQ(list->item_size, 72);
  EXPECT_EQ(list->addresses, (std::vector<std::string>{"192.0.2.10", "198.51.100.7"}));
  auto nodata = parse_ntp_private_response(capture("synthetic_mode7_nodata.bin"));
  ASSERT_TRUE(nodata);
  EXPECT_EQ(nodata->error, 4);
  EXPECT_EQ(nodata->items, 0);
  EXPECT_FALSE(parse_ntp_private_response(capture("request_mode7_monlist.bin")));
  EXPECT_FALSE(parse_ntp_private_response(capture("ntpsec_open_mode6_readvar.bin")));
}

TEST(NtpControl, EveryCutShortCaptureIsAnError) {
  const std::string readvar = capture("ntpsec_open_mode6_readvar.bin");
  // The capture ends with 3 padding bytes after the counted data.
  for (size_t n = 0; n + 3 < readvar.size(); ++n)
    EXPECT_FALSE(parse_ntp_control_response(readvar.substr(0, n))) << n;
  const std::string list = capture("synthetic_mode7_monlist.bin");
  for (size_t n = 0; n < list.size(); ++n)
    EXPECT_FALSE(parse_ntp_private_response(list.substr(0, n))) << n;
}

}  // namespace
}  // namespace portolan::audit
