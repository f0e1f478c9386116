// The runner: which ports get which checks, offline mode, policy ignores,
// ordering, and that every active check goes through the shared pacer.
#include "portolan/audit/auditor.h"

#include <gtest/gtest.h>

#include <atomic>

#include "portolan/audit/audit_net.h"

namespace portolan::audit {
namespace {

class FakeCheck final : public Check {
 public:
  FakeCheck(std::string id, bool active, Severity severity, uint16_t only_port = 0)
      : info_{std::move(id), Category::kExposure, "fake", active},
        severity_(severity),
        only_port_(only_port) {}
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext& ctx) const override {
    return only_port_ == 0 || ctx.port.port == only_port_;
  }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    ++runs;
    if (info_.active && ctx.net == nullptr) ++ran_without_net;
    out.push_back(make_finding(info_, ctx, severity_, "title " + info_.id, "evidence", "fix"));
  }
  mutable std::atomic<int> runs{0};
  mutable std::atomic<int> ran_without_net{0};

 private:
  CheckInfo info_;
  Severity severity_;
  uint16_t only_port_;
};

HostResult host_with_ports(std::initializer_list<std::pair<uint16_t, PortState>> ports) {
  HostResult h;
  h.address = *IpAddress::parse("127.0.0.1");
  h.state = HostState::kUp;
  for (const auto& [number, state] : ports) {
    PortResult p;
    p.port = number;
    p.state = state;
    h.ports.push_back(p);
  }
  return h;
}

TEST(Auditor, RunsApplicableChecksOnOpenPortsOnlyAndSortsBySeverity) {
  FakeCheck low("fake-low", false, Severity::kLow);
  FakeCheck high("fake-high", false, Severity::kHigh, 80);
  AuditOptions options;
  options.checks = {&low, &high};
  auto auditor = Auditor::create(options);
  ASSERT_TRUE(auditor);
  std::vector<HostResult> hosts = {
      host_with_ports({{22, PortState::kOpen}, {80, PortState::kOpen}, {81, PortState::kClosed}})};
  (*auditor)->audit(hosts);
  const auto& f = hosts[0].findings;
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].id, "fake-high");
  EXPECT_EQ(f[0].port, 80);
  EXPECT_EQ(f[1].id, "fake-low");
  EXPECT_EQ(f[1].port, 22);
  EXPECT_EQ(f[2].port, 80);
  EXPECT_EQ(low.runs, 2);
  EXPECT_EQ(high.runs, 1);
  EXPECT_EQ((*auditor)->stats().ports, 2u);
  EXPECT_EQ((*auditor)->stats().findings, 3u);
}

TEST(Auditor, DownHostsAreNotAudited) {
  FakeCheck any("fake-any", false, Severity::kLow);
  AuditOptions options;
  options.checks = {&any};
  auto auditor = Auditor::create(options);
  ASSERT_TRUE(auditor);
  std::vector<HostResult> hosts = {host_with_ports({{22, PortState::kOpen}})};
  hosts[0].state = HostState::kDown;
  (*auditor)->audit(hosts);
  EXPECT_TRUE(hosts[0].findings.empty());
  EXPECT_EQ(any.runs, 0);
}

TEST(Auditor, OfflineSkipsActiveChecksAndKeepsTheirFindings) {
  FakeCheck active("ftp-anonymous", true, Severity::kHigh);  // a registered active id
  FakeCheck passive("fake-passive", false, Severity::kLow);
  AuditOptions options;
  options.checks = {&active, &passive};
  options.offline = true;
  auto auditor = Auditor::create(options);
  ASSERT_TRUE(auditor);
  std::vector<HostResult> hosts = {host_with_ports({{21, PortState::kOpen}})};
  Finding kept;
  kept.id = kept.check = "ftp-anonymous";
  kept.severity = Severity::kHigh;
  kept.port = 21;
  Finding stale;  // a passive check's finding from the file: recomputed, not kept
  stale.id = stale.check = "exposed-service";
  stale.port = 21;
  hosts[0].findings = {kept, stale};
  (*auditor)->audit(hosts);
  EXPECT_EQ(active.runs, 0);
  EXPECT_EQ(passive.runs, 1);
  ASSERT_EQ(hosts[0].findings.size(), 2u);
  EXPECT_EQ(hosts[0].findings[0].id, "ftp-anonymous");
  EXPECT_EQ(hosts[0].findings[1].id, "fake-passive");
}

TEST(Auditor, OnlineGivesActiveChecksTheNetworkAndPolicyIgnoresFindings) {
  FakeCheck active("fake-active", true, Severity::kMedium);
  FakeCheck other("fake-other", false, Severity::kMedium);
  AuditOptions options;
  options.checks = {&active, &other};
  options.policy.ignore = {"fake-other"};
  auto auditor = Auditor::create(options);
  ASSERT_TRUE(auditor);
  std::vector<HostResult> hosts = {host_with_ports({{1, PortState::kOpen}, {2, PortState::kOpen}})};
  (*auditor)->audit(hosts);
  EXPECT_EQ(active.runs, 2);
  EXPECT_EQ(active.ran_without_net, 0);
  ASSERT_EQ(hosts[0].findings.size(), 2u);
  for (const auto& f : hosts[0].findings) EXPECT_EQ(f.check, "fake-active");
}

TEST(Auditor, ManyPortsAcrossWorkersLoseNothing) {
  FakeCheck any("fake-any", false, Severity::kInfo);
  AuditOptions options;
  options.checks = {&any};
  options.workers = 4;
  auto auditor = Auditor::create(options);
  ASSERT_TRUE(auditor);
  std::vector<HostResult> hosts(3, host_with_ports({}));
  for (auto& h : hosts) {
    for (uint16_t p = 1; p <= 200; ++p) {
      PortResult r;
      r.port = p;
      r.state = PortState::kOpen;
      h.ports.push_back(r);
    }
  }
  (*auditor)->audit(hosts);
  for (const auto& h : hosts) {
    ASSERT_EQ(h.findings.size(), 200u);
    for (size_t i = 0; i < h.findings.size(); ++i) EXPECT_EQ(h.findings[i].port, i + 1);
  }
  EXPECT_EQ(any.runs, 600);
}

TEST(Auditor, RejectsANonPositiveRate) {
  AuditOptions options;
  options.rate = 0;
  EXPECT_FALSE(Auditor::create(options));
}

}  // namespace
}  // namespace portolan::audit

namespace portolan::audit {
namespace {

class CveCheck final : public Check {
 public:
  CveCheck(std::string id, std::string finding_id, std::vector<std::string> refs)
      : info_{std::move(id), Category::kSsh, "fake", false},
        finding_id_(std::move(finding_id)),
        refs_(std::move(refs)) {}
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext&) const override { return true; }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    Finding f = make_finding(info_, ctx, Severity::kMedium, "t", "e", "r");
    f.id = finding_id_;
    f.references = refs_;
    out.push_back(f);
  }

 private:
  CheckInfo info_;
  std::string finding_id_;
  std::vector<std::string> refs_;
};

TEST(Auditor, ACveSeenInBehaviourReplacesTheVersionMatchOfTheSamePort) {
  CveCheck terrapin("ssh-weak-algorithms", "ssh-weak-algorithms:terrapin", {"CVE-2023-48795"});
  CveCheck by_version("known-vulnerabilities", "known-vulnerabilities:CVE-2023-48795",
                      {"CVE-2023-48795"});
  CveCheck other("known-vulnerabilities", "known-vulnerabilities:CVE-2024-6387", {"CVE-2024-6387"});
  AuditOptions options;
  options.checks = {&terrapin, &by_version, &other};
  auto auditor = Auditor::create(options);
  ASSERT_TRUE(auditor);
  HostResult h;
  h.address = *IpAddress::parse("127.0.0.1");
  h.state = HostState::kUp;
  PortResult p;
  p.port = 22;
  p.state = PortState::kOpen;
  h.ports = {p};
  std::vector<HostResult> hosts = {h};
  (*auditor)->audit(hosts);
  std::vector<std::string> ids;
  for (const auto& f : hosts[0].findings) ids.push_back(f.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"known-vulnerabilities:CVE-2024-6387",
                                           "ssh-weak-algorithms:terrapin"}));
}

}  // namespace
}  // namespace portolan::audit
