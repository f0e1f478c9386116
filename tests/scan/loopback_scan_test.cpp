// Real scans of loopback listeners, with each backend (io_uring and epoll).
//
// Only 127.0.0.0/8 and ::1 are contacted. Where possible every test runs in
// a private network namespace (loopback_net.h), so the open set is exactly
// the test's listeners.
#include <errno.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "loopback_net.h"
#include "portolan/scan/connect_io.h"
#include "portolan/scan/connect_scanner.h"
#include "portolan/scan/scan_engine.h"

namespace portolan {
namespace {

using testing::Listener;
using testing::listening_ports;
using testing::run_isolated;

IpAddress addr(const char* text) {
  return *IpAddress::parse(text);
}

std::vector<uint16_t> port_range(uint32_t first, uint32_t last) {
  std::vector<uint16_t> v;
  for (uint32_t p = first; p <= last; ++p) v.push_back(static_cast<uint16_t>(p));
  return v;
}

std::set<uint16_t> open_ports(const HostResult& h) {
  std::set<uint16_t> s;
  for (const PortResult& p : h.ports) {
    if (p.state == PortState::kOpen) s.insert(p.port);
  }
  return s;
}

// Timing for tests that expect silence: short timeouts, one retransmission.
TimingParams quick_timing() {
  TimingParams t = *timing_template(4);
  t.initial_rtt_timeout = Micros(50'000);
  t.min_rtt_timeout = Micros(20'000);
  t.max_rtt_timeout = Micros(100'000);
  t.max_retries = 1;
  return t;
}

class LoopbackScanTest : public ::testing::TestWithParam<ConnectBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == ConnectBackend::kIoUring && !uring_connect_io_available()) {
      GTEST_SKIP() << "io_uring unavailable here";
    }
  }

  std::unique_ptr<ConnectScanner> scanner(const TimingParams& timing = *timing_template(4)) {
    ConnectScanOptions o;
    o.timing = timing;
    o.backend = GetParam();
    o.threads = 2;
    auto s = ConnectScanner::create(o);
    EXPECT_TRUE(s) << (s ? "" : s.error().message());
    if (!s) return nullptr;
    EXPECT_EQ((*s)->backend_name(), GetParam() == ConnectBackend::kIoUring ? "io_uring" : "epoll");
    return std::move(*s);
  }

  // Scans and returns the hosts' results in host order.
  std::vector<HostResult> scan(ConnectScanner& s, const std::vector<Target>& hosts,
                               const std::vector<uint16_t>& ports,
                               ScanProgress* progress = nullptr) {
    ScanProgress local;
    ScanProgress& p = progress != nullptr ? *progress : local;
    std::map<std::string, HostResult> by_address;
    auto ok = s.scan(
        hosts, ports, [&](HostResult&& h) { by_address[h.address.to_string()] = std::move(h); }, p);
    EXPECT_TRUE(ok) << (ok ? "" : ok.error().message());
    std::vector<HostResult> out;
    for (const Target& t : hosts) out.push_back(std::move(by_address[t.address.to_string()]));
    return out;
  }

  // Backends for ScanEngine used directly (to switch off source pinning).
  ConnectIoFactory io_factory() const {
    return GetParam() == ConnectBackend::kIoUring ? ConnectIoFactory(make_uring_connect_io)
                                                  : ConnectIoFactory(make_epoll_connect_io);
  }
};

TEST_P(LoopbackScanTest, ExactOpenSetAroundListeners) {
  run_isolated([&](bool isolated) {
    std::vector<std::unique_ptr<Listener>> listeners;
    std::set<uint16_t> expected;
    for (int i = 0; i < 5; ++i) {
      listeners.push_back(std::make_unique<Listener>("127.0.0.1"));
      ASSERT_TRUE(listeners.back()->ok());
      expected.insert(listeners.back()->port());
    }
    uint32_t low = std::max<uint32_t>(1, *expected.begin() - 100);
    uint32_t high = std::min<uint32_t>(65535, *expected.rbegin() + 100);
    std::vector<uint16_t> ports = port_range(low, high);
    for (uint16_t p : expected) {
      if (std::find(ports.begin(), ports.end(), p) == ports.end()) ports.push_back(p);
    }
    auto s = scanner();
    ASSERT_TRUE(s);
    ScanProgress progress;
    auto hosts = scan(*s, {Target{addr("127.0.0.1"), "localhost"}}, ports, &progress);
    const HostResult& h = hosts[0];
    ASSERT_EQ(h.ports.size(), ports.size());
    std::set<uint16_t> open = open_ports(h);
    if (isolated) {
      EXPECT_EQ(open, expected);
    } else {
      for (uint16_t p : expected) EXPECT_TRUE(open.count(p)) << p;
      std::set<uint16_t> listening = listening_ports();
      for (uint16_t p : open) EXPECT_TRUE(listening.count(p)) << p;
    }
    for (const PortResult& p : h.ports) {
      EXPECT_EQ(p.protocol, Protocol::kTcp);
      EXPECT_EQ(p.service, nullptr);
      if (p.state == PortState::kOpen) {
        EXPECT_EQ(p.reason, Reason::kSynAck);
      } else {
        EXPECT_EQ(p.state, PortState::kClosed) << p.port;
        EXPECT_EQ(p.reason, Reason::kConnRefused) << p.port;
      }
    }
    EXPECT_TRUE(std::is_sorted(h.ports.begin(), h.ports.end(),
                               [](auto& a, auto& b) { return a.port < b.port; }));
    EXPECT_EQ(h.state, HostState::kUp);
    EXPECT_EQ(h.reason, Reason::kUserSet);
    ASSERT_EQ(h.hostnames.size(), 1u);
    EXPECT_EQ(h.hostnames[0].name, "localhost");
    EXPECT_EQ(h.hostnames[0].kind, HostName::Kind::kUser);
    EXPECT_FALSE(h.timed_out);
    EXPECT_LE(h.start_time, h.end_time);
    EXPECT_TRUE(h.latency);
    EXPECT_GE(h.times.srtt_us, 0);
    EXPECT_GT(h.times.timeout_us, 0);
    EXPECT_EQ(progress.ports_total.load(), 0u);  // the caller's to set
    EXPECT_EQ(progress.ports_done.load(), ports.size());
    EXPECT_EQ(progress.probes_sent.load(), ports.size());
    EXPECT_EQ(progress.open_found.load(), open.size());
    EXPECT_EQ(progress.hosts_done.load(), 1u);
  });
}

TEST_P(LoopbackScanTest, FullRangeMatchesListeningSockets) {
  run_isolated([&](bool isolated) {
    Listener a("127.0.0.1");
    Listener b("0.0.0.0");
    Listener c("::");  // dual stack: also reachable over IPv4
    ASSERT_TRUE(a.ok() && b.ok());
    std::set<uint16_t> before = listening_ports();
    auto s = scanner();
    ASSERT_TRUE(s);
    auto hosts = scan(*s, {Target{addr("127.0.0.1"), ""}}, port_range(1, 65535));
    std::set<uint16_t> open = open_ports(hosts[0]);
    EXPECT_EQ(hosts[0].ports.size(), 65535u);
    std::set<uint16_t> expected{a.port(), b.port()};
    if (c.ok()) expected.insert(c.port());
    if (isolated) {
      EXPECT_EQ(open, expected);
    } else {
      for (uint16_t p : expected) EXPECT_TRUE(open.count(p)) << p;
      std::set<uint16_t> after = listening_ports();
      for (uint16_t p : open)
        EXPECT_TRUE(before.count(p) || after.count(p)) << "not listening: " << p;
    }
  });
}

// Without pinned sources the kernel picks source ports, and on 127.0.0.1 it
// sometimes picks the destination port itself: the socket then "connects"
// to itself. None of that may show as an open port.
TEST_P(LoopbackScanTest, NoFalseOpenPortsInTheEphemeralRange) {
  run_isolated([&](bool isolated) {
    Listener a("127.0.0.1");
    ASSERT_TRUE(a.ok());
    SteadyScanClock clock;
    for (bool pinned : {false, false, true}) {
      EngineOptions o;
      o.timing = *timing_template(4);
      o.io_factory = io_factory();
      o.clock = &clock;
      o.threads = 2;
      o.pin_loopback_sources = pinned;
      ScanEngine engine(o);
      std::vector<IpAddress> hosts{addr("127.0.0.1")};
      std::vector<uint16_t> ports = port_range(32768, 60999);
      std::set<uint16_t> before = listening_ports();
      std::set<uint16_t> open;
      size_t reported = 0;
      ScanProgress progress;
      auto ok = engine.run(
          hosts, ports, ScanMode::kPorts,
          [&](HostOutcome&& h) {
            reported = h.ports.size();
            for (const auto& p : h.ports) {
              if (p.state == PortState::kOpen) open.insert(p.port);
            }
          },
          progress);
      ASSERT_TRUE(ok);
      EXPECT_EQ(reported, ports.size());
      if (a.port() >= 32768 && a.port() <= 60999) {
        EXPECT_TRUE(open.count(a.port()));
      }
      std::set<uint16_t> after = listening_ports();
      for (uint16_t p : open) {
        if (isolated) {
          EXPECT_EQ(p, a.port()) << "pinned=" << pinned;
        } else {
          EXPECT_TRUE(before.count(p) || after.count(p))
              << "false open " << p << " pinned=" << pinned;
        }
      }
    }
  });
}

TEST_P(LoopbackScanTest, FullBacklogListenerIsNotClosed) {
  run_isolated([&](bool) {
    Listener l("127.0.0.1", /*backlog=*/0);
    ASSERT_TRUE(l.ok());
    // Fill the accept queue with connections nobody accepts; further SYNs
    // are dropped by the kernel.
    std::vector<int> clients;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(l.port());
    for (int i = 0; i < 4; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      ASSERT_GE(fd, 0);
      (void)::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to);
      clients.push_back(fd);
    }
    auto s = scanner(quick_timing());
    ASSERT_TRUE(s);
    auto hosts = scan(*s, {Target{addr("127.0.0.1"), ""}}, {l.port()});
    ASSERT_EQ(hosts[0].ports.size(), 1u);
    EXPECT_NE(hosts[0].ports[0].state, PortState::kClosed);
    for (int fd : clients) ::close(fd);
  });
}

TEST_P(LoopbackScanTest, SeveralLoopbackHosts) {
  run_isolated([&](bool isolated) {
    if (!isolated) GTEST_SKIP() << "needs a private network namespace";
    Listener one("127.0.0.1");
    Listener two("127.0.0.2");
    Listener three("127.0.0.3");  // the pinned source address scanned as a target
    ASSERT_TRUE(one.ok() && two.ok() && three.ok());
    std::vector<uint16_t> ports{one.port(), two.port(), three.port(), 1, 2, 3};
    auto s = scanner();
    ASSERT_TRUE(s);
    auto hosts = scan(*s,
                      {Target{addr("127.0.0.1"), ""}, Target{addr("127.0.0.2"), ""},
                       Target{addr("127.0.0.3"), ""}},
                      ports);
    ASSERT_EQ(hosts.size(), 3u);
    EXPECT_EQ(open_ports(hosts[0]), std::set<uint16_t>{one.port()});
    EXPECT_EQ(open_ports(hosts[1]), std::set<uint16_t>{two.port()});
    EXPECT_EQ(open_ports(hosts[2]), std::set<uint16_t>{three.port()});
    for (const HostResult& h : hosts) EXPECT_EQ(h.ports.size(), 6u);
  });
}

TEST_P(LoopbackScanTest, Ipv6Loopback) {
  run_isolated([&](bool isolated) {
    Listener l("::1");
    if (!l.ok()) GTEST_SKIP() << "no IPv6 loopback here";
    auto s = scanner();
    ASSERT_TRUE(s);
    uint32_t low = std::max<uint32_t>(1, l.port() - 50u);
    uint32_t high = std::min<uint32_t>(65535, l.port() + 50u);
    auto hosts = scan(*s, {Target{addr("::1"), ""}}, port_range(low, high));
    const HostResult& h = hosts[0];
    EXPECT_EQ(h.address, addr("::1"));
    EXPECT_EQ(h.ports.size(), high - low + 1);
    std::set<uint16_t> open = open_ports(h);
    EXPECT_TRUE(open.count(l.port()));
    if (isolated) {
      EXPECT_EQ(open, std::set<uint16_t>{l.port()});
    }
    for (const auto& p : h.ports) {
      if (p.state != PortState::kOpen) {
        EXPECT_EQ(p.state, PortState::kClosed) << p.port;
      }
    }
  });
}

TEST_P(LoopbackScanTest, MaxRateLimitsARealScan) {
  run_isolated([&](bool) {
    TimingParams t = *timing_template(4);
    t.max_rate = 200;
    auto s = scanner(t);
    ASSERT_TRUE(s);
    ScanProgress progress;
    auto start = std::chrono::steady_clock::now();
    auto hosts = scan(*s, {Target{addr("127.0.0.1"), ""}}, port_range(1000, 1099), &progress);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(hosts[0].ports.size(), 100u);
    EXPECT_EQ(progress.probes_sent.load(), 100u);
    // 100 probes at 200/s: about half a second (a lower bound only).
    EXPECT_GE(seconds, 0.4);
  });
}

TEST_P(LoopbackScanTest, HostTimeoutReportsWhatFinished) {
  run_isolated([&](bool) {
    TimingParams t = *timing_template(4);
    t.host_timeout = Micros(20'000);
    auto s = scanner(t);
    ASSERT_TRUE(s);
    auto hosts = scan(*s, {Target{addr("127.0.0.1"), ""}}, port_range(1, 65535));
    EXPECT_TRUE(hosts[0].timed_out);
    EXPECT_LT(hosts[0].ports.size(), 65535u);
    for (const auto& p : hosts[0].ports) EXPECT_NE(p.state, PortState::kFiltered) << p.port;
  });
}

TEST_P(LoopbackScanTest, DiscoveryOfLoopbackHosts) {
  run_isolated([&](bool) {
    auto s = scanner();
    ASSERT_TRUE(s);
    std::vector<Target> targets{{addr("127.0.0.1"), "localhost"}};
    Listener six("::1");
    if (six.ok()) targets.push_back(Target{addr("::1"), ""});
    ScanProgress progress;
    auto r = s->discover(targets, progress);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), targets.size());
    for (const HostResult& h : *r) {
      EXPECT_EQ(h.state, HostState::kUp) << h.address.to_string();
      EXPECT_EQ(h.reason, Reason::kLocalhostResponse);
      EXPECT_TRUE(h.latency);
      EXPECT_TRUE(h.ports.empty());
    }
    EXPECT_EQ((*r)[0].hostnames.at(0).name, "localhost");
    EXPECT_EQ(progress.hosts_up.load(), targets.size());
    EXPECT_EQ(progress.hosts_done.load(), 0u);  // done once their ports are scanned
  });
}

// A port dropped by netfilter is filtered/no-response; its neighbours are
// closed. Needs root and nft; the rule lives in the test's own namespace,
// in a table of its own that TearDown-style cleanup removes even on failure.
TEST_P(LoopbackScanTest, DroppedPortIsFiltered) {
  run_isolated([&](bool isolated) {
    if (!isolated) GTEST_SKIP() << "needs a private network namespace";
    if (std::system("nft --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "nft not installed";
    Listener l("127.0.0.2");
    ASSERT_TRUE(l.ok());
    const std::string table = "portolan_test_" + std::to_string(::getpid());
    struct TableGuard {
      std::string table;
      ~TableGuard() {
        (void)std::system(("nft delete table ip " + table + " 2>/dev/null").c_str());
      }
    } guard{table};
    const std::string rules =
        "nft add table ip " + table + " && nft add chain ip " + table +
        " input '{ type filter hook input priority 0; }' && nft add rule ip " + table +
        " input ip daddr 127.0.0.2 tcp dport " + std::to_string(l.port()) + " drop";
    if (std::system(rules.c_str()) != 0) GTEST_SKIP() << "cannot add nft rules";
    auto s = scanner(quick_timing());
    ASSERT_TRUE(s);
    uint16_t p = l.port();
    auto hosts = scan(*s, {Target{addr("127.0.0.2"), ""}},
                      {static_cast<uint16_t>(p - 1), p, static_cast<uint16_t>(p + 1)});
    ASSERT_EQ(hosts[0].ports.size(), 3u);
    EXPECT_EQ(hosts[0].ports[0].state, PortState::kClosed);
    EXPECT_EQ(hosts[0].ports[1].state, PortState::kFiltered);
    EXPECT_EQ(hosts[0].ports[1].reason, Reason::kNoResponse);
    EXPECT_EQ(hosts[0].ports[2].state, PortState::kClosed);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, LoopbackScanTest,
                         ::testing::Values(ConnectBackend::kIoUring, ConnectBackend::kEpoll),
                         [](const ::testing::TestParamInfo<ConnectBackend>& param) {
                           return param.param == ConnectBackend::kIoUring ? std::string("IoUring")
                                                                          : std::string("Epoll");
                         });

TEST(ConnectScannerTest, RejectsBadOptions) {
  ConnectScanOptions o;
  o.timing.max_retries = -1;
  EXPECT_FALSE(ConnectScanner::create(o));
  o = ConnectScanOptions{};
  o.timing.min_rtt_timeout = Micros(2'000'000);
  o.timing.max_rtt_timeout = Micros(1'000'000);
  EXPECT_FALSE(ConnectScanner::create(o));
  o = ConnectScanOptions{};
  o.timing.min_rate = 100;
  o.timing.max_rate = 10;
  EXPECT_FALSE(ConnectScanner::create(o));
  o = ConnectScanOptions{};
  o.timing.max_rate = 0;
  EXPECT_FALSE(ConnectScanner::create(o));
}

TEST(ConnectScannerTest, AutoPicksAWorkingBackend) {
  auto s = ConnectScanner::create(ConnectScanOptions{});
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)->backend_name(), uring_connect_io_available() ? "io_uring" : "epoll");
  EXPECT_GE((*s)->threads(), 1);
}

}  // namespace
}  // namespace portolan
