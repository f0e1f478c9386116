// The format registry: names, -oA extensions, lookup errors.
#include <gtest/gtest.h>

#include <sstream>

#include "portolan/output/report_writer.h"

namespace portolan {
namespace {

TEST(OutputRegistry, ListsTheFourFormatsWithTheirExtensions) {
  const auto& formats = report_formats();
  ASSERT_EQ(formats.size(), 4u);
  EXPECT_EQ(formats[0].name, "normal");
  EXPECT_EQ(formats[0].extension, "nmap");
  EXPECT_EQ(formats[1].name, "xml");
  EXPECT_EQ(formats[1].extension, "xml");
  EXPECT_EQ(formats[2].name, "grepable");
  EXPECT_EQ(formats[2].extension, "gnmap");
  EXPECT_EQ(formats[3].name, "json");
  EXPECT_EQ(formats[3].extension, "");  // not part of -oA
}

TEST(OutputRegistry, FindsByNameAndBuildsWriters) {
  for (const char* name : {"normal", "xml", "grepable", "json"}) {
    auto f = find_report_format(name);
    ASSERT_TRUE(f) << name;
    std::ostringstream out;
    EXPECT_NE((*f)->create(out, {}), nullptr);
  }
}

TEST(OutputRegistry, UnknownNameIsAnActionableError) {
  auto f = find_report_format("yaml");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().message(),
            "unknown output format 'yaml' (known: normal, xml, grepable, json)");
}

}  // namespace
}  // namespace portolan
