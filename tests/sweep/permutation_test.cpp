// Permutation: a bijection for every size, reproducible per seed, and a
// spread that keeps any one host from seeing a burst.
#include "portolan/sweep/permutation.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace portolan {
namespace {

// Every element of [0, n) exactly once, and nothing outside it.
void expect_bijection(uint64_t n, uint64_t seed) {
  const Permutation p(n, seed);
  ASSERT_EQ(p.size(), n);
  std::vector<bool> seen(n);
  for (uint64_t pos = 0; pos < n; ++pos) {
    const uint64_t e = p.at(pos);
    ASSERT_LT(e, n) << "n=" << n << " pos=" << pos;
    ASSERT_FALSE(seen[e]) << "n=" << n << " element " << e << " twice";
    seen[e] = true;
  }
}

TEST(Permutation, IsABijectionForTinySizes) {
  for (uint64_t n = 1; n <= 300; ++n) expect_bijection(n, n * 7919);
}

TEST(Permutation, IsABijectionForAssortedSizes) {
  for (uint64_t n :
       {1000u, 1023u, 1024u, 1025u, 4097u, 12345u, 65535u, 65536u, 65537u, 69999u, 65535u * 3}) {
    expect_bijection(n, 42);
    expect_bijection(n, 0xdeadbeef);
  }
}

TEST(Permutation, PositionOfInvertsAt) {
  for (uint64_t n : {1u, 2u, 3u, 17u, 1000u, 65537u}) {
    const Permutation p(n, 99);
    for (uint64_t pos = 0; pos < n; ++pos) ASSERT_EQ(p.position_of(p.at(pos)), pos) << n;
  }
  const Permutation big(uint64_t{1} << 48, 5);
  for (uint64_t pos : {uint64_t{0}, uint64_t{123456789}, (uint64_t{1} << 48) - 1}) {
    EXPECT_EQ(big.position_of(big.at(pos)), pos);
  }
}

TEST(Permutation, FillGivesWhatAtGives) {
  for (uint64_t n : {1u, 2u, 7u, 100u, 4096u, 5000u, 65537u}) {
    const Permutation p(n, n);
    for (uint64_t stride : {1u, 3u, 7u}) {
      for (size_t count : {0u, 1u, 5u, 8u, 9u, 64u, 300u}) {
        for (uint64_t first : {uint64_t{0}, n / 3}) {
          const uint64_t fits = first < n ? (n - first - 1) / stride + 1 : 0;
          const size_t k = static_cast<size_t>(std::min<uint64_t>(count, fits));
          std::vector<uint64_t> out(k, ~uint64_t{0});
          p.fill(first, stride, out);
          for (size_t i = 0; i < k; ++i) {
            ASSERT_EQ(out[i], p.at(first + i * stride))
                << "n=" << n << " first=" << first << " stride=" << stride << " i=" << i;
          }
        }
      }
    }
  }
}

TEST(Permutation, EmptyAndSingletonWork) {
  const Permutation empty(0, 1);
  EXPECT_EQ(empty.size(), 0u);
  const Permutation one(1, 1);
  EXPECT_EQ(one.at(0), 0u);
  const Permutation two(2, 5);
  EXPECT_NE(two.at(0), two.at(1));
}

TEST(Permutation, StaysInRangeForHugeSizes) {
  // Far too big to enumerate: check that samples land in range, differ and
  // are reproducible (2^48 = a /16 times 2^32, the largest block we plan).
  for (uint64_t n :
       {(uint64_t{1} << 48), (uint64_t{1} << 48) - 1, (uint64_t{1} << 40) + 3, ~uint64_t{0}}) {
    const Permutation p(n, 9);
    std::vector<uint64_t> sample;
    for (uint64_t i = 0; i < 1000; ++i) {
      const uint64_t pos = (n - 1 - i * 0x123456789ULL) % n;
      sample.push_back(p.at(pos));
      ASSERT_LT(sample.back(), n);
      ASSERT_EQ(sample.back(), p.at(pos));
    }
    std::sort(sample.begin(), sample.end());
    EXPECT_EQ(std::adjacent_find(sample.begin(), sample.end()), sample.end());
  }
}

TEST(Permutation, SameSeedSameOrderOtherSeedOtherOrder) {
  const Permutation a(100000, 1234);
  const Permutation b(100000, 1234);
  const Permutation c(100000, 1235);
  int same_as_c = 0;
  for (uint64_t pos = 0; pos < 100000; ++pos) {
    ASSERT_EQ(a.at(pos), b.at(pos));
    same_as_c += a.at(pos) == c.at(pos);
  }
  EXPECT_EQ(a.seed(), 1234u);
  EXPECT_LT(same_as_c, 20);  // a random pair of permutations agrees at ~1 point
}

TEST(Permutation, IsNotCloseToTheIdentity) {
  const Permutation p(65536, 77);
  int fixed = 0;
  int ascending = 0;
  for (uint64_t pos = 0; pos + 1 < 65536; ++pos) {
    fixed += p.at(pos) == pos;
    ascending += p.at(pos) < p.at(pos + 1);
  }
  EXPECT_LT(fixed, 10);
  EXPECT_NEAR(ascending, 65536 / 2, 1000);
}

TEST(Permutation, NoHostSeesABurst) {
  // 4096 hosts x 100 ports, host-major (element = host * 100 + port): a
  // window of 256 consecutive probes expects 256/4096 = 1/16 probe per host.
  // A host-major loop would send one host 100 in a row; the permutation
  // should never send any host more than a handful within any window.
  constexpr uint64_t kHosts = 4096;
  constexpr uint64_t kPorts = 100;
  constexpr uint64_t kWindow = 256;
  const Permutation p(kHosts * kPorts, 2024);
  std::vector<uint64_t> host(kHosts * kPorts);
  for (uint64_t pos = 0; pos < host.size(); ++pos) host[pos] = p.at(pos) / kPorts;
  std::vector<int> in_window(kHosts);
  int worst = 0;
  for (uint64_t pos = 0; pos < host.size(); ++pos) {
    worst = std::max(worst, ++in_window[host[pos]]);
    if (pos >= kWindow - 1) --in_window[host[pos - (kWindow - 1)]];
  }
  EXPECT_LE(worst, 5);

  // And each host's probes spread over the whole block: its first and last
  // probe are far apart.
  std::vector<uint64_t> first(kHosts, ~uint64_t{0});
  std::vector<uint64_t> last(kHosts);
  for (uint64_t pos = 0; pos < host.size(); ++pos) {
    first[host[pos]] = std::min(first[host[pos]], pos);
    last[host[pos]] = pos;
  }
  for (uint64_t h = 0; h < kHosts; ++h) ASSERT_GT(last[h] - first[h], host.size() / 2);
}

}  // namespace
}  // namespace portolan
