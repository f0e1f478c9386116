#include "portolan/scan/address_index.h"

#include <bit>
#include <cstring>

namespace portolan {
namespace {

uint64_t mix(uint64_t x) {
  // splitmix64's finaliser: consecutive addresses land far apart.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

void AddressIndex::key_of(const IpAddress& a, uint64_t& hi, uint64_t& lo) {
  const auto& b = a.bytes();
  std::memcpy(&hi, b.data(), 8);
  std::memcpy(&lo, b.data() + 8, 8);
  if (a.is_v4()) {
    lo = hi & 0xffffffffULL;  // only 4 significant bytes
    hi = 0x4;                 // keeps v4 apart from v6 ::a.b.c.d
  }
}

AddressIndex::AddressIndex(std::span<const IpAddress> hosts) {
  const size_t want = std::bit_ceil(std::max<size_t>(16, hosts.size() * 2));
  slots_.resize(want);
  mask_ = want - 1;
  for (size_t i = 0; i < hosts.size(); ++i) {
    uint64_t hi, lo;
    key_of(hosts[i], hi, lo);
    size_t at = mix(hi * 31 + lo) & mask_;
    while (slots_[at].index != kMissing) {
      if (slots_[at].hi == hi && slots_[at].lo == lo) break;
      at = (at + 1) & mask_;
    }
    if (slots_[at].index == kMissing) slots_[at] = {hi, lo, static_cast<uint32_t>(i)};
  }
}

uint32_t AddressIndex::find(const IpAddress& address) const {
  uint64_t hi, lo;
  key_of(address, hi, lo);
  size_t at = mix(hi * 31 + lo) & mask_;
  while (slots_[at].index != kMissing) {
    if (slots_[at].hi == hi && slots_[at].lo == lo) return slots_[at].index;
    at = (at + 1) & mask_;
  }
  return kMissing;
}

}  // namespace portolan
