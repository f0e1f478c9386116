// Version ordering: dpkg vectors from Debian Policy 5.6.12 and dpkg's own
// rules, and upstream product versions as -sV reports them.
#include "portolan/vulndb/version_order.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace portolan::vulndb {
namespace {

int sign(int x) {
  return (x > 0) - (x < 0);
}

// Each vector: a < b, so also b > a.
void expect_debian_less(const char* a, const char* b) {
  EXPECT_LT(compare_debian_versions(a, b), 0) << a << " < " << b;
  EXPECT_GT(compare_debian_versions(b, a), 0) << b << " > " << a;
}

void expect_upstream_less(const char* a, const char* b) {
  EXPECT_LT(compare_upstream_versions(a, b), 0) << a << " < " << b;
  EXPECT_GT(compare_upstream_versions(b, a), 0) << b << " > " << a;
}

TEST(DebianVersion, EpochDominates) {
  expect_debian_less("9.2p1-2+deb12u3", "1:9.2p1-2");
  expect_debian_less("1:99", "2:0.1");
  expect_debian_less("5:6.0.16-1+deb11u2", "5:7.0.15-1~deb12u10");
  EXPECT_EQ(compare_debian_versions("0:1.0-1", "1.0-1"), 0);
  EXPECT_EQ(compare_debian_versions("00001:1.0", "1:1.0"), 0);
}

TEST(DebianVersion, TildeSortsBeforeEverything) {
  expect_debian_less("1.0~rc1", "1.0");
  expect_debian_less("1.0~~", "1.0~");
  expect_debian_less("1.0~~a", "1.0~");
  expect_debian_less("1.0~", "1.0");
  expect_debian_less("1.0", "1.0a");
  expect_debian_less("5:7.0.15-1~deb12u10", "5:7.0.15-1");
}

TEST(DebianVersion, LettersBeforeNonLetters) {
  expect_debian_less("1.0a", "1.0+");
  expect_debian_less("1.0a", "1.0.");
  expect_debian_less("1.0+", "1.0.");  // '+' (43) < '.' (46), both non-letters
  expect_debian_less("1.0", "1.0.1");
}

TEST(DebianVersion, DigitsCompareNumerically) {
  expect_debian_less("1.9", "1.10");
  expect_debian_less("1.09", "1.10");
  EXPECT_EQ(compare_debian_versions("1.010", "1.10"), 0);
  expect_debian_less("1.99999999999999999999999", "1.100000000000000000000000");
}

TEST(DebianVersion, RevisionsAndSecurityUpdates) {
  expect_debian_less("1:9.2p1-2", "1:9.2p1-2+deb12u1");
  expect_debian_less("1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3");
  expect_debian_less("1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u10");
  expect_debian_less("1:9.2p1-2+deb12u10", "1:9.3p1-1");
  expect_debian_less("1:8.9p1-3ubuntu0.6", "1:8.9p1-3ubuntu0.10");
  expect_debian_less("1.22.1-9", "1.22.1-9+deb12u1");
  // The last hyphen separates the revision: the upstream part may contain hyphens.
  expect_debian_less("1.2-3-4", "1.2-3-5");
  expect_debian_less("1.2-3-4", "1.2-4-1");
  EXPECT_EQ(compare_debian_versions("1.0", "1.0"), 0);
  expect_debian_less("1.0", "1.0-0.1");
}

TEST(DebianVersion, OddInputIsOrderedNotRejected) {
  EXPECT_EQ(compare_debian_versions("", ""), 0);
  expect_debian_less("", "0.1");
  // A non-numeric "epoch" is part of the version.
  EXPECT_NE(compare_debian_versions("a:1", "1"), 0);
  EXPECT_EQ(compare_debian_versions("a:1", "a:1"), 0);
  EXPECT_EQ(sign(compare_debian_versions(std::string("1\xff", 2), "1")), 1);
}

TEST(UpstreamVersion, NumericComponents) {
  expect_upstream_less("1.18.0", "1.22.1");
  expect_upstream_less("1.9", "1.10");
  expect_upstream_less("2.3.3", "2.3.4");
  expect_upstream_less("7.0.10", "7.0.11");
  expect_upstream_less("7.0.11", "7.0.15");
  expect_upstream_less("6.2.12", "7.0.0");
  expect_upstream_less("1.0", "1.0.1");
  EXPECT_EQ(compare_upstream_versions("1.0", "1.0.0"), 0);  // trailing zeros do not count...
  EXPECT_EQ(compare_upstream_versions("1.0.0", "1.0"), 0);  // ...both ways
  EXPECT_EQ(compare_upstream_versions("v1.2", "1.2"), 0);
  EXPECT_EQ(compare_upstream_versions("1.0-rc1", "1.0.0-rc1"), 0);
  expect_upstream_less("1.0.0-rc1", "1.0");
  expect_upstream_less("1.0", "1.0a");
}

TEST(UpstreamVersion, OpenSshPortableReleases) {
  expect_upstream_less("8.4p1", "8.5p1");
  expect_upstream_less("9.2p1", "9.3p2");
  expect_upstream_less("9.3p1", "9.3p2");
  expect_upstream_less("9.3p2", "9.8p1");
  expect_upstream_less("9.2", "9.2p1");
  expect_upstream_less("4.3p2", "4.4p1");
  expect_upstream_less("9.9p2", "10.0p1");
}

TEST(UpstreamVersion, OpenSslLetterReleases) {
  expect_upstream_less("1.0.2", "1.0.2a");
  expect_upstream_less("1.0.2j", "1.0.2k");
  expect_upstream_less("1.0.2k", "1.0.2zb");  // "zb" after "k" lexically, as OpenSSL numbers them
  expect_upstream_less("1.0.2k", "1.0.3");
  expect_upstream_less("1.1.1w", "3.0.0");
}

TEST(UpstreamVersion, PreReleasesSortBeforeTheRelease) {
  expect_upstream_less("1.0-rc1", "1.0");
  expect_upstream_less("1.0rc1", "1.0rc2");
  expect_upstream_less("1.0-alpha", "1.0-beta");
  expect_upstream_less("1.0-beta2", "1.0-rc1");
  expect_upstream_less("2.0.0-RC1", "2.0.0");
  expect_upstream_less("0.9", "1.0-rc1");
}

TEST(UpstreamVersion, ConsistentOnASortedList) {
  const std::vector<std::string> sorted = {
      "0",      "0.6.18", "1.0-rc1", "1.0",   "1.0.2", "1.0.2k", "1.0.3", "1.18.0", "1.20.1",
      "1.22.1", "2.3.4",  "7.0.11",  "8.5p1", "9.2p1", "9.3p2",  "9.8p1", "10.0"};
  for (size_t i = 0; i < sorted.size(); ++i) {
    for (size_t j = 0; j < sorted.size(); ++j) {
      EXPECT_EQ(sign(compare_upstream_versions(sorted[i], sorted[j])),
                sign(static_cast<int>(i) - static_cast<int>(j)))
          << sorted[i] << " vs " << sorted[j];
    }
  }
}

}  // namespace
}  // namespace portolan::vulndb
