// The real consumers of nmap XML read our files: xmllint against nmap.dtd,
// nmap.xsl through xsltproc, ndiff, and python3-libnmap.
//
// String comparison (golden_test.cpp) proves the bytes did not change; these
// prove the bytes are right for the tools people actually point at nmap
// output. The tools come from Debian packages (libxml2-utils, xsltproc,
// ndiff, nmap-common, python3-libnmap); a missing one fails the test with
// the package to install, rather than skipping a check silently.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <random>
#include <string>

#include "report_fixtures.h"

namespace portolan::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDtd = "/usr/share/nmap/nmap.dtd";
constexpr const char* kXsl = "/usr/share/nmap/nmap.xsl";
// The Debian python carries python3-libnmap; a python3 earlier on PATH may not.
constexpr const char* kPython = "/usr/bin/python3";

// Fails the current test unless `path` exists.
::testing::AssertionResult have(const char* path, const char* package) {
  if (fs::exists(path)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << path << " not found: install the Debian package " << package;
}

std::string quoted(const fs::path& p) {
  return "'" + p.string() + "'";
}

fs::path write_xml(const fs::path& dir, const std::string& name, const std::string& xml) {
  const fs::path path = dir / (name + ".xml");
  write_file(path, xml);
  return path;
}

CommandResult xmllint(const fs::path& file) {
  return run_command(std::string("xmllint --noout --dtdvalid ") + kDtd + " " + quoted(file));
}

// A host with every TCP port in a pseudo-random state and reason: exercises
// folding of many states at once and very long compressed port lists.
HostResult many_ports_host() {
  HostResult h = localhost_host();
  h.ports.clear();
  std::mt19937 rng(7);
  const PortState states[] = {PortState::kOpen,         PortState::kClosed,
                              PortState::kFiltered,     PortState::kUnfiltered,
                              PortState::kOpenFiltered, PortState::kClosedFiltered};
  const Reason reasons[] = {Reason::kNoResponse, Reason::kConnRefused, Reason::kHostUnreach,
                            Reason::kReset, Reason::kAdminProhibited};
  for (uint32_t p = 1; p <= 65535; ++p) {
    // Mostly closed and filtered, as real scans are; a few of each other state.
    const auto roll = rng() % 1000;
    PortState state = roll < 600   ? PortState::kClosed
                      : roll < 990 ? PortState::kFiltered
                                   : states[rng() % 6];
    const Reason reason = state == PortState::kOpen ? Reason::kSynAck : reasons[rng() % 5];
    h.ports.push_back(port(static_cast<uint16_t>(p), state, reason, p % 3 == 0 ? "svc" : ""));
  }
  return h;
}

TEST(XmlConsumers, EveryScenarioValidatesAgainstNmapDtd) {
  ASSERT_TRUE(have("/usr/bin/xmllint", "libxml2-utils"));
  ASSERT_TRUE(have(kDtd, "nmap-common"));
  const fs::path dir = scratch_dir("dtd");
  for (const Scenario& s : all_scenarios()) {
    const auto result = xmllint(write_xml(dir, s.name, render("xml", s)));
    EXPECT_EQ(result.status, 0) << s.name << ":\n" << result.output;
  }
}

TEST(XmlConsumers, OptionVariantsValidateAgainstNmapDtd) {
  ASSERT_TRUE(have("/usr/bin/xmllint", "libxml2-utils"));
  const fs::path dir = scratch_dir("dtd_variants");
  int n = 0;
  for (const Scenario& base : all_scenarios()) {
    for (int variant = 0; variant < 4; ++variant) {
      Scenario s = base;
      s.options.verbosity = variant & 1 ? 1 : 0;
      s.options.open_only = (variant & 2) != 0;
      s.options.show_reason = (variant & 2) != 0;
      const auto result =
          xmllint(write_xml(dir, s.name + std::to_string(variant), render("xml", s)));
      EXPECT_EQ(result.status, 0) << s.name << " variant " << variant << ":\n" << result.output;
      ++n;
    }
  }
  EXPECT_GT(n, 0);
}

TEST(XmlConsumers, ManyMixedPortsValidate) {
  ASSERT_TRUE(have("/usr/bin/xmllint", "libxml2-utils"));
  const Scenario& base = scenario("basic");
  const std::string xml = render("xml", base.run, {many_ports_host()}, base.summary, {});
  const auto result = xmllint(write_xml(scratch_dir("many"), "many", xml));
  EXPECT_EQ(result.status, 0) << result.output.substr(0, 2000);
}

TEST(XmlConsumers, NmapStylesheetRendersThePorts) {
  ASSERT_TRUE(have("/usr/bin/xsltproc", "xsltproc"));
  ASSERT_TRUE(have(kXsl, "nmap-common"));
  const fs::path dir = scratch_dir("xsl");
  const fs::path xml = write_xml(dir, "versions", render("xml", scenario("versions")));
  const fs::path html = dir / "versions.html";
  const auto result =
      run_command(std::string("xsltproc -o ") + quoted(html) + " " + kXsl + " " + quoted(xml));
  ASSERT_EQ(result.status, 0) << result.output;
  const auto page = run_command("cat " + quoted(html)).output;
  EXPECT_NE(page.find("<td>22</td>"), std::string::npos);
  EXPECT_NE(page.find("<td>443</td>"), std::string::npos);
  EXPECT_NE(page.find("OpenSSH"), std::string::npos);
  EXPECT_NE(page.find("portolan -sT -sV"), std::string::npos);
}

TEST(XmlConsumers, NdiffNamesTheOnePortThatChanged) {
  ASSERT_TRUE(have("/usr/bin/ndiff", "ndiff"));
  const fs::path dir = scratch_dir("ndiff");
  const Scenario& s = scenario("basic");
  HostResult changed = s.hosts.front();
  for (auto& p : changed.ports) {
    if (p.port == 443) p = port(443, PortState::kOpen, Reason::kSynAck, "https");
  }
  const fs::path a = write_xml(dir, "a", render("xml", s));
  const fs::path b = write_xml(dir, "b", render("xml", s.run, {changed}, s.summary, s.options));

  // ndiff exits 1 when the scans differ, 0 when they do not.
  const auto diff = run_command("ndiff " + quoted(a) + " " + quoted(b));
  EXPECT_EQ(diff.status, 1) << diff.output;
  EXPECT_NE(diff.output.find("+443/tcp open  https"), std::string::npos) << diff.output;
  EXPECT_NE(diff.output.find("localhost (127.0.0.1)"), std::string::npos) << diff.output;
  EXPECT_EQ(diff.output.find("80/tcp"), std::string::npos) << "unchanged port listed:\n"
                                                           << diff.output;

  const auto same = run_command("ndiff " + quoted(a) + " " + quoted(a));
  EXPECT_EQ(same.status, 0) << same.output;

  // ndiff's XML mode must parse us too.
  const auto xml_diff = run_command("ndiff --xml " + quoted(a) + " " + quoted(b));
  EXPECT_EQ(xml_diff.status, 1) << xml_diff.output;
  EXPECT_NE(xml_diff.output.find("portid=\"443\""), std::string::npos) << xml_diff.output;
}

// Parses `file` with python3-libnmap and returns what it understood.
nlohmann::json libnmap_view(const fs::path& file) {
  const std::string script = R"PY(
import json, sys
from libnmap.parser import NmapParser
r = NmapParser.parse_fromfile(sys.argv[1])
print(json.dumps({
  "version": r.version, "scanner": r._nmaprun.get("scanner"), "args": r.commandline,
  "started": r.started, "total": r.hosts_total, "up": r.hosts_up, "down": r.hosts_down,
  "summary": r.summary, "elapsed": r.elapsed,
  "hosts": [{
    "address": h.address, "ipv4": h.ipv4, "ipv6": h.ipv6, "status": h.status,
    "hostnames": h.hostnames, "extraports": h.extraports_state,
    "services": [[s.port, s.protocol, s.state, s.service, s.reason, s.banner, s.tunnel]
                 for s in h.services]}
    for h in r.hosts]}))
)PY";
  const fs::path py = file.parent_path() / "libnmap_view.py";
  write_file(py, script);
  const auto result = run_command(std::string(kPython) + " " + quoted(py) + " " + quoted(file));
  if (result.status != 0) {
    ADD_FAILURE() << "libnmap failed on " << file << ":\n" << result.output;
    return {};
  }
  return nlohmann::json::parse(result.output);
}

TEST(XmlConsumers, LibnmapReadsHostsPortsStatesAndServices) {
  ASSERT_TRUE(have(kPython, "python3"));
  ASSERT_EQ(run_command(std::string(kPython) + " -c 'import libnmap'").status, 0)
      << "install the Debian package python3-libnmap";
  const fs::path dir = scratch_dir("libnmap");

  const auto basic = libnmap_view(write_xml(dir, "basic", render("xml", scenario("basic"))));
  ASSERT_FALSE(basic.is_null());
  EXPECT_EQ(basic["scanner"], "nmap");
  EXPECT_EQ(basic["args"], "portolan -sT -p 1-1000 127.0.0.1");
  EXPECT_EQ(basic["started"], kStartUnix);
  EXPECT_EQ(basic["total"], 1);
  EXPECT_EQ(basic["up"], 1);
  ASSERT_EQ(basic["hosts"].size(), 1u);
  const auto& host = basic["hosts"][0];
  EXPECT_EQ(host["address"], "127.0.0.1");
  EXPECT_EQ(host["status"], "up");
  EXPECT_EQ(host["hostnames"], nlohmann::json::array({"localhost"}));
  EXPECT_EQ(host["extraports"]["state"]["state"], "closed");
  EXPECT_EQ(host["extraports"]["state"]["count"], "998");
  ASSERT_EQ(host["services"].size(), 2u);
  EXPECT_EQ(host["services"][0],
            nlohmann::json::parse(R"([22, "tcp", "open", "ssh", "syn-ack", "", ""])"));
  EXPECT_EQ(host["services"][1][0], 80);
  EXPECT_EQ(host["services"][1][3], "http");

  const auto versions =
      libnmap_view(write_xml(dir, "versions", render("xml", scenario("versions"))));
  ASSERT_FALSE(versions.is_null());
  const auto& svcs = versions["hosts"][0]["services"];
  ASSERT_EQ(svcs.size(), 4u);
  EXPECT_EQ(svcs[0][5],
            "product: OpenSSH version: 9.2p1 Debian 2+deb12u3 extrainfo: protocol 2.0 "
            "ostype: Linux");
  EXPECT_EQ(svcs[1][6], "ssl");
  EXPECT_EQ(svcs[3][2], "closed");

  const auto v6 = libnmap_view(write_xml(dir, "ipv6", render("xml", scenario("ipv6"))));
  ASSERT_FALSE(v6.is_null());
  EXPECT_EQ(v6["hosts"][0]["ipv6"], "::1");
  EXPECT_EQ(v6["hosts"][0]["services"].size(), 3u);

  const auto ping = libnmap_view(write_xml(dir, "ping", render("xml", scenario("ping_verbose"))));
  ASSERT_FALSE(ping.is_null());
  ASSERT_EQ(ping["hosts"].size(), 3u);
  EXPECT_EQ(ping["hosts"][1]["status"], "down");
  EXPECT_EQ(ping["down"], 1);

  const auto odd = libnmap_view(write_xml(dir, "odd", render("xml", scenario("odd_names"))));
  ASSERT_FALSE(odd.is_null());
  EXPECT_EQ(odd["hosts"][0]["hostnames"][0], "a&b<c>\"d\"--e");
}

}  // namespace
}  // namespace portolan::testing
