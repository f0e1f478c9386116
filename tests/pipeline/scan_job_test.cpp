// run_scan end to end through the library, on loopback only.
#include "portolan/pipeline/scan_job.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace portolan {
namespace {

struct Recorder : ReportWriter {
  ScanRunInfo run;
  std::vector<HostResult> hosts;
  ScanSummary summary;
  int begins = 0, ends = 0;
  void begin(const ScanRunInfo& r) override {
    run = r;
    ++begins;
  }
  void host(const HostResult& h) override { hosts.push_back(h); }
  void end(const ScanSummary& s) override {
    summary = s;
    ++ends;
  }
};

// A listening socket on 127.0.0.1, on a port the kernel picks.
struct Listener {
  int fd = -1;
  uint16_t port = 0;
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(fd, 64), 0);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~Listener() { close(fd); }
};

ScanPlan plan_for(const std::string& ports, std::vector<std::string> targets,
                  std::vector<std::string> scan_types = {}) {
  ScanRequest r;
  r.targets = std::move(targets);
  r.scan_types = std::move(scan_types);
  if (!ports.empty()) r.ports.spec = ports;
  r.no_dns = true;
  r.seed = 7;
  auto plan = build_scan_plan(r);
  EXPECT_TRUE(plan) << plan.error().message();
  return *plan;
}

TEST(ScanJobTest, ConnectScanFindsListenerAndNamesServices) {
  Listener l;
  const std::string spec = std::to_string(l.port - 2) + "-" + std::to_string(l.port + 2);
  auto plan = plan_for(spec, {"127.0.0.1"});
  Recorder rec;
  ScanProgress progress;
  std::atomic<bool> stop{false};
  auto summary = run_scan(plan, rec, progress, stop);
  ASSERT_TRUE(summary) << summary.error().message();
  EXPECT_EQ(rec.begins, 1);
  EXPECT_EQ(rec.ends, 1);
  ASSERT_EQ(rec.hosts.size(), 1u);
  const HostResult& h = rec.hosts[0];
  EXPECT_EQ(h.state, HostState::kUp);
  EXPECT_EQ(h.reason, Reason::kLocalhostResponse);  // discovery ran (no -Pn)
  ASSERT_EQ(h.ports.size(), 5u);
  for (const auto& p : h.ports) {
    ASSERT_TRUE(p.service) << p.port;
    if (p.port == l.port) {
      EXPECT_EQ(p.state, PortState::kOpen);
      EXPECT_EQ(p.reason, Reason::kSynAck);
    }
  }
  EXPECT_EQ(summary->hosts_up, 1u);
  EXPECT_TRUE(summary->success);
  EXPECT_EQ(progress.ports_done.load(), 5u);
}

TEST(ScanJobTest, SkipDiscoveryMarksHostsUserSet) {
  ScanRequest r;
  r.targets = {"127.0.0.1"};
  r.ports.spec = "1";
  r.skip_discovery = true;
  r.no_dns = true;
  auto plan = build_scan_plan(r);
  ASSERT_TRUE(plan);
  Recorder rec;
  ScanProgress progress;
  std::atomic<bool> stop{false};
  ASSERT_TRUE(run_scan(*plan, rec, progress, stop));
  ASSERT_EQ(rec.hosts.size(), 1u);
  EXPECT_EQ(rec.hosts[0].reason, Reason::kUserSet);
}

TEST(ScanJobTest, ListScanSendsNothingAndListsEveryTarget) {
  auto plan = plan_for("", {"127.0.0.0/30", "127.0.1.1"}, {"sL"});
  Recorder rec;
  ScanProgress progress;
  std::atomic<bool> stop{false};
  auto summary = run_scan(plan, rec, progress, stop);
  ASSERT_TRUE(summary);
  ASSERT_EQ(rec.hosts.size(), 5u);
  for (const auto& h : rec.hosts) EXPECT_EQ(h.state, HostState::kUnknown);
  EXPECT_EQ(progress.probes_sent.load(), 0u);
  EXPECT_EQ(summary->hosts_total, 5u);
  EXPECT_EQ(summary->hosts_up, 0u);
}

TEST(ScanJobTest, StopBeforeStartReportsIncompleteScan) {
  auto plan = plan_for("1-10", {"127.0.0.1"});
  Recorder rec;
  ScanProgress progress;
  std::atomic<bool> stop{true};
  auto summary = run_scan(plan, rec, progress, stop);
  ASSERT_TRUE(summary);
  EXPECT_FALSE(summary->success);
  EXPECT_EQ(rec.ends, 1);  // the reports are still closed properly
  EXPECT_TRUE(rec.hosts.empty());
}

TEST(ScanJobTest, HostGroupsShrinkForManyPorts) {
  auto full = plan_for("-", {"127.0.0.1"});
  auto few = plan_for("80", {"127.0.0.1"});
  EXPECT_EQ(host_group_size(full), 16);
  EXPECT_EQ(host_group_size(few), 256);
}

}  // namespace
}  // namespace portolan
