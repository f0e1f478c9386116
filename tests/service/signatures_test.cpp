// Every protocol's signatures on captured answers (filled by the next commit).
#include <gtest/gtest.h>

#include "portolan/service/service_db.h"

namespace portolan {
namespace {

TEST(BuiltinSignatures, DatabaseLoads) {
  auto db = ServiceDb::builtin();
  ASSERT_TRUE(db) << db.error().message();
  EXPECT_NE((*db)->probe("null"), nullptr);
}

}  // namespace
}  // namespace portolan
