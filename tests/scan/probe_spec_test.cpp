#include "portolan/scan/probe_spec.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(ProbeSpec, DiscoveryFlagsTakeNmapDefaults) {
  auto ps = parse_discovery_probe("PS", "");
  ASSERT_TRUE(ps);
  EXPECT_EQ(*ps, (std::vector<ProbeSpec>{{ProbeKind::kTcpSyn, 80}}));
  auto pu = parse_discovery_probe("PU", "");
  ASSERT_TRUE(pu);
  EXPECT_EQ(*pu, (std::vector<ProbeSpec>{{ProbeKind::kUdp, 40125}}));
  auto pe = parse_discovery_probe("PE", "");
  ASSERT_TRUE(pe);
  EXPECT_EQ(pe->front().kind, ProbeKind::kIcmpEcho);
}

TEST(ProbeSpec, DiscoveryPortListsAndRanges) {
  auto pa = parse_discovery_probe("PA", "22,80-82,22");
  ASSERT_TRUE(pa);
  ASSERT_EQ(pa->size(), 4u);  // 22 once
  EXPECT_EQ((*pa)[3], (ProbeSpec{ProbeKind::kTcpAck, 82}));
}

TEST(ProbeSpec, BadDiscoveryPortsAreOneLineErrors) {
  for (const char* bad : {"99999", "80-20", "x", "0", "1-2000"}) {
    auto r = parse_discovery_probe("PS", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().message().rfind("-PS:", 0), 0u) << r.error().message();
  }
  EXPECT_FALSE(parse_discovery_probe("PY", ""));
}

TEST(ProbeSpec, DefaultDiscoveryFollowsNmap) {
  EXPECT_EQ(default_discovery_probes(false).size(), 4u);
  EXPECT_EQ(default_discovery_probes(true).size(), 3u);  // no ICMP timestamp in IPv6
}

}  // namespace
}  // namespace portolan
