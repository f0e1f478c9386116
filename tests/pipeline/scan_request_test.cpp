#include "portolan/pipeline/scan_request.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

ScanRequest request(std::vector<std::string> targets = {"127.0.0.1"}) {
  ScanRequest r;
  r.targets = std::move(targets);
  r.command_line = "portolan scan 127.0.0.1";
  r.seed = 1;
  return r;
}

std::string error_of(const ScanRequest& r) {
  auto plan = build_scan_plan(r);
  return plan ? std::string("<no error>") : plan.error().message();
}

TEST(ScanRequestTest, DefaultsAreAConnectScanOfOurTop1000) {
  auto plan = build_scan_plan(request());
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_EQ(plan->mode, ScanMode::kConnect);
  EXPECT_EQ(plan->tcp_ports.size(), 1000u);
  EXPECT_EQ(plan->engine.timing.level, 3);
  ASSERT_EQ(plan->run_info.scan_info.size(), 1u);
  EXPECT_EQ(plan->run_info.scan_info[0].type, "connect");
  EXPECT_EQ(plan->run_info.scan_info[0].num_services, 1000u);
  EXPECT_TRUE(plan->reverse_dns);
  EXPECT_FALSE(plan->skip_discovery);
}

TEST(ScanRequestTest, PortOrderIsRandomisedUnlessSequential) {
  auto r = request();
  r.ports.spec = "1-1000";
  auto shuffled = build_scan_plan(r);
  r.sequential_ports = true;
  auto ordered = build_scan_plan(r);
  ASSERT_TRUE(shuffled && ordered);
  EXPECT_TRUE(std::is_sorted(ordered->tcp_ports.begin(), ordered->tcp_ports.end()));
  EXPECT_FALSE(std::is_sorted(shuffled->tcp_ports.begin(), shuffled->tcp_ports.end()));
  auto a = shuffled->tcp_ports, b = ordered->tcp_ports;
  std::sort(a.begin(), a.end());
  EXPECT_EQ(a, b);
}

TEST(ScanRequestTest, TimingTemplateThenOverrides) {
  auto r = request();
  r.timing_template = "aggressive";
  r.max_retries = "2";
  r.host_timeout = "30s";
  r.min_rate = "500";
  r.scan_delay = "20ms";
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_EQ(plan->engine.timing.level, 4);
  EXPECT_EQ(plan->engine.timing.max_retries, 2);
  EXPECT_EQ(plan->engine.timing.host_timeout, Micros(30'000'000));
  EXPECT_EQ(plan->engine.timing.min_rate, 500.0);
  EXPECT_EQ(plan->engine.timing.scan_delay, Micros(20'000));
  // The scan delay raises the cap of the delay it may grow to, as nmap.
  EXPECT_GE(plan->engine.timing.max_scan_delay, Micros(20'000));
}

TEST(ScanRequestTest, HostTimeoutZeroMeansNone) {
  auto r = request();
  r.timing_template = "5";  // T5 sets a host timeout
  r.host_timeout = "0";
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan);
  EXPECT_FALSE(plan->engine.timing.host_timeout.has_value());
}

TEST(ScanRequestTest, RejectsConflictsWithOneLine) {
  auto r = request();
  r.scan_types = {"sL", "sT"};
  EXPECT_EQ(error_of(r), "-sT cannot be combined with -sL");
  r = request();
  r.scan_types = {"sn"};
  r.ports.spec = "22";
  EXPECT_EQ(error_of(r), "port options cannot be used with -sn (it scans no ports)");
  r = request();
  r.min_rate = "100";
  r.max_rate = "10";
  EXPECT_EQ(error_of(r), "--min-rate must not be greater than --max-rate");
  r = request();
  r.timing_template = "7";
  EXPECT_NE(error_of(r).find("-T expects 0-5"), std::string::npos);
  r = request({});
  EXPECT_NE(error_of(r).find("no targets"), std::string::npos);
  r = request();
  r.scan_types = {"sS"};
  EXPECT_NE(error_of(r).find("-sS needs raw sockets"), std::string::npos);
  r.raw_capable = true;
  r.scan_types = {"sS", "sT"};
  EXPECT_NE(error_of(r).find("cannot be combined"), std::string::npos);
  r.scan_types = {"sU", "sT"};
  EXPECT_NE(error_of(r).find("-sU cannot be combined with -sT"), std::string::npos);
  r = request();
  r.discovery_flags = {{"PE", ""}};
  EXPECT_NE(error_of(r).find("needs raw sockets"), std::string::npos);
  r.raw_capable = true;
  r.skip_discovery = true;
  EXPECT_NE(error_of(r).find("cannot be combined with -Pn"), std::string::npos);
  r = request();
  r.raw_capable = true;
  r.scan_types = {"sS"};
  r.shard = "0/3";
  EXPECT_NE(error_of(r).find("--shard"), std::string::npos);
  r = request();
  r.max_retries = "x";
  EXPECT_EQ(error_of(r), "--max-retries expects a whole number, got 'x'");
  r = request();
  r.min_rtt_timeout = "2s";
  r.max_rtt_timeout = "1s";
  EXPECT_EQ(error_of(r), "--min-rtt-timeout must not be greater than --max-rtt-timeout");
  r = request();
  r.out_xml = "-";
  r.out_json = "-";
  EXPECT_EQ(error_of(r), "only one output format can be written to standard output ('-')");
}

TEST(ScanRequestTest, BadTimeValuesNameTheOption) {
  auto r = request();
  r.scan_delay = "5parsecs";
  EXPECT_EQ(error_of(r).rfind("--scan-delay: ", 0), 0u) << error_of(r);
}

TEST(ScanRequestTest, OutputAllExpandsToThreeFiles) {
  auto r = request();
  r.out_all = "/tmp/base";
  r.out_json = "-";
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan) << plan.error().message();
  std::vector<std::string> paths;
  for (const auto& o : plan->outputs) paths.push_back(o.format + ":" + o.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"json:-", "normal:/tmp/base.nmap", "xml:/tmp/base.xml",
                                             "grepable:/tmp/base.gnmap"}));
}

TEST(ScanRequestTest, ListAndPingModes) {
  auto r = request();
  r.scan_types = {"sL"};
  auto list = build_scan_plan(r);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->mode, ScanMode::kList);
  EXPECT_TRUE(list->run_info.list_scan);
  EXPECT_TRUE(list->run_info.scan_info.empty());
  r.scan_types = {"sP"};
  auto ping = build_scan_plan(r);
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->mode, ScanMode::kPing);
}

}  // namespace
}  // namespace portolan

namespace portolan {
namespace {

TEST(ScanRequestRaw, PrivilegedDefaultIsASynScanUnprivilegedFallsBackWithANotice) {
  ScanRequest r;
  r.targets = {"127.0.0.1"};
  r.raw_capable = true;
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_EQ(plan->mode, ScanMode::kRaw);
  ASSERT_EQ(plan->run_info.scan_info.size(), 1u);
  EXPECT_EQ(plan->run_info.scan_info[0].type, "syn");
  EXPECT_EQ(plan->raw.discovery.size(), 4u);  // -PE -PS443 -PA80 -PP
  EXPECT_TRUE(plan->notices.empty());
  r.raw_capable = false;
  plan = build_scan_plan(r);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->mode, ScanMode::kConnect);
  ASSERT_EQ(plan->notices.size(), 1u);
  EXPECT_NE(plan->notices[0].find("connect scan"), std::string::npos);
}

TEST(ScanRequestRaw, SynAndUdpTogetherSplitThePorts) {
  ScanRequest r;
  r.targets = {"127.0.0.1"};
  r.raw_capable = true;
  r.scan_types = {"sS", "sU"};
  r.ports.spec = "T:80,443,U:53,161";
  r.shard = "2/3";
  r.seed = 9;
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_EQ(plan->tcp_ports.size(), 2u);
  EXPECT_EQ(plan->udp_ports.size(), 2u);
  ASSERT_EQ(plan->run_info.scan_info.size(), 2u);
  EXPECT_EQ(plan->run_info.scan_info[1].type, "udp");
  EXPECT_EQ(plan->raw.shard_index, 2u);
  EXPECT_EQ(plan->raw.shard_count, 3u);
  EXPECT_EQ(plan->raw.seed, 9u);
}

TEST(ScanRequestRaw, SpecialRangesAreSkippedUnlessAsked) {
  ScanRequest r;
  r.targets = {"198.18.0.0/24"};
  r.raw_capable = true;
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->exclude_specs.size(), 1u);
  EXPECT_EQ(plan->exclude_specs[0], "198.18.0.0/15");
  ASSERT_EQ(plan->notices.size(), 1u);
  EXPECT_NE(plan->notices[0].find("--scan-special"), std::string::npos);
  r.scan_special = true;
  plan = build_scan_plan(r);
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->exclude_specs.empty());
}

TEST(ScanRequestRaw, DiscoveryProbesAsGiven) {
  ScanRequest r;
  r.targets = {"127.0.0.1"};
  r.raw_capable = true;
  r.scan_types = {"sn"};
  r.discovery_flags = {{"PS", "22,80"}, {"PE", ""}, {"PR", ""}};
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_TRUE(plan->raw_discovery);
  ASSERT_EQ(plan->raw.discovery.size(), 3u);
  EXPECT_EQ(plan->raw.discovery[2].kind, ProbeKind::kIcmpEcho);
}

TEST(ScanRequestAudit, AuditBringsServiceDetectionAndTheOptionsParse) {
  setenv("PORTOLAN_VULNDB", "/nonexistent/portolan-test-vulndb.sqlite", 1);
  auto r = request();
  r.audit = true;
  r.audit_settings.checks = "tls,ssh";
  r.audit_settings.rate = "12.5";
  r.audit_settings.fail_on = "HIGH";
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_TRUE(plan->audit);
  EXPECT_TRUE(plan->version_detect);
  EXPECT_TRUE(plan->run_info.audit);
  EXPECT_DOUBLE_EQ(plan->audit_options.rate, 12.5);
  ASSERT_FALSE(plan->audit_options.checks.empty());
  ASSERT_TRUE(plan->fail_on);
  EXPECT_EQ(*plan->fail_on, Severity::kHigh);
  // tls,ssh leave out known-vulnerabilities: no word about a missing database.
  for (const auto& n : plan->notices)
    EXPECT_EQ(n.find("vulnerability database"), std::string::npos) << n;

  r = request();
  r.aggressive = true;
  plan = build_scan_plan(r);
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_TRUE(plan->audit);
  bool said = false;
  for (const auto& n : plan->notices)
    said |= n.find("no vulnerability database at /nonexistent/") == 0;
  EXPECT_TRUE(said);
  unsetenv("PORTOLAN_VULNDB");
}

TEST(ScanRequestAudit, MisuseIsOneLine) {
  auto r = request();
  r.audit_settings.fail_on = "high";
  EXPECT_EQ(error_of(r), "--fail-on needs --audit (or -A)");
  r = request();
  r.audit_settings.checks = "tls";
  EXPECT_EQ(error_of(r),
            "--audit-checks, --audit-policy, --audit-rate and --vulndb need --audit (or -A)");
  r = request();
  r.audit = true;
  r.audit_settings.fail_on = "severe";
  EXPECT_EQ(error_of(r), "--fail-on expects info, low, medium, high or critical, got 'severe'");
  r = request();
  r.audit = true;
  r.audit_settings.checks = "tls,bogus";
  EXPECT_NE(error_of(r).find("'bogus' names no check"), std::string::npos);
  r = request();
  r.audit = true;
  r.audit_settings.rate = "0";
  EXPECT_NE(error_of(r).find("--audit-rate expects"), std::string::npos);
  r = request();
  r.audit = true;
  r.audit_settings.policy = "/nonexistent/policy.yaml";
  EXPECT_EQ(error_of(r), "--audit-policy: cannot read audit policy '/nonexistent/policy.yaml'");
  r = request();
  r.audit = true;
  r.audit_settings.vulndb = "/nonexistent/db.sqlite";
  EXPECT_NE(error_of(r).find("--vulndb: "), std::string::npos);
  r = request();
  r.audit = true;
  r.scan_types = {"sn"};
  EXPECT_EQ(error_of(r), "--audit cannot be used with -sn (it scans no ports)");
}

}  // namespace
}  // namespace portolan
