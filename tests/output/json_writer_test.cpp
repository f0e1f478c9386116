// The JSON lines writer: every line parses, the schema holds, nothing is lost.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "report_fixtures.h"

namespace portolan::testing {
namespace {

using nlohmann::json;

std::vector<json> lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

TEST(JsonWriter, EveryScenarioIsOneObjectPerLineStartHostsSummary) {
  for (const Scenario& s : all_scenarios()) {
    const std::string text = render("json", s);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    std::vector<json> objects;
    ASSERT_NO_THROW(objects = lines(text)) << s.name;
    ASSERT_GE(objects.size(), 2u);
    EXPECT_EQ(objects.front()["type"], "scan_start") << s.name;
    EXPECT_EQ(objects.back()["type"], "summary") << s.name;
    for (size_t i = 1; i + 1 < objects.size(); ++i) EXPECT_EQ(objects[i]["type"], "host");
    // "type" leads every line, so `grep '^{"type":"host"'` works.
    EXPECT_EQ(text.rfind("{\"type\":\"scan_start\"", 0), 0u);
  }
}

TEST(JsonWriter, HostLineCarriesPortsAndFoldedCounts) {
  const auto objects = lines(render("json", scenario("mixed")));
  ASSERT_EQ(objects.size(), 3u);
  const json& host = objects[1];
  EXPECT_EQ(host["address"], "127.0.0.77");
  EXPECT_EQ(host["state"], "up");
  EXPECT_EQ(host["latency_us"], 37);
  ASSERT_EQ(host["ports"].size(), 2u);
  EXPECT_EQ(host["ports"][0]["port"], 1500);
  EXPECT_EQ(host["ports"][0]["service"]["name"], "vlsi-lm");
  EXPECT_EQ(host["ports"][1]["protocol"], "udp");
  EXPECT_EQ(host["ports"][1]["state"], "open|filtered");

  // Folded ports are all accounted for: listed + folded = every port.
  uint64_t total = host["ports"].size();
  for (const auto& extra : host["extraports"]) {
    uint64_t in_state = 0;
    for (const auto& r : extra["reasons"]) in_state += r["count"].get<uint64_t>();
    EXPECT_EQ(in_state, extra["count"].get<uint64_t>());
    total += in_state;
  }
  EXPECT_EQ(total, scenario("mixed").hosts[0].ports.size());
  EXPECT_EQ(host["extraports"][0]["reasons"][0]["ports"], "1000-1399");
}

TEST(JsonWriter, StartAndSummaryLines) {
  const auto objects = lines(render("json", scenario("stopped")));
  EXPECT_EQ(objects.front()["scanner"], "portolan");
  EXPECT_EQ(objects.front()["version"], "0.1.0");
  EXPECT_EQ(objects.front()["start"], kStartUnix);
  EXPECT_EQ(objects.front()["scaninfo"][0]["type"], "connect");
  EXPECT_EQ(objects.back()["hosts"]["up"], 1);
  EXPECT_EQ(objects.back()["exit"], "error");
  EXPECT_EQ(objects.back()["errormsg"], "interrupted by signal 2");
}

TEST(JsonWriter, HostsWithoutPortSectionsHaveNoPortKeys) {
  for (const char* name : {"list", "ping_verbose", "timeout"}) {
    for (const auto& o : lines(render("json", scenario(name)))) {
      if (o["type"] != "host") continue;
      EXPECT_FALSE(o.contains("ports")) << name;
      EXPECT_FALSE(o.contains("extraports")) << name;
    }
  }
  const auto timeout = lines(render("json", scenario("timeout")));
  EXPECT_EQ(timeout[1]["timed_out"], true);
}

TEST(JsonWriter, InvalidUtf8IsReplacedNotFatal) {
  const auto objects = lines(render("json", scenario("odd_names")));
  EXPECT_EQ(objects[1]["hostnames"][1]["name"], "ptr\x01name\xef\xbf\xbd.caf\xc3\xa9");
  EXPECT_EQ(objects[1]["hostnames"][0]["type"], "user");
}

}  // namespace
}  // namespace portolan::testing
