// PortSet: the bitmap operations that are not one-liners in the header.
//
// Bit b of word w is port w * 64 + b. Walks go word by word and use
// countr_zero/countr_one to jump over runs, so "-p-" (65535 ports, one run)
// compresses in 1024 word reads.
#include "portolan/ports/port_set.h"

#include <bit>

#include <fmt/format.h>

namespace portolan {
namespace {

constexpr uint64_t kAllOnes = ~uint64_t{0};

// Ones at bit positions lo..hi of one word (0 <= lo <= hi <= 63).
constexpr uint64_t word_mask(unsigned lo, unsigned hi) {
  uint64_t upto_hi = hi == 63 ? kAllOnes : (uint64_t{1} << (hi + 1)) - 1;
  return upto_hi & (kAllOnes << lo);
}

}  // namespace

void PortSet::add_range(Protocol p, uint16_t lo, uint16_t hi) {
  if (lo > hi) return;
  auto& words = bits_[idx(p)];
  size_t first = lo >> 6;
  size_t last = hi >> 6;
  unsigned lo_bit = lo & 63u;
  unsigned hi_bit = hi & 63u;
  if (first == last) {
    words[first] |= word_mask(lo_bit, hi_bit);
    return;
  }
  words[first] |= word_mask(lo_bit, 63);
  for (size_t w = first + 1; w < last; ++w) words[w] = kAllOnes;
  words[last] |= word_mask(0, hi_bit);
}

size_t PortSet::count(Protocol p) const {
  size_t total = 0;
  for (uint64_t word : bits_[idx(p)]) total += static_cast<size_t>(std::popcount(word));
  return total;
}

size_t PortSet::count() const {
  size_t total = 0;
  for (size_t i = 0; i < bits_.size(); ++i) total += count(static_cast<Protocol>(i));
  return total;
}

void PortSet::subtract(const PortSet& other) {
  for (size_t i = 0; i < bits_.size(); ++i) {
    for (size_t w = 0; w < kWords; ++w) bits_[i][w] &= ~other.bits_[i][w];
  }
}

void PortSet::merge(const PortSet& other) {
  for (size_t i = 0; i < bits_.size(); ++i) {
    for (size_t w = 0; w < kWords; ++w) bits_[i][w] |= other.bits_[i][w];
  }
}

std::vector<uint16_t> PortSet::ports(Protocol p) const {
  const auto& words = bits_[idx(p)];
  std::vector<uint16_t> out;
  out.reserve(count(p));
  for (size_t w = 0; w < kWords; ++w) {
    for (uint64_t word = words[w]; word != 0; word &= word - 1) {
      out.push_back(static_cast<uint16_t>(w * 64 + static_cast<size_t>(std::countr_zero(word))));
    }
  }
  return out;
}

std::string PortSet::compressed(Protocol p) const {
  const auto& words = bits_[idx(p)];
  // The first set port at or after `from`, or 65536.
  auto next_set = [&](uint32_t from) -> uint32_t {
    for (size_t w = from >> 6; w < kWords; ++w) {
      uint64_t word = words[w];
      if (w == (from >> 6)) word &= kAllOnes << (from & 63);
      if (word != 0) return static_cast<uint32_t>(w * 64 + std::countr_zero(word));
    }
    return 65536;
  };
  // The first clear port at or after `from`, or 65536.
  auto next_clear = [&](uint32_t from) -> uint32_t {
    for (size_t w = from >> 6; w < kWords; ++w) {
      uint64_t word = ~words[w];
      if (w == (from >> 6)) word &= kAllOnes << (from & 63);
      if (word != 0) return static_cast<uint32_t>(w * 64 + std::countr_zero(word));
    }
    return 65536;
  };
  std::string out;
  for (uint32_t start = next_set(0); start < 65536;) {
    uint32_t end = next_clear(start) - 1;
    if (!out.empty()) out += ',';
    out += end == start ? fmt::format("{}", start) : fmt::format("{}-{}", start, end);
    if (end >= 65535) break;
    start = next_set(end + 1);
  }
  return out;
}

}  // namespace portolan
