// SipHash-2-4 from the paper's description (section 2): four 64-bit words of
// state, initialised from the key xor "somepseudorandomlygeneratedbytes";
// each 8-byte little-endian message word m is absorbed as v3 ^= m, two
// SipRounds, v0 ^= m. The last word holds the remaining bytes with the message
// length mod 256 in its top byte; then v2 ^= 0xff, four SipRounds, and the
// output is v0 ^ v1 ^ v2 ^ v3.
#include "portolan/sweep/siphash.h"

#include <bit>
#include <cstring>

namespace portolan {
namespace {

struct SipState {
  uint64_t v0, v1, v2, v3;

  SipState(uint64_t k0, uint64_t k1)
      : v0(k0 ^ 0x736f6d6570736575ULL),
        v1(k1 ^ 0x646f72616e646f6dULL),
        v2(k0 ^ 0x6c7967656e657261ULL),
        v3(k1 ^ 0x7465646279746573ULL) {}

  void round() {
    v0 += v1;
    v1 = std::rotl(v1, 13);
    v1 ^= v0;
    v0 = std::rotl(v0, 32);
    v2 += v3;
    v3 = std::rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = std::rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = std::rotl(v1, 17);
    v1 ^= v2;
    v2 = std::rotl(v2, 32);
  }

  void absorb(uint64_t m) {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }

  uint64_t finish() {
    v2 ^= 0xff;
    round();
    round();
    round();
    round();
    return v0 ^ v1 ^ v2 ^ v3;
  }
};

// Reads 8 bytes as a little-endian word, whatever the host's order.
uint64_t load_le64(const std::byte* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

}  // namespace

uint64_t siphash24(uint64_t k0, uint64_t k1, std::span<const std::byte> message) {
  SipState s(k0, k1);
  const std::byte* p = message.data();
  size_t left = message.size();
  for (; left >= 8; left -= 8, p += 8) s.absorb(load_le64(p));
  // The last word: the 0..7 remaining bytes, the length mod 256 on top.
  uint64_t last = static_cast<uint64_t>(message.size()) << 56;
  for (size_t i = 0; i < left; ++i) last |= static_cast<uint64_t>(p[i]) << (8 * i);
  s.absorb(last);
  return s.finish();
}

uint64_t siphash24(uint64_t k0, uint64_t k1, std::span<const uint64_t> words) {
  SipState s(k0, k1);
  for (uint64_t w : words) s.absorb(w);
  s.absorb(static_cast<uint64_t>(words.size() * 8) << 56);
  return s.finish();
}

uint64_t siphash24(uint64_t k0, uint64_t k1, uint64_t m0, uint64_t m1) {
  SipState s(k0, k1);
  s.absorb(m0);
  s.absorb(m1);
  s.absorb(uint64_t{16} << 56);
  return s.finish();
}

}  // namespace portolan
