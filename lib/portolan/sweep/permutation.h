// Permutation: the random order in which a sweep visits (host, port) pairs.
//
// A scan of a block numbers its probes 0 .. n-1 (the engine lays them out,
// e.g. host-major: element = host * ports + port) and must send them in an
// order that looks random, with no memory per probe and with random access:
// element(position) for any position, so that shards can take every N-th
// position and a resumed scan can jump straight past what it already sent.
//
// The one idea: a block cipher on a small domain is a permutation. We encrypt
// the position with a balanced Feistel network over b bits (b the smallest
// even number with 2^b >= n): split x into two b/2-bit halves L, R and repeat
// (L, R) <- (R, L xor F_k(R)) for six rounds, each with its own key. Whatever
// the round function F, every round is invertible, so the whole network is a
// bijection of [0, 2^b); a good F makes it look like a random one. To land in
// [0, n) we cycle-walk: encrypt again while the result is >= n. Following the
// cipher's cycles from a point inside [0, n) to the next point inside [0, n)
// is itself a bijection of [0, n), and since 2^b <= 4n it takes at most four
// encryptions on average. State: the size and six round keys, whatever n is.
// Running the rounds backwards and walking the other way inverts it, so the
// position of an element is as cheap to find as the element of a position.
//
// Why hosts see no bursts: consecutive positions are encryptions of
// consecutive numbers, which a pseudorandom permutation maps to unrelated
// elements. Among w consecutive positions a given host (owning p of the n
// elements) appears about w * p / n times, like drawing without replacement,
// instead of p times in a row as a host-major loop would; a /16 at 100 ports
// spreads each host's probes over the whole block. (ZMap gets this from a
// cyclic group, masscan from its "blackrock" Feistel; same idea.)
//
// Keyed by a 64-bit seed (nmap's --seed): the same seed and size give the
// same order, on any machine, which is what makes shards and resume agree.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>

namespace portolan {

class Permutation {
 public:
  static constexpr int kRounds = 6;
  static constexpr size_t kLanes = 8;

  // A permutation of [0, size); any size, including 0 and 1.
  Permutation(uint64_t size, uint64_t seed);

  uint64_t size() const { return size_; }
  uint64_t seed() const { return seed_; }

  // The element at `position`, which must be < size(). Pure and thread-safe:
  // the same position always gives the same element, and distinct positions
  // distinct elements.
  uint64_t at(uint64_t position) const {
    assert(position < size_);
    uint64_t x = position;
    do {
      x = encrypt(x);
    } while (x >= size_);
    return x;
  }

  // Fills `out` with the elements at positions first, first + stride,
  // first + 2 * stride, ... (all < size(), stride >= 1), in that order: what
  // a sender asks for a batch at a time. Same results as at(), faster (about
  // 1.5x at a typical walk length): it walks kLanes positions at once without
  // branching on where each walk ends, so the CPU overlaps their rounds
  // instead of stalling on a mispredicted loop exit per element.
  void fill(uint64_t first, uint64_t stride, std::span<uint64_t> out) const;

  // The position holding `element` (< size()): the inverse of at(), at the
  // same cost. Lets a shard tell its elements from others' without a bitmap.
  uint64_t position_of(uint64_t element) const {
    assert(element < size_);
    uint64_t x = element;
    do {
      x = decrypt(x);
    } while (x >= size_);
    return x;
  }

 private:
  uint64_t encrypt(uint64_t x) const {
    uint64_t left = x >> half_bits_;
    uint64_t right = x & half_mask_;
    for (uint64_t key : keys_) {
      const uint64_t next = left ^ round_function(key, right);
      left = right;
      right = next;
    }
    return (left << half_bits_) | right;
  }

  // Runs the rounds backwards: (L, R) <- (R xor F_k(L), L).
  uint64_t decrypt(uint64_t x) const {
    uint64_t left = x >> half_bits_;
    uint64_t right = x & half_mask_;
    for (auto key = keys_.rbegin(); key != keys_.rend(); ++key) {
      const uint64_t previous = right ^ round_function(*key, left);
      right = left;
      left = previous;
    }
    return (left << half_bits_) | right;
  }

  // Two multiply-xorshift steps (the murmur3 finalizer's shape) over the
  // keyed half; the result is taken from the top bits, which depend on every
  // input bit. Not a cryptographic PRF, and it need not be: the order only
  // has to look random, the seed is not a secret.
  uint64_t round_function(uint64_t key, uint64_t half) const {
    uint64_t h = (half ^ key) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    return h >> top_shift_;
  }

  uint64_t size_;
  uint64_t seed_;
  int half_bits_;
  int top_shift_;  // 64 - half_bits_
  uint64_t half_mask_;
  std::array<uint64_t, kRounds> keys_;
};

}  // namespace portolan
