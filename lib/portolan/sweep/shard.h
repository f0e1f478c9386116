// Shard and SweepCursor: splitting one probe order between machines, and
// walking one machine's share of it from where a previous run stopped.
//
// Shard I of N takes positions I-1, I-1+N, I-1+2N, ... of the permutation
// (masscan's --shard, ZMap's --shard/--shards): because every machine
// computes the same permutation from the same seed, the shards are disjoint
// and together cover every probe, with no coordination; and each shard's
// positions are still spread over all hosts. A cursor's progress is a single
// count of positions consumed, which is all a checkpoint needs to resume.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "portolan/core/result.h"
#include "portolan/sweep/permutation.h"

namespace portolan {

struct Shard {
  uint32_t index = 1;  // 1-based, as users write it: 1 .. count
  uint32_t count = 1;

  // "I/N", the form parse_shard() accepts.
  std::string to_string() const;

  bool operator==(const Shard&) const = default;
};

// Parses --shard "I/N" (decimal, 1 <= I <= N < 2^32, no spaces). Errors name
// the option and quote the text, e.g. "invalid --shard '0/4': I must be
// between 1 and N".
Result<Shard> parse_shard(std::string_view text);

class SweepCursor {
 public:
  // Walks `shard`'s positions of a copy of `permutation`, skipping the first
  // `done` of them (a resumed run passes the count its checkpoint stored;
  // more than total() means nothing is left). `shard` must be valid
  // (1 <= index <= count), as parse_shard() guarantees.
  SweepCursor(const Permutation& permutation, Shard shard, uint64_t done = 0);

  // Sets `element` to the next element of this shard and returns true, or
  // returns false (leaving `element` alone) once the shard is exhausted.
  bool next(uint64_t& element) {
    if (done_ >= total_) return false;
    element = permutation_.at(first_ + done_ * stride_);
    ++done_;
    return true;
  }

  // Fills the front of `out` with the next elements of this shard, in the
  // order next() would give them, and returns how many (0 once exhausted).
  // The fast path for a sender: see Permutation::fill.
  size_t next_batch(std::span<uint64_t> out) {
    const uint64_t left = total_ - done_;
    const size_t n = left < out.size() ? static_cast<size_t>(left) : out.size();
    permutation_.fill(first_ + done_ * stride_, stride_, out.first(n));
    done_ += n;
    return n;
  }

  // Whether `element` (< the permutation's size) is one of this shard's,
  // reached yet or not: its position is index-1 modulo count. O(1).
  bool owns(uint64_t element) const {
    return permutation_.position_of(element) % stride_ == first_;
  }

  // Positions consumed so far, including the skipped ones: what a checkpoint
  // stores to resume here.
  uint64_t done() const { return done_; }
  // This shard's share of the permutation: ceil((size - (index - 1)) / count).
  uint64_t total() const { return total_; }

 private:
  Permutation permutation_;
  uint64_t first_;
  uint64_t stride_;
  uint64_t total_;
  uint64_t done_;
};

}  // namespace portolan
