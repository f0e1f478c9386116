// CVSS v3.x base scores against scores published for real CVEs, and the
// severity scale.
#include "portolan/vulndb/cvss.h"

#include <gtest/gtest.h>

namespace portolan::vulndb {
namespace {

double score(const char* vector) {
  auto s = cvss3_base_score(vector);
  EXPECT_TRUE(s) << vector << ": " << (s ? "" : s.error().message());
  return s ? *s : -1;
}

TEST(Cvss3, KnownScores) {
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);   // CVE-2011-2523
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"), 8.1);   // CVE-2024-6387
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N"), 5.9);   // CVE-2023-48795
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:L/A:H"), 7.7);   // CVE-2021-23017
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H"), 6.5);   // CVE-2023-28856
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);  // CVE-2022-0543
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);   // typical XSS
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), 7.8);   // local privesc
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"), 5.9);   // Heartbleed-like
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"), 1.6);
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H"), 9.1);  // PR:H under S:C
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
  // v3.0 prefix, and temporal metrics ignored.
  EXPECT_DOUBLE_EQ(score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C"), 9.8);
  // Metric order does not matter.
  EXPECT_DOUBLE_EQ(score("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N"), 9.8);
}

TEST(Cvss3, RejectsMalformedVectors) {
  EXPECT_FALSE(cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"));           // no A
  EXPECT_FALSE(cvss3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));       // bad value
  EXPECT_FALSE(cvss3_base_score("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));  // twice
  EXPECT_FALSE(cvss3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"));
  EXPECT_FALSE(cvss3_base_score("AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H"));
  EXPECT_FALSE(cvss3_base_score("CVSS:3.1/AV:N//AC:L"));
  EXPECT_FALSE(cvss3_base_score(""));
}

TEST(Cvss3, SeverityScale) {
  EXPECT_EQ(severity_from_score(0.0), Severity::kInfo);
  EXPECT_EQ(severity_from_score(0.1), Severity::kLow);
  EXPECT_EQ(severity_from_score(3.9), Severity::kLow);
  EXPECT_EQ(severity_from_score(4.0), Severity::kMedium);
  EXPECT_EQ(severity_from_score(6.9), Severity::kMedium);
  EXPECT_EQ(severity_from_score(7.0), Severity::kHigh);
  EXPECT_EQ(severity_from_score(8.9), Severity::kHigh);
  EXPECT_EQ(severity_from_score(9.0), Severity::kCritical);
  EXPECT_EQ(severity_from_score(10.0), Severity::kCritical);
}

}  // namespace
}  // namespace portolan::vulndb
