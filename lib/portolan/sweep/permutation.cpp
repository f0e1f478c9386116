// Permutation: domain sizing and key schedule; the cipher is inline in the
// header because it runs once per probe. See permutation.h.
#include "portolan/sweep/permutation.h"

#include <bit>

namespace portolan {
namespace {

// splitmix64: spreads one seed into independent-looking round keys, so seeds
// that differ in one bit still give unrelated orders.
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Permutation::Permutation(uint64_t size, uint64_t seed) : size_(size), seed_(seed) {
  // Smallest even b >= 2 with 2^b >= size; at most 64, so any size works.
  int bits = size <= 1 ? 0 : static_cast<int>(std::bit_width(size - 1));
  bits = bits < 2 ? 2 : bits + (bits & 1);
  half_bits_ = bits / 2;
  top_shift_ = 64 - half_bits_;
  half_mask_ = (uint64_t{1} << half_bits_) - 1;
  uint64_t state = seed;
  for (auto& key : keys_) key = splitmix64(state);
}

void Permutation::fill(uint64_t first, uint64_t stride, std::span<uint64_t> out) const {
  // Each lane carries one position through its cycle walk; a lane whose
  // value lands in range delivers it to that position's slot in `out` and
  // takes the next position. The loop body has no data-dependent branches
  // (selects only), so walks of different lengths do not stall each other.
  constexpr size_t kIdle = ~size_t{0};
  uint64_t left[kLanes];
  uint64_t right[kLanes];
  size_t slot[kLanes];
  size_t next = 0;
  size_t pending = 0;
  for (size_t lane = 0; lane < kLanes; ++lane) {
    const bool take = next < out.size();
    slot[lane] = take ? next : kIdle;
    const uint64_t x = take ? first + next * stride : 0;
    left[lane] = x >> half_bits_;
    right[lane] = x & half_mask_;
    next += take;
    pending += take;
  }
  uint64_t discard = 0;
  while (pending != 0) {
    for (uint64_t key : keys_) {
      for (size_t lane = 0; lane < kLanes; ++lane) {
        const uint64_t mixed = left[lane] ^ round_function(key, right[lane]);
        left[lane] = right[lane];
        right[lane] = mixed;
      }
    }
    for (size_t lane = 0; lane < kLanes; ++lane) {
      const uint64_t x = (left[lane] << half_bits_) | right[lane];
      const bool hit = x < size_ && slot[lane] != kIdle;
      *(hit ? &out[slot[lane]] : &discard) = x;
      pending -= hit;
      // A finished lane restarts from the next position (or idles).
      const bool take = hit && next < out.size();
      const uint64_t start = first + next * stride;
      const uint64_t y = take ? start : x;
      left[lane] = y >> half_bits_;
      right[lane] = y & half_mask_;
      slot[lane] = take ? next : (hit ? kIdle : slot[lane]);
      next += take;
      pending += take;
    }
  }
}

}  // namespace portolan
