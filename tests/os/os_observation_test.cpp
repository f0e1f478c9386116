#include "portolan/os/os_observation.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

constexpr uint64_t kMs = 1'000'000;

// SYN-ACKs 100 ms apart with the given IP ids and, when `hz`, timestamps
// advancing at that rate from `ts0`.
std::vector<SynAckSample> syn_acks(std::vector<uint16_t> ids, int hz, uint32_t ts0 = 5000) {
  std::vector<SynAckSample> out;
  for (size_t i = 0; i < ids.size(); ++i) {
    SynAckSample s;
    s.ttl = 62;
    s.df = true;
    s.ip_id = ids[i];
    s.window = 65160;
    s.received_ns = 1'000 * kMs + i * 100 * kMs;
    uint8_t kinds[] = {2, 4, 8, 1, 3};
    for (uint8_t k : kinds) s.options.kinds[s.options.count++] = k;
    s.options.has_mss = true;
    s.options.mss = 1460;
    s.options.has_wscale = true;
    s.options.wscale = 7;
    if (hz > 0) {
      s.options.has_timestamp = true;
      s.options.tsval = ts0 + static_cast<uint32_t>(hz * i / 10);
    }
    out.push_back(s);
  }
  return out;
}

TEST(OsObservation, InitialTtlIsTheNextCommonDefault) {
  EXPECT_EQ(initial_ttl(1), 32);
  EXPECT_EQ(initial_ttl(32), 32);
  EXPECT_EQ(initial_ttl(33), 64);
  EXPECT_EQ(initial_ttl(64), 64);
  EXPECT_EQ(initial_ttl(120), 128);
  EXPECT_EQ(initial_ttl(129), 255);
  EXPECT_EQ(initial_ttl(255), 255);
}

TEST(OsObservation, SummarisesTheSynAckAndCountsHops) {
  OsProbeReplies r;
  r.syn_acks = syn_acks({0, 0, 0, 0, 0, 0}, 1000);
  const OsObservation o = summarise(r);
  EXPECT_EQ(o.ttl, 64);
  EXPECT_EQ(o.hops, 3);  // arrived with 62: two routers in between
  EXPECT_EQ(o.df, true);
  EXPECT_EQ(o.window, 65160);
  EXPECT_EQ(o.options, "MSS,SACK,TS,NOP,WS");
  EXPECT_EQ(o.wscale, 7);
  EXPECT_EQ(o.mss, 1460);
  EXPECT_EQ(o.timestamps, true);
  EXPECT_EQ(o.ip_id, IpIdClass::kZero);
  EXPECT_EQ(o.ts_hz, 1000);
  EXPECT_EQ(o.tsval, 5500u);
  EXPECT_FALSE(o.rst_ttl.has_value());
  EXPECT_FALSE(o.echo_ttl.has_value());
}

TEST(OsObservation, LoopbackIsZeroHops) {
  OsProbeReplies r;
  r.loopback = true;
  r.syn_acks = syn_acks({1, 2, 3}, 0);
  EXPECT_EQ(summarise(r).hops, 0);
}

TEST(OsObservation, ClassifiesIpIdSequences) {
  auto cls = [](std::vector<uint16_t> ids) {
    OsProbeReplies r;
    r.syn_acks = syn_acks(std::move(ids), 0);
    return summarise(r).ip_id;
  };
  EXPECT_EQ(cls({0, 0, 0, 0}), IpIdClass::kZero);
  EXPECT_EQ(cls({7, 7, 7, 7}), IpIdClass::kConstant);
  EXPECT_EQ(cls({100, 101, 103, 110}), IpIdClass::kIncremental);
  EXPECT_EQ(cls({65534, 65535, 0, 1}), IpIdClass::kIncremental);  // wraps
  EXPECT_EQ(cls({0x0100, 0x0200, 0x0400, 0x0500}), IpIdClass::kBrokenIncremental);
  EXPECT_EQ(cls({0x3a1f, 0x9c02, 0x1177, 0xe0c4}), IpIdClass::kRandom);
  EXPECT_EQ(cls({1, 2}), IpIdClass::kUnknown);  // too few to tell
}

TEST(OsObservation, MeasuresTimestampClocks) {
  auto hz = [](int rate) {
    OsProbeReplies r;
    r.syn_acks = syn_acks({0, 0, 0, 0, 0, 0}, rate);
    return summarise(r).ts_hz;
  };
  EXPECT_EQ(hz(1000), 1000);
  EXPECT_EQ(hz(250), 250);
  EXPECT_EQ(hz(100), 100);
  EXPECT_EQ(hz(0), 0);      // no timestamps
  EXPECT_EQ(hz(600), 600);  // no common clock: as measured
  OsProbeReplies backwards;
  backwards.syn_acks = syn_acks({0, 0, 0}, 1000);
  backwards.syn_acks[2].options.tsval = 10;  // random offset per connection
  EXPECT_EQ(summarise(backwards).ts_hz, kRandomTimestamps);
  OsProbeReplies jumping;  // forward, but far faster than any clock
  jumping.syn_acks = syn_acks({0, 0, 0}, 1000);
  jumping.syn_acks[1].options.tsval += 90'000'000;
  jumping.syn_acks[2].options.tsval += 180'000'000;
  EXPECT_EQ(summarise(jumping).ts_hz, kRandomTimestamps);
  OsProbeReplies close_together;  // 100 ms is too short to tell clocks apart
  close_together.syn_acks = syn_acks({0, 0}, 1000);
  EXPECT_FALSE(summarise(close_together).ts_hz.has_value());
}

TEST(OsObservation, ReadsRstEchoAndUnreachable) {
  OsProbeReplies r;
  r.closed_rst = RstSample{126, false, 300, 0};
  r.ack_rst = RstSample{126, false, 301, 0};
  r.echo = EchoSample{254, false, 9};
  r.unreachable = UnreachableSample{64, false, 328, 328};
  r.udp_sent_ip_length = 328;
  const OsObservation o = summarise(r);
  EXPECT_FALSE(o.ttl.has_value());
  EXPECT_EQ(o.hops, 3);  // from the RST when no SYN-ACK came
  EXPECT_EQ(o.rst_ttl, 128);
  EXPECT_EQ(o.rst_df, false);
  EXPECT_EQ(o.rst_window, 0);
  EXPECT_EQ(o.ack_rst_window, 0);
  EXPECT_EQ(o.echo_ttl, 255);
  EXPECT_EQ(o.echo_code_kept, true);
  EXPECT_EQ(o.unreachable_ttl, 64);
  EXPECT_EQ(o.unreachable_full_quote, true);
  r.unreachable = UnreachableSample{64, false, 28, 328};  // header + 8 bytes only
  EXPECT_EQ(summarise(r).unreachable_full_quote, false);
}

TEST(OsObservation, DescribesOneLinePerTest) {
  OsProbeReplies r;
  r.syn_acks = syn_acks({0, 0, 0, 0, 0, 0}, 1000);
  r.closed_rst = RstSample{62, true, 0, 0};
  EXPECT_EQ(describe(summarise(r)),
            "SYNACK ttl=64 df=1 win=65160 ops=MSS,SACK,TS,NOP,WS ws=7 mss=1460\n"
            "SEQ ipid=Z ts=1000HZ\n"
            "RST ttl=64 df=1 win=0\n"
            "ACKRST none\n"
            "ECHO none\n"
            "UNREACH none\n");
  EXPECT_EQ(describe(OsObservation{}),
            "SYNACK none\nRST none\nACKRST none\nECHO none\nUNREACH none\n");
}

}  // namespace
}  // namespace portolan
