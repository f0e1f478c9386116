// Escaping of hostile text for XML and plain report lines.
#include "portolan/output/text_escape.h"

#include <gtest/gtest.h>

#include <string>

namespace portolan {
namespace {

TEST(XmlEscape, MarkupCharactersBecomeEntities) {
  EXPECT_EQ(xml_escape(R"(a&b<c>"d"'e')"), "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;");
  EXPECT_EQ(xml_escape("plain"), "plain");
}

TEST(XmlEscape, WhitespaceSurvivesAttributeNormalisation) {
  EXPECT_EQ(xml_escape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
}

TEST(XmlEscape, ForbiddenBytesBecomeVisibleEscapes) {
  EXPECT_EQ(xml_escape(std::string("a\x01"
                                   "b\0c",
                                   5)),
            "a\\x01b\\x00c");
  EXPECT_EQ(xml_escape("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(xml_escape("\xc3"), "\\xc3");                    // truncated sequence
  EXPECT_EQ(xml_escape("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(xml_escape("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(xml_escape("\xef\xbf\xbf"), "\\xef\\xbf\\xbf");  // U+FFFF
}

TEST(XmlEscape, ValidUtf8PassesThrough) {
  EXPECT_EQ(xml_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST(XmlCommentText, DoubleHyphensAreBrokenUp) {
  EXPECT_EQ(xml_comment_text("portolan --reason -p-"), "portolan -&#45;reason -p-");
  EXPECT_EQ(xml_comment_text("---"), "-&#45;-");
  EXPECT_EQ(xml_comment_text("a<b>&"), "a<b>&");  // no entities inside comments
  EXPECT_EQ(xml_comment_text("x\x02y"), "x\\x02y");
}

TEST(PlainText, ControlCharactersAndBadUtf8AreEscaped) {
  EXPECT_EQ(plain_text("a\tb\nc"), "a\\x09b\\x0ac");
  EXPECT_EQ(plain_text("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(plain_text("\x7f"), "\\x7f");
  EXPECT_EQ(plain_text("\xc2\x9b"), "\\xc2\\x9b");  // C1 CSI
  EXPECT_EQ(plain_text("\xff"), "\\xff");
  EXPECT_EQ(plain_text("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(plain_text("a&b<c>"), "a&b<c>");
}

}  // namespace
}  // namespace portolan
