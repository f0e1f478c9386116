// Tests of TargetList: spec order, exclusions of every form, laziness on huge
// blocks, size saturation, error propagation, and reverse lookup of loopback.
#include "portolan/targets/target_list.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

namespace portolan {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TargetList make(const std::vector<std::string>& specs, const std::vector<std::string>& exclude = {},
                TargetOptions options = {}) {
  auto list = TargetList::create(specs, exclude, options);
  EXPECT_TRUE(list) << (list ? "" : list.error().message());
  if (!list) std::abort();
  return std::move(*list);
}

std::vector<std::string> addresses(const TargetList& list, size_t limit = 1u << 20) {
  std::vector<std::string> out;
  auto cursor = list.cursor();
  Target target;
  while (out.size() < limit && cursor->next(target)) out.push_back(target.address.to_string());
  return out;
}

IpAddress ip(std::string_view text) {
  return *IpAddress::parse(text);
}

TEST(TargetListTest, WalksSpecsInOrder) {
  auto list = make({"10.0.0.5", "192.168.0.0/31", "::1", "10.0.0.1-2"});
  EXPECT_EQ(list.size_upper_bound(), 6u);
  EXPECT_EQ(addresses(list), (std::vector<std::string>{"10.0.0.5", "192.168.0.0", "192.168.0.1",
                                                       "::1", "10.0.0.1", "10.0.0.2"}));
}

TEST(TargetListTest, DuplicatesAcrossSpecsAreKept) {
  // nmap scans a host twice when two specs name it; so do we.
  auto list = make({"10.0.0.1", "10.0.0.0/31"});
  EXPECT_EQ(addresses(list), (std::vector<std::string>{"10.0.0.1", "10.0.0.0", "10.0.0.1"}));
}

TEST(TargetListTest, EmptyList) {
  auto list = make({});
  EXPECT_EQ(list.size_upper_bound(), 0u);
  Target target;
  EXPECT_FALSE(list.cursor()->next(target));
}

TEST(TargetListTest, CursorsAreIndependentAndSurviveMove) {
  auto list = make({"10.0.0.0/30"});
  auto a = list.cursor();
  Target t;
  ASSERT_TRUE(a->next(t));
  ASSERT_TRUE(a->next(t));
  TargetList moved = std::move(list);
  auto b = moved.cursor();
  ASSERT_TRUE(b->next(t));
  EXPECT_EQ(t.address.to_string(), "10.0.0.0");
  ASSERT_TRUE(a->next(t));
  EXPECT_EQ(t.address.to_string(), "10.0.0.2");
}

TEST(TargetListTest, HostnameCarriedOnlyByItsOwnAddress) {
  auto list = make({"localhost", "127.0.0.1", "localhost/31"});
  auto cursor = list.cursor();
  std::vector<std::pair<std::string, std::string>> got;
  Target t;
  while (cursor->next(t)) got.emplace_back(t.address.to_string(), t.hostname);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"127.0.0.1", "localhost"},
                                                                   {"127.0.0.1", ""},
                                                                   {"127.0.0.0", ""},
                                                                   {"127.0.0.1", "localhost"}}));
}

TEST(TargetListTest, SlashEightIsLazy) {
  const size_t before = mallinfo2().uordblks;
  auto list = make({"10.0.0.0/8"});
  EXPECT_EQ(list.size_upper_bound(), 16777216u);
  auto cursor = list.cursor();
  Target t;
  std::vector<std::string> first;
  for (int i = 0; i < 5 && cursor->next(t); ++i) first.push_back(t.address.to_string());
  EXPECT_EQ(first,
            (std::vector<std::string>{"10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"}));
  // 16M addresses would be >= 64 MiB; the whole list and cursor fit in a few KiB.
  // (Under ASan mallinfo2 reports nothing and this check is vacuous.)
  const size_t after = mallinfo2().uordblks;
  EXPECT_LT(after > before ? after - before : 0, size_t{64 * 1024});
}

TEST(TargetListTest, Ipv6SlashSixtyFourSaturates) {
  auto list = make({"2001:db8::/64"});
  EXPECT_EQ(list.size_upper_bound(), kMax);
  EXPECT_EQ(addresses(list, 3),
            (std::vector<std::string>{"2001:db8::", "2001:db8::1", "2001:db8::2"}));
  EXPECT_EQ(make({"2001:db8::/64", "10.0.0.1"}).size_upper_bound(), kMax);
  EXPECT_EQ(make({"::/0", "0.0.0.0/0"}).size_upper_bound(), kMax);
  EXPECT_EQ(make({"2001:db8::/65", "2001:db8:1::/65"}).size_upper_bound(), kMax);  // 2^63 + 2^63
  EXPECT_EQ(make({"2001:db8::/66", "2001:db8:1::/66"}).size_upper_bound(), uint64_t{1} << 63);
}

TEST(TargetListTest, ExcludesCidr) {
  auto list = make({"10.0.0.0/24"}, {"10.0.0.0/25"});
  auto got = addresses(list);
  ASSERT_EQ(got.size(), 128u);
  EXPECT_EQ(got.front(), "10.0.0.128");
  EXPECT_EQ(got.back(), "10.0.0.255");
  EXPECT_EQ(list.size_upper_bound(), 256u);  // before exclusions, as documented
  EXPECT_TRUE(list.is_excluded(ip("10.0.0.5")));
  EXPECT_FALSE(list.is_excluded(ip("10.0.0.200")));
}

TEST(TargetListTest, ExcludesSingleAndRange) {
  auto list = make({"10.0.0.0/28"}, {"10.0.0.1-10", "10.0.0.13"});
  EXPECT_EQ(addresses(list), (std::vector<std::string>{"10.0.0.0", "10.0.0.11", "10.0.0.12",
                                                       "10.0.0.14", "10.0.0.15"}));
  EXPECT_TRUE(list.is_excluded(ip("10.0.0.7")));
  EXPECT_FALSE(list.is_excluded(ip("10.0.1.7")));
}

TEST(TargetListTest, ExcludesFromOctetRangeTargets) {
  auto list = make({"10.0-3.0.1-2"}, {"10.1.0.0/16", "10.0-3.0.2"});
  EXPECT_EQ(addresses(list), (std::vector<std::string>{"10.0.0.1", "10.2.0.1", "10.3.0.1"}));
}

TEST(TargetListTest, ExcludesHostname) {
  auto list = make({"127.0.0.0/30"}, {"localhost"});
  EXPECT_EQ(addresses(list), (std::vector<std::string>{"127.0.0.0", "127.0.0.2", "127.0.0.3"}));
}

TEST(TargetListTest, OverlappingExcludesMerge) {
  auto list = make({"10.0.0.0/24"},
                   {"10.0.0.0/26", "10.0.0.32-127", "10.0.0.60/30", "10.0.0.100/30", "10.0.0.129"});
  auto got = addresses(list);
  ASSERT_EQ(got.size(), 256u - 64u - 64u - 1u);
  EXPECT_EQ(got[0], "10.0.0.128");
  EXPECT_EQ(got[1], "10.0.0.130");
}

TEST(TargetListTest, ExcludingEverythingYieldsNothing) {
  auto list = make({"10.0.0.0/8", "10.1.2.3"}, {"0.0.0.0/0"});
  EXPECT_TRUE(addresses(list).empty());
  auto v6 = make({"2001:db8::/32"}, {"::/0"});
  EXPECT_TRUE(addresses(v6).empty());
}

TEST(TargetListTest, ExcludedBlocksAreSkippedNotStepped) {
  // Half of a /64 is 2^63 addresses: only a jump can get past it.
  auto list = make({"2001:db8::/64"}, {"2001:db8::/65"});
  EXPECT_EQ(addresses(list, 2),
            (std::vector<std::string>{"2001:db8:0:0:8000::", "2001:db8::8000:0:0:1"}));
  // Exclusions reaching the top of the address space end the spec.
  EXPECT_EQ(addresses(make({"255.255.255.252/30"}, {"255.255.255.254/31"})),
            (std::vector<std::string>{"255.255.255.252", "255.255.255.253"}));
  EXPECT_EQ(addresses(make({"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffe0/123"},
                           {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124"}))
                .size(),
            16u);
  // A /16 minus a /17, then the next spec.
  auto list16 = make({"10.0.0.0/16", "192.0.2.1"}, {"10.0.0.0/17"});
  auto cursor = list16.cursor();
  Target t;
  uint64_t count = 0;
  std::string first;
  while (cursor->next(t)) {
    if (count++ == 0) first = t.address.to_string();
  }
  EXPECT_EQ(count, (uint64_t{1} << 15) + 1);
  EXPECT_EQ(first, "10.0.128.0");
  EXPECT_EQ(t.address.to_string(), "192.0.2.1");
}

TEST(TargetListTest, OctetRangeExclusionsJumpWholeBlocks) {
  // Each of these would step through over a billion excluded addresses if
  // the walk could not jump; they must finish at once.
  EXPECT_EQ(addresses(make({"-.-.-.-"}, {"0-254.-.-.-"}), 2),
            (std::vector<std::string>{"255.0.0.0", "255.0.0.1"}));
  EXPECT_TRUE(addresses(make({"-.-.-.0,2,4,6,8"}, {"-.-.-.0-9"})).empty());
  EXPECT_EQ(addresses(make({"-.-.-.0,2,4,6,8"}, {"-.-.-.0-7"}), 2),
            (std::vector<std::string>{"0.0.0.8", "0.0.1.8"}));
  EXPECT_EQ(addresses(make({"0.0.0.0/0"}, {"0-127.-.-.-", "128-255.-.-.0-254"}), 2),
            (std::vector<std::string>{"128.0.0.255", "128.0.1.255"}));
  EXPECT_EQ(addresses(make({"-.-.-.-"}, {"0.0.0.0/1"}), 1), std::vector<std::string>{"128.0.0.0"});
}

// The cursor must yield exactly the spec's addresses minus every exclude;
// checked against a brute-force filter on random small specs.
TEST(TargetListTest, ExclusionsMatchBruteForce) {
  std::mt19937 rng(4242);
  auto octet = [&]() -> std::string {
    switch (rng() % 5) {
      case 0:
        return std::to_string(rng() % 8);
      case 1: {
        const unsigned a = rng() % 8;
        return std::to_string(a) + "-" + std::to_string(a + rng() % 8);
      }
      case 2:
        return std::to_string(rng() % 4) + "," + std::to_string(2 + rng() % 6);
      case 3:
        return std::to_string(250 + rng() % 6) + "-";
      default:
        return "-" + std::to_string(rng() % 4);
    }
  };
  auto random_spec = [&]() -> std::string {
    if (rng() % 3 == 0) {
      return "10.0." + std::to_string(rng() % 8) + "." + std::to_string(rng() % 256) + "/" +
             std::to_string(18 + rng() % 15);
    }
    return "10.0." + octet() + "." + octet();
  };
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<std::string> specs{random_spec()};
    std::vector<std::string> exclude;
    for (unsigned i = 0, n = rng() % 4; i < n; ++i) exclude.push_back(random_spec());
    auto list = make(specs, exclude);
    auto spec = TargetList::create(specs, {}, {});
    std::vector<std::string> expected;
    {
      auto all = spec->cursor();
      Target t;
      while (all->next(t)) {
        if (!list.is_excluded(t.address)) expected.push_back(t.address.to_string());
      }
    }
    ASSERT_EQ(addresses(list), expected) << "target " << specs[0] << " trial " << trial;
  }
}

TEST(TargetListTest, ExcludesIgnoreOtherFamily) {
  auto list = make({"::ffff:10.0.0.1", "10.0.0.1"}, {"10.0.0.0/8"});
  EXPECT_EQ(addresses(list), std::vector<std::string>{"::ffff:10.0.0.1"});
}

TEST(TargetListTest, BadSpecStopsCreate) {
  auto list = TargetList::create({"10.0.0.1", "10.0.0.300"}, {}, {});
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().message(), "invalid target '10.0.0.300': octet 300 is out of range 0-255");

  auto excluded = TargetList::create({"10.0.0.1"}, {"1.2.3.4/33"}, {});
  ASSERT_FALSE(excluded);
  EXPECT_EQ(excluded.error().message(),
            "exclude list: invalid target '1.2.3.4/33': prefix length 33 is out of range 0-32");
}

TEST(TargetListTest, Ipv6OptionAppliesToEverySpec) {
  TargetOptions v6;
  v6.ipv6 = true;
  auto list = TargetList::create({"::1", "127.0.0.1"}, {}, v6);
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().message(),
            "invalid target '127.0.0.1': IPv4 targets cannot be scanned with -6");
  EXPECT_EQ(addresses(make({"2001:db8::/126"}, {"2001:db8::1"}, v6)),
            (std::vector<std::string>{"2001:db8::", "2001:db8::2", "2001:db8::3"}));
}

TEST(ReverseLookupTest, LoopbackHasAName) {
  // 127.0.0.1 is named in /etc/hosts on any sane system; no DNS is involved.
  auto name = reverse_lookup(ip("127.0.0.1"));
  ASSERT_TRUE(name.has_value());
  EXPECT_FALSE(name->empty());
  EXPECT_NE(*name, "127.0.0.1");  // NI_NAMEREQD: a name, never the address as text
}

}  // namespace
}  // namespace portolan
