// Golden files: every scenario rendered in every format, byte for byte.
//
// The goldens under golden/ are the reviewed output; a change to a writer
// shows up here as a diff. PORTOLAN_UPDATE_GOLDEN=1 rewrites them.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <tuple>

#include "report_fixtures.h"

namespace portolan::testing {
namespace {

struct FormatFile {
  const char* format;
  const char* extension;
};
void PrintTo(const FormatFile& f, std::ostream* os) {
  *os << f.format;
}

constexpr FormatFile kFormats[] = {
    {"normal", "nmap"}, {"xml", "xml"}, {"grepable", "gnmap"}, {"json", "jsonl"}};

class GoldenTest : public ::testing::TestWithParam<std::tuple<std::string, FormatFile>> {};

TEST_P(GoldenTest, MatchesGoldenFile) {
  const auto& [name, format] = GetParam();
  const Scenario& s = scenario(name);
  const std::string message = check_golden(name + "." + format.extension, render(format.format, s));
  EXPECT_TRUE(message.empty()) << message;
}

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& s : all_scenarios()) names.push_back(s.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(AllFormats, GoldenTest,
                         ::testing::Combine(::testing::ValuesIn(scenario_names()),
                                            ::testing::ValuesIn(kFormats)),
                         [](const ::testing::TestParamInfo<GoldenTest::ParamType>& p) {
                           return std::get<0>(p.param) + "_" + std::get<1>(p.param).extension;
                         });

// The terminal variant differs from -oN only in its first and last lines.
TEST(GoldenTerminal, BasicScan) {
  Scenario s = scenario("basic");
  s.options.terminal = true;
  const std::string message = check_golden("basic.terminal.txt", render("normal", s));
  EXPECT_TRUE(message.empty()) << message;
}

TEST(GoldenTerminal, SingleDownHostGetsThePnHint) {
  Scenario s = scenario("ping_quiet");
  s.options.terminal = true;
  s.hosts = {s.hosts[1]};
  s.summary = summary(0, 1, 1, 3.04);
  const std::string message = check_golden("down.terminal.txt", render("normal", s));
  EXPECT_TRUE(message.empty()) << message;
}

}  // namespace
}  // namespace portolan::testing
