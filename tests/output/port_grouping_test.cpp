// nmap's fold rule: thresholds, --open, ordering, and compressed port lists.
#include "portolan/output/port_grouping.h"

#include <gtest/gtest.h>

#include <vector>

#include "report_fixtures.h"

namespace portolan::testing {
namespace {

std::vector<PortResult> closed_range(uint16_t first, uint16_t last) {
  std::vector<PortResult> ports;
  for (uint32_t p = first; p <= last; ++p) {
    ports.push_back(port(static_cast<uint16_t>(p), PortState::kClosed, Reason::kConnRefused));
  }
  return ports;
}

OutputOptions verbosity(int v, int d = 0) {
  OutputOptions o;
  o.verbosity = v;
  o.debugging = d;
  return o;
}

TEST(FoldLimit, GrowsWithVerbosityAndDebuggingAsNmap) {
  // Measured with nmap 7.93 -sT on 127.0.0.1.
  EXPECT_EQ(fold_limit(verbosity(0)), 25);
  EXPECT_EQ(fold_limit(verbosity(1)), 50);
  EXPECT_EQ(fold_limit(verbosity(2)), 75);
  EXPECT_EQ(fold_limit(verbosity(4)), 125);
  EXPECT_EQ(fold_limit(verbosity(1, 1)), 550);   // -d, which implies -v
  EXPECT_EQ(fold_limit(verbosity(2, 2)), 1075);  // -dd
  EXPECT_EQ(fold_limit(verbosity(3, 3)), -1);    // -ddd: never fold
}

TEST(GroupPorts, TwentyFivePortsOfAStateAreListedTwentySixFold) {
  const auto listed = group_ports(closed_range(1, 25), {});
  EXPECT_EQ(listed.shown.size(), 25u);
  EXPECT_TRUE(listed.folded.empty());

  const auto folded = group_ports(closed_range(1, 26), {});
  EXPECT_TRUE(folded.shown.empty());
  ASSERT_EQ(folded.folded.size(), 1u);
  EXPECT_EQ(folded.folded[0].state, PortState::kClosed);
  EXPECT_EQ(folded.folded[0].count, 26u);
  EXPECT_EQ(folded.total, 26u);
}

TEST(GroupPorts, VerbosityRaisesTheLimit) {
  EXPECT_EQ(group_ports(closed_range(1, 50), verbosity(1)).shown.size(), 50u);
  EXPECT_TRUE(group_ports(closed_range(1, 51), verbosity(1)).shown.empty());
  EXPECT_EQ(group_ports(closed_range(1, 3000), verbosity(3, 3)).shown.size(), 3000u);
}

TEST(GroupPorts, OpenPortsNeverFold) {
  std::vector<PortResult> ports;
  for (uint16_t p = 1; p <= 100; ++p) ports.push_back(port(p, PortState::kOpen, Reason::kSynAck));
  const auto g = group_ports(ports, {});
  EXPECT_EQ(g.shown.size(), 100u);
  EXPECT_TRUE(g.folded.empty());
}

TEST(GroupPorts, OpenOnlyFoldsEveryStateThatCannotBeOpen) {
  std::vector<PortResult> ports = {
      port(1, PortState::kClosed, Reason::kConnRefused),
      port(2, PortState::kFiltered, Reason::kNoResponse),
      port(3, PortState::kClosedFiltered, Reason::kNoResponse),
      port(4, PortState::kOpen, Reason::kSynAck),
      port(5, PortState::kOpenFiltered, Reason::kNoResponse, "", Protocol::kUdp),
      port(6, PortState::kUnfiltered, Reason::kReset),
  };
  OutputOptions o;
  o.open_only = true;
  const auto g = group_ports(ports, o);
  ASSERT_EQ(g.shown.size(), 3u);
  EXPECT_EQ(g.shown[0]->port, 4);
  EXPECT_EQ(g.shown[1]->port, 6);
  EXPECT_EQ(g.shown[2]->port, 5);  // udp after tcp
  EXPECT_EQ(g.folded.size(), 3u);
}

TEST(GroupPorts, ShownPortsAreSortedByProtocolThenNumber) {
  std::vector<PortResult> ports = {
      port(53, PortState::kOpen, Reason::kUdpResponse, "", Protocol::kUdp),
      port(443, PortState::kOpen, Reason::kSynAck),
      port(22, PortState::kOpen, Reason::kSynAck),
      port(7, PortState::kOpen, Reason::kUdpResponse, "", Protocol::kUdp),
  };
  const auto g = group_ports(ports, {});
  ASSERT_EQ(g.shown.size(), 4u);
  EXPECT_EQ(g.shown[0]->port, 22);
  EXPECT_EQ(g.shown[1]->port, 443);
  EXPECT_EQ(g.shown[2]->port, 7);
  EXPECT_EQ(g.shown[3]->port, 53);
}

TEST(GroupPorts, FoldedStatesLargestFirstReasonsLargestFirst) {
  std::vector<PortResult> ports = closed_range(1400, 1499);  // 100 closed
  for (uint16_t p = 1000; p < 1020; ++p) {
    ports.push_back(port(p, PortState::kFiltered, Reason::kNoResponse));
  }
  for (uint16_t p = 2100; p < 2150; ++p) {
    ports.push_back(port(p, PortState::kFiltered, Reason::kHostUnreach));
  }
  const auto g = group_ports(ports, {});
  ASSERT_EQ(g.folded.size(), 2u);
  EXPECT_EQ(g.folded[0].state, PortState::kClosed);
  EXPECT_EQ(g.folded[1].state, PortState::kFiltered);
  EXPECT_EQ(g.folded[1].count, 70u);
  ASSERT_EQ(g.folded[1].reasons.size(), 2u);
  EXPECT_EQ(g.folded[1].reasons[0].reason, Reason::kHostUnreach);
  EXPECT_EQ(g.folded[1].reasons[1].reason, Reason::kNoResponse);
  EXPECT_EQ(compress_port_list(g.folded[1].reasons[1].ports), "1000-1019");
}

TEST(GroupPorts, TiesFollowNmapOrder) {
  // Equal counts: closed before filtered; host-unreach before no-response.
  std::vector<PortResult> ports;
  for (uint16_t p = 1; p <= 60; ++p) {
    ports.push_back(
        port(p, PortState::kFiltered, p <= 30 ? Reason::kNoResponse : Reason::kHostUnreach));
  }
  for (uint16_t p = 101; p <= 160; ++p) {
    ports.push_back(port(p, PortState::kClosed, Reason::kConnRefused));
  }
  const auto g = group_ports(ports, {});
  ASSERT_EQ(g.folded.size(), 2u);
  EXPECT_EQ(g.folded[0].state, PortState::kClosed);
  EXPECT_EQ(g.folded[1].reasons[0].reason, Reason::kHostUnreach);
}

TEST(GroupPorts, FoldingKeepsEveryPort) {
  std::vector<PortResult> ports;
  for (uint32_t p = 1; p <= 65535; ++p) {
    const auto state = static_cast<PortState>(p % 6);
    ports.push_back(
        port(static_cast<uint16_t>(p), state, p % 7 == 0 ? Reason::kReset : Reason::kNoResponse));
  }
  const auto g = group_ports(ports, {});
  uint64_t seen = g.shown.size();
  for (const auto& fs : g.folded) {
    uint64_t in_state = 0;
    for (const auto& r : fs.reasons) in_state += r.ports.size();
    EXPECT_EQ(in_state, fs.count);
    seen += fs.count;
  }
  EXPECT_EQ(seen, 65535u);
  EXPECT_EQ(g.folded.size(), 5u);  // everything but open
}

TEST(CompressPortList, RangesAndSingles) {
  const std::vector<uint16_t> ports = {1, 2, 3, 5, 7, 8, 65535};
  EXPECT_EQ(compress_port_list(ports), "1-3,5,7-8,65535");
  EXPECT_EQ(compress_port_list(std::vector<uint16_t>{}), "");
  EXPECT_EQ(compress_port_list(std::vector<uint16_t>{80}), "80");
  EXPECT_EQ(compress_port_list(std::vector<uint16_t>{80, 80, 81}), "80-81");
}

}  // namespace
}  // namespace portolan::testing
