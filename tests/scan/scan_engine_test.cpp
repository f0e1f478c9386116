// The scheduler on a fake clock and a fake network (fake_network.h): retries,
// RTT-driven timeouts, host timeouts, rates, delays and back-off, checked
// without sleeping and without sending anything.
#include "portolan/scan/scan_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "fake_network.h"
#include "portolan/scan/host_discovery.h"

namespace portolan {
namespace {

using testing::FakeClock;
using testing::FakeLog;
using testing::FakeReply;
using testing::FakeScript;

constexpr Micros kMs{1000};

IpAddress addr(const char* text) {
  return *IpAddress::parse(text);
}

std::vector<uint16_t> port_range(uint16_t first, uint16_t last) {
  std::vector<uint16_t> v;
  for (uint32_t p = first; p <= last; ++p) v.push_back(static_cast<uint16_t>(p));
  return v;
}

TimingParams fast_timing() {
  TimingParams t;
  t.initial_rtt_timeout = 100 * kMs;
  t.min_rtt_timeout = 1 * kMs;
  t.max_rtt_timeout = 1000 * kMs;
  t.max_retries = 10;
  return t;
}

FakeReply refused(Micros delay = 1 * kMs) {
  return FakeReply{false, -ECONNREFUSED, delay};
}
FakeReply accepted(Micros delay = 1 * kMs) {
  return FakeReply{false, 0, delay};
}
FakeReply silence() {
  return FakeReply{true, 0, Micros(0)};
}

struct FakeScan {
  FakeClock clock;
  std::shared_ptr<FakeLog> log = std::make_shared<FakeLog>();
  ScanProgress progress;
  std::map<uint32_t, HostOutcome> outcomes;
  Micros started{0};
  Micros finished{0};

  Result<void> run(const TimingParams& timing, const std::vector<IpAddress>& hosts,
                   const std::vector<uint16_t>& ports, FakeScript script,
                   ScanMode mode = ScanMode::kPorts) {
    ScanEngine engine(options(timing, std::move(script)));
    started = clock.now();
    auto r = engine.run(
        hosts, ports, mode,
        [&](HostOutcome&& o) {
          uint32_t h = o.host_index;
          outcomes.emplace(h, std::move(o));
        },
        progress);
    finished = clock.now();
    return r;
  }

  EngineOptions options(const TimingParams& timing, FakeScript script) {
    EngineOptions o;
    o.timing = timing;
    o.io_factory = testing::fake_factory(clock, std::move(script), log);
    o.clock = &clock;
    o.threads = 1;
    o.max_in_flight_per_thread = 512;
    o.seed = 42;
    return o;
  }

  const PortResult* port(uint32_t host, uint16_t p) const {
    const auto& ports = outcomes.at(host).ports;
    auto it =
        std::find_if(ports.begin(), ports.end(), [&](const PortResult& r) { return r.port == p; });
    return it == ports.end() ? nullptr : &*it;
  }
};

TEST(ScanEngineTest, RefusedAndAcceptedConnects) {
  FakeScan s;
  auto ok = s.run(fast_timing(), {addr("127.0.0.1")}, port_range(1, 100),
                  [](const IpAddress&, uint16_t port, int) {
                    return port == 22 || port == 80 ? accepted() : refused();
                  });
  ASSERT_TRUE(ok);
  ASSERT_EQ(s.outcomes.size(), 1u);
  const HostOutcome& h = s.outcomes.at(0);
  ASSERT_EQ(h.ports.size(), 100u);
  for (const PortResult& p : h.ports) {
    if (p.port == 22 || p.port == 80) {
      EXPECT_EQ(p.state, PortState::kOpen) << p.port;
      EXPECT_EQ(p.reason, Reason::kSynAck);
    } else {
      EXPECT_EQ(p.state, PortState::kClosed) << p.port;
      EXPECT_EQ(p.reason, Reason::kConnRefused);
    }
  }
  EXPECT_TRUE(std::is_sorted(h.ports.begin(), h.ports.end(),
                             [](auto& a, auto& b) { return a.port < b.port; }));
  EXPECT_FALSE(h.timed_out);
  EXPECT_EQ(s.progress.probes_sent.load(), 100u);
  EXPECT_EQ(s.progress.ports_done.load(), 100u);
  EXPECT_EQ(s.progress.open_found.load(), 2u);
  ASSERT_TRUE(h.latency);
  EXPECT_EQ(*h.latency, 1 * kMs);
  EXPECT_EQ(h.times.srtt_us, 1000);
}

TEST(ScanEngineTest, PortsAreReportedAscendingWhateverTheOrderGiven) {
  FakeScan s;
  std::vector<uint16_t> ports{443, 22, 8080, 80, 1};
  ASSERT_TRUE(s.run(fast_timing(), {addr("127.0.0.1")}, ports,
                    [](const IpAddress&, uint16_t, int) { return refused(); }));
  std::vector<uint16_t> got;
  for (const auto& p : s.outcomes.at(0).ports) got.push_back(p.port);
  EXPECT_EQ(got, (std::vector<uint16_t>{1, 22, 80, 443, 8080}));
}

TEST(ScanEngineTest, SilentPortsAreFilteredAfterOneRetransmission) {
  FakeScan s;
  auto ports = port_range(1000, 1049);
  ASSERT_TRUE(s.run(fast_timing(), {addr("127.0.0.1")}, ports,
                    [](const IpAddress&, uint16_t, int) { return silence(); }));
  const HostOutcome& h = s.outcomes.at(0);
  ASSERT_EQ(h.ports.size(), ports.size());
  for (const PortResult& p : h.ports) {
    EXPECT_EQ(p.state, PortState::kFiltered);
    EXPECT_EQ(p.reason, Reason::kNoResponse);
    // Nothing was ever answered, so retransmitting more would not help.
    EXPECT_EQ(s.log->attempts_for(addr("127.0.0.1"), p.port), 2) << p.port;
  }
  EXPECT_EQ(s.log->cancels.size(), 2 * ports.size());
  // Two rounds of the initial 100 ms timeout, without sleeping.
  EXPECT_GE(s.finished - s.started, 200 * kMs);
  EXPECT_FALSE(h.latency);
  EXPECT_EQ(h.times.srtt_us, -1);
}

TEST(ScanEngineTest, RetransmitsAsFarAsRetransmissionsHelp) {
  FakeScan s;
  const IpAddress host = addr("127.0.0.1");
  // Port 10 loses its first SYN and answers the second: evidence that one
  // more retransmission than that is worth trying on the others.
  ASSERT_TRUE(s.run(fast_timing(), {host}, port_range(10, 20),
                    [](const IpAddress&, uint16_t port, int attempt) {
                      if (port == 10) return attempt == 0 ? silence() : refused();
                      return silence();
                    }));
  EXPECT_EQ(s.port(0, 10)->state, PortState::kClosed);
  EXPECT_EQ(s.log->attempts_for(host, 10), 2);
  for (uint16_t p = 11; p <= 20; ++p) {
    EXPECT_EQ(s.port(0, p)->state, PortState::kFiltered) << p;
    EXPECT_EQ(s.log->attempts_for(host, p), 3) << p;
  }
}

TEST(ScanEngineTest, MaxRetriesCapsRetransmissions) {
  for (int max_retries : {0, 1}) {
    FakeScan s;
    TimingParams t = fast_timing();
    t.max_retries = max_retries;
    const IpAddress host = addr("127.0.0.1");
    ASSERT_TRUE(
        s.run(t, {host}, port_range(10, 20), [](const IpAddress&, uint16_t port, int attempt) {
          if (port == 10) return attempt == 0 ? silence() : refused();
          return silence();
        }));
    for (uint16_t p = 11; p <= 20; ++p) {
      EXPECT_EQ(s.log->attempts_for(host, p), max_retries + 1) << p;
    }
    // With no retransmission allowed port 10 never gets its answer.
    EXPECT_EQ(s.port(0, 10)->state, max_retries == 0 ? PortState::kFiltered : PortState::kClosed);
  }
}

TEST(ScanEngineTest, TimeoutFollowsMeasuredRtt) {
  FakeScan s;
  const IpAddress host = addr("127.0.0.1");
  TimingParams t = fast_timing();
  t.initial_rtt_timeout = 1000 * kMs;
  ASSERT_TRUE(s.run(t, {host}, port_range(1, 100), [](const IpAddress&, uint16_t port, int) {
    return port == 100 ? silence() : refused(20 * kMs);
  }));
  const HostOutcome& h = s.outcomes.at(0);
  EXPECT_EQ(h.times.srtt_us, 20'000);
  EXPECT_LT(h.times.rttvar_us, 1'000);
  EXPECT_EQ(s.port(0, 100)->state, PortState::kFiltered);
  // Port 100 went out after dozens of 20 ms samples: its timeout is about
  // srtt, far below the 1 s initial timeout.
  Micros sent{0};
  Micros cancelled{0};
  for (const auto& e : s.log->sends) {
    if (e.port == 100) {
      sent = e.at;
      break;
    }
  }
  for (const auto& e : s.log->cancels) {
    if (e.port == 100) {
      cancelled = e.at;
      break;
    }
  }
  EXPECT_GE(cancelled - sent, 20 * kMs);
  EXPECT_LE(cancelled - sent, 30 * kMs);
}

TEST(ScanEngineTest, RetransmittedProbesGiveNoRttSample) {
  FakeScan s;
  // Every first transmission is answered in exactly 10 ms, so srtt stays at
  // exactly 10 ms unless an ambiguous sample (port 50's second probe,
  // answered after 1 ms) sneaks in.
  ASSERT_TRUE(s.run(fast_timing(), {addr("127.0.0.1")}, port_range(1, 50),
                    [](const IpAddress&, uint16_t port, int attempt) {
                      if (port == 50) return attempt == 0 ? silence() : refused(1 * kMs);
                      return refused(10 * kMs);
                    }));
  EXPECT_EQ(s.port(0, 50)->state, PortState::kClosed);
  EXPECT_EQ(s.outcomes.at(0).times.srtt_us, 10'000);
}

TEST(ScanEngineTest, HostTimeoutAbandonsOnlyThatHost) {
  FakeScan s;
  TimingParams t = fast_timing();
  t.host_timeout = 350 * kMs;
  const IpAddress slow = addr("127.0.0.1");
  const IpAddress fast = addr("127.0.0.2");
  auto ports = port_range(1, 1000);
  ASSERT_TRUE(s.run(t, {slow, fast}, ports, [&](const IpAddress& h, uint16_t, int) {
    return h == slow ? silence() : refused();
  }));
  ASSERT_EQ(s.outcomes.size(), 2u);
  const HostOutcome& a = s.outcomes.at(0);
  EXPECT_TRUE(a.timed_out);
  EXPECT_LT(a.ports.size(), ports.size());
  for (const auto& p : a.ports) EXPECT_EQ(p.state, PortState::kFiltered);
  EXPECT_GE(a.end - a.start, 350 * kMs);
  EXPECT_LT(a.end - a.start, 450 * kMs);
  const HostOutcome& b = s.outcomes.at(1);
  EXPECT_FALSE(b.timed_out);
  EXPECT_EQ(b.ports.size(), ports.size());
}

TEST(ScanEngineTest, MaxRateSpacesProbes) {
  FakeScan s;
  TimingParams t = fast_timing();
  t.max_rate = 100;  // one probe per 10 ms
  ASSERT_TRUE(s.run(t, {addr("127.0.0.1")}, port_range(1, 50),
                    [](const IpAddress&, uint16_t, int) { return refused(Micros(0)); }));
  ASSERT_EQ(s.log->sends.size(), 50u);
  EXPECT_GE(s.log->sends.back().at - s.log->sends.front().at, 490 * kMs);
  for (size_t i = 1; i < s.log->sends.size(); ++i) {
    EXPECT_GE(s.log->sends[i].at - s.log->sends[i - 1].at, 10 * kMs) << i;
  }
}

TEST(ScanEngineTest, ScanDelaySpacesProbesToAHost) {
  FakeScan s;
  TimingParams t = fast_timing();
  t.scan_delay = 50 * kMs;
  ASSERT_TRUE(s.run(t, {addr("127.0.0.1")}, port_range(1, 10),
                    [](const IpAddress&, uint16_t, int) { return refused(); }));
  ASSERT_EQ(s.log->sends.size(), 10u);
  for (size_t i = 1; i < s.log->sends.size(); ++i) {
    EXPECT_GE(s.log->sends[i].at - s.log->sends[i - 1].at, 50 * kMs) << i;
  }
}

TEST(ScanEngineTest, HostsAreInterleaved) {
  FakeScan s;
  std::vector<IpAddress> hosts{addr("127.0.0.1"), addr("127.0.0.2"), addr("127.0.0.3")};
  ASSERT_TRUE(s.run(fast_timing(), hosts, port_range(1, 30),
                    [](const IpAddress&, uint16_t, int) { return refused(); }));
  ASSERT_GE(s.log->sends.size(), 6u);
  // The first probes go round the hosts, not 30 to the first host.
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(s.log->sends[i].host, hosts[i % 3]) << i;
}

TEST(ScanEngineTest, MaxParallelismCapsProbesInFlight) {
  FakeScan s;
  TimingParams t = fast_timing();
  t.max_parallelism = 3;
  ASSERT_TRUE(s.run(t, {addr("127.0.0.1")}, port_range(1, 100),
                    [](const IpAddress&, uint16_t, int) { return refused(5 * kMs); }));
  EXPECT_EQ(s.outcomes.at(0).ports.size(), 100u);
  EXPECT_LE(s.log->max_in_flight, 3u);
}

TEST(ScanEngineTest, MinRateOverridesTheWindow) {
  FakeScan s;
  TimingParams t = fast_timing();
  t.initial_rtt_timeout = 1000 * kMs;
  t.min_rate = 1000;
  ASSERT_TRUE(s.run(t, {addr("127.0.0.1")}, port_range(1, 600),
                    [](const IpAddress&, uint16_t, int) { return silence(); }));
  // A window of 10 would send 10 probes in the first second of silence;
  // 1000 probes/s sends (nearly) all 600 within it.
  size_t early = 0;
  for (const auto& e : s.log->sends) {
    if (e.at - s.started < 700 * kMs) ++early;
  }
  EXPECT_GE(early, 500u);
}

TEST(ScanEngineTest, LocalShortagesAreRetriedNotReported) {
  FakeScan s;
  const IpAddress host = addr("127.0.0.1");
  ASSERT_TRUE(s.run(fast_timing(), {host}, port_range(1, 20),
                    [](const IpAddress&, uint16_t port, int attempt) {
                      if (port % 2 == 0 && attempt < 2)
                        return FakeReply{false, -EADDRNOTAVAIL, 1 * kMs};
                      return refused();
                    }));
  for (const auto& p : s.outcomes.at(0).ports) {
    EXPECT_EQ(p.state, PortState::kClosed) << p.port;
    EXPECT_EQ(s.log->attempts_for(host, p.port), p.port % 2 == 0 ? 3 : 1) << p.port;
  }
}

TEST(ScanEngineTest, IcmpErrorsAreFinal) {
  FakeScan s;
  const IpAddress host = addr("127.0.0.1");
  ASSERT_TRUE(
      s.run(fast_timing(), {host}, port_range(1, 3), [](const IpAddress&, uint16_t port, int) {
        if (port == 1) return FakeReply{false, -EHOSTUNREACH, 1 * kMs};
        if (port == 2) return FakeReply{false, -ENETUNREACH, 1 * kMs};
        return FakeReply{false, -EPERM, 1 * kMs};
      }));
  EXPECT_EQ(s.port(0, 1)->reason, Reason::kHostUnreach);
  EXPECT_EQ(s.port(0, 2)->reason, Reason::kNetUnreach);
  EXPECT_EQ(s.port(0, 3)->reason, Reason::kAdminProhibited);
  for (uint16_t p = 1; p <= 3; ++p) {
    EXPECT_EQ(s.port(0, p)->state, PortState::kFiltered);
    EXPECT_EQ(s.log->attempts_for(host, p), 1);
  }
}

TEST(ScanEngineTest, DiscoveryStopsAtTheFirstAnswer) {
  FakeScan s;
  // TEST-NET addresses: the fake network never sends anything.
  const IpAddress up = addr("192.0.2.1");
  const IpAddress down = addr("192.0.2.2");
  const IpAddress unreachable = addr("192.0.2.3");
  ASSERT_TRUE(s.run(
      fast_timing(), {up, down, unreachable},
      std::vector<uint16_t>(std::begin(kDiscoveryPorts), std::end(kDiscoveryPorts)),
      [&](const IpAddress& h, uint16_t port, int) {
        if (h == up) return port == 80 ? refused(3 * kMs) : silence();
        if (h == unreachable) return FakeReply{false, -EHOSTUNREACH, 2 * kMs};
        return silence();
      },
      ScanMode::kDiscovery));
  const HostOutcome& a = s.outcomes.at(0);
  EXPECT_TRUE(a.answered);
  EXPECT_EQ(a.answer_reason, Reason::kConnRefused);
  EXPECT_EQ(a.answer_rtt, 3 * kMs);
  // 443 was cancelled at once instead of waiting for its timeout.
  EXPECT_LT(a.end - a.start, 10 * kMs);
  EXPECT_EQ(s.log->attempts_for(up, 443), 1);

  const HostOutcome& b = s.outcomes.at(1);
  EXPECT_FALSE(b.answered);
  EXPECT_FALSE(b.unreachable);
  EXPECT_EQ(s.log->attempts_for(down, 80), 2);  // one retransmission at most

  const HostOutcome& c = s.outcomes.at(2);
  EXPECT_FALSE(c.answered);
  ASSERT_TRUE(c.unreachable);
  EXPECT_EQ(*c.unreachable, Reason::kHostUnreach);
}

TEST(ScanEngineTest, DiscoverHostsReportsStatesAndReasons) {
  testing::FakeClock clock;
  auto log = std::make_shared<FakeLog>();
  EngineOptions o;
  o.timing = fast_timing();
  o.clock = &clock;
  o.threads = 1;
  o.seed = 7;
  const IpAddress up = addr("192.0.2.1");
  o.io_factory = testing::fake_factory(
      clock,
      [&](const IpAddress& h, uint16_t port, int) {
        if (h == up) return port == 443 ? accepted(2 * kMs) : silence();
        if (h.is_loopback()) return refused(Micros(50));
        return silence();
      },
      log);
  ScanEngine engine(o);
  std::vector<Target> targets{
      {up, "www.example"}, {addr("192.0.2.2"), ""}, {addr("127.0.0.1"), ""}};
  ScanProgress progress;
  auto r = discover_hosts(engine, targets, progress);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].state, HostState::kUp);
  EXPECT_EQ((*r)[0].reason, Reason::kSynAck);
  ASSERT_TRUE((*r)[0].latency);
  EXPECT_EQ(*(*r)[0].latency, 2 * kMs);
  ASSERT_EQ((*r)[0].hostnames.size(), 1u);
  EXPECT_EQ((*r)[0].hostnames[0].name, "www.example");
  EXPECT_EQ((*r)[1].state, HostState::kDown);
  EXPECT_EQ((*r)[1].reason, Reason::kNoResponse);
  EXPECT_FALSE((*r)[1].latency);
  EXPECT_EQ((*r)[2].state, HostState::kUp);
  EXPECT_EQ((*r)[2].reason, Reason::kLocalhostResponse);
  EXPECT_TRUE((*r)[2].latency);
  EXPECT_EQ(progress.hosts_total.load(), 0u);  // the caller's to set
  EXPECT_EQ(progress.hosts_done.load(), 1u);   // the down host
  EXPECT_EQ(progress.hosts_up.load(), 2u);
}

TEST(ScanEngineTest, EmptyPortListStillReportsEveryHost) {
  FakeScan s;
  ASSERT_TRUE(s.run(fast_timing(), {addr("127.0.0.1"), addr("127.0.0.2")}, {},
                    [](const IpAddress&, uint16_t, int) { return refused(); }));
  EXPECT_EQ(s.outcomes.size(), 2u);
}

TEST(ScanEngineTest, BackendFailureIsAnError) {
  FakeClock clock;
  EngineOptions o;
  o.timing = fast_timing();
  o.clock = &clock;
  o.io_factory = [](uint32_t) -> Result<std::unique_ptr<ConnectIo>> {
    return fail(ErrorKind::kIo, "no backend here");
  };
  ScanEngine engine(o);
  ScanProgress progress;
  std::vector<IpAddress> hosts{addr("127.0.0.1")};
  std::vector<uint16_t> ports{80};
  auto r = engine.run(
      hosts, ports, ScanMode::kPorts, [](HostOutcome&&) {}, progress);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "no backend here");
}

}  // namespace
}  // namespace portolan
