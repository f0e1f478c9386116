#include "portolan/audit/check_registry.h"

#include <gtest/gtest.h>

#include <set>

namespace portolan::audit {
namespace {

TEST(CheckRegistry, IdsAreUniqueLowercaseAndFindable) {
  std::set<std::string> ids;
  for (const auto& c : all_checks()) {
    const auto& id = c->info().id;
    EXPECT_TRUE(ids.insert(id).second) << id;
    for (char ch : id)
      EXPECT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-') << id;
    EXPECT_EQ(find_check(id), c.get());
    EXPECT_FALSE(c->info().summary.empty()) << id;
  }
  EXPECT_GE(ids.size(), 30u);
  EXPECT_EQ(find_check("no-such-check"), nullptr);
}

TEST(CheckRegistry, SelectsByIdCategoryGlobAndRemoval) {
  auto one = select_checks("ftp-anonymous");
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0]->info().id, "ftp-anonymous");

  auto tls = select_checks("tls");
  ASSERT_TRUE(tls);
  for (const Check* c : *tls) EXPECT_EQ(c->info().category, Category::kTls);

  auto certs = select_checks("tls-cert-*");
  ASSERT_TRUE(certs);
  EXPECT_EQ(certs->size(), 4u);

  auto all_but = select_checks("all,-exposed-service");
  ASSERT_TRUE(all_but);
  EXPECT_EQ(all_but->size(), all_checks().size() - 1);

  auto only_removal = select_checks("-ssh");
  ASSERT_TRUE(only_removal);
  for (const Check* c : *only_removal) EXPECT_NE(c->info().category, Category::kSsh);
}

TEST(CheckRegistry, RejectsWhatNamesNothing) {
  auto bad = select_checks("ftp-anonymous,nonsense");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("'nonsense' names no check"), std::string::npos);
  EXPECT_FALSE(select_checks("ftp-anonymous,,ssh"));
  EXPECT_FALSE(select_checks("-all"));
}

}  // namespace
}  // namespace portolan::audit
