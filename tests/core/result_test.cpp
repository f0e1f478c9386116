#include "portolan/core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace portolan {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return fail("value must be positive, got " + std::to_string(v));
  return v;
}

TEST(ResultTest, HoldsValue) {
  auto r = parse_positive(5);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 5);
  EXPECT_EQ(r.value_or(9), 5);
}

TEST(ResultTest, HoldsErrorWithMessageAndKind) {
  auto r = parse_positive(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "value must be positive, got -1");
  EXPECT_EQ(r.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(r.value_or(9), 9);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(3);
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 3);
}

TEST(ResultTest, VoidResult) {
  Result<void> ok;
  EXPECT_TRUE(ok);
  Result<void> bad = fail(ErrorKind::kIo, "cannot read");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), ErrorKind::kIo);
}

TEST(ResultTest, ContextPrefixesMessage) {
  Error e("bad port");
  EXPECT_EQ(e.with_context("-p 99999").message(), "-p 99999: bad port");
}

}  // namespace
}  // namespace portolan
