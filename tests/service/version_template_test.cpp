#include "portolan/service/version_template.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace portolan {
namespace {

std::string expand(std::string_view tmpl, std::vector<std::string_view> groups) {
  auto t = VersionTemplate::parse(tmpl, static_cast<int>(groups.size()) - 1);
  EXPECT_TRUE(t) << (t ? "" : t.error().message());
  return t ? t->expand(groups) : "";
}

TEST(VersionTemplate, CapturesAndLiterals) {
  EXPECT_EQ(expand("$1", {"x", "9.2p1"}), "9.2p1");
  EXPECT_EQ(expand("$1 Debian $2", {"", "9.2p1", "2+deb12u3"}), "9.2p1 Debian 2+deb12u3");
  EXPECT_EQ(expand("protocol ${1}x", {"", "2.0"}), "protocol 2.0x");
  EXPECT_EQ(expand("cost $$5", {""}), "cost $5");
  EXPECT_EQ(expand("  $1  ", {"", "a"}), "a");  // trimmed
}

TEST(VersionTemplate, Filters) {
  EXPECT_EQ(expand("${1|subst:-: }", {"", "2-deb12u3-x"}), "2 deb12u3 x");
  EXPECT_EQ(expand("${1|int}.${2|int}", {"", "003", "008"}), "3.8");
  EXPECT_EQ(expand("${1|u16be}", {"", std::string_view("\x01\x02", 2)}), "258");
  EXPECT_EQ(expand("${1|u16le}", {"", std::string_view("\x01\x02", 2)}), "513");
  EXPECT_EQ(expand("${1|u32be}", {"", std::string_view("\x00\x00\x01\x00", 4)}), "256");
  EXPECT_EQ(expand("${1|hex}", {"", std::string_view("\xab\x01", 2)}), "ab01");
  EXPECT_EQ(expand("${1|lower}", {"", "NGINX"}), "nginx");
  EXPECT_EQ(expand("x${1|prefix: v}", {"", "1"}), "x v1");
  EXPECT_EQ(expand("x${1|prefix: v}", {"", ""}), "x");
  EXPECT_EQ(expand("${1|suffix:\\: }y", {"", "a"}), "a: y");
  EXPECT_EQ(expand("${1|trim|upper}", {"", " ab "}), "AB");
}

TEST(VersionTemplate, UnsetGroupIsEmpty) {
  EXPECT_EQ(expand("a$2b", {"", "x", ""}), "ab");
}

TEST(VersionTemplate, HostileBytesArePrintable) {
  EXPECT_EQ(expand("$1", {"", std::string_view("a\x1b[2J\r\n\xff", 8)}), "a\\x1B[2J\\r\\n\\xFF");
  EXPECT_EQ(printable("back\\slash"), "back\\\\slash");
}

TEST(VersionTemplate, ErrorsAtLoad) {
  EXPECT_FALSE(VersionTemplate::parse("$2", 1));
  EXPECT_FALSE(VersionTemplate::parse("$0", 1));
  EXPECT_FALSE(VersionTemplate::parse("abc$", 1));
  EXPECT_FALSE(VersionTemplate::parse("$x", 1));
  EXPECT_FALSE(VersionTemplate::parse("${1", 1));
  EXPECT_FALSE(VersionTemplate::parse("${1|nope}", 1));
  EXPECT_FALSE(VersionTemplate::parse("${1|subst:a}", 1));
  EXPECT_FALSE(VersionTemplate::parse("${1|int:3}", 1));
  EXPECT_FALSE(VersionTemplate::parse("${}", 1));
  auto e = VersionTemplate::parse("$3", 2);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message(), "template uses $3 but the pattern has 2 capture groups");
}

}  // namespace
}  // namespace portolan
