// SipHash-2-4: the keyed hash behind probe cookies (probe_cookie.h).
//
// A pseudorandom function of a message under a 128-bit secret key, from
// Aumasson & Bernstein, "SipHash: a fast short-input PRF" (2012). Unlike a
// plain hash, seeing any number of (message, hash) pairs does not let an
// observer predict the hash of another message without the key; and on the
// 13 to 38 byte inputs we feed it (a connection's 4-tuple) it costs tens of
// nanoseconds, which is what a per-packet check can afford.
//
// The key is two 64-bit words: k0 is the first 8 key bytes read little-endian,
// k1 the last 8 (so the reference key 00 01 .. 0f is k0 = 0x0706050403020100).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace portolan {

// SipHash-2-4 with 64-bit output of `message` (any length, may be empty).
uint64_t siphash24(uint64_t k0, uint64_t k1, std::span<const std::byte> message);

// The same function of the message made of `words`, each written as 8
// little-endian bytes (so 8 * words.size() bytes), computed without building
// those bytes: the fixed-size inputs of the hot path.
uint64_t siphash24(uint64_t k0, uint64_t k1, std::span<const uint64_t> words);

// Two words: an IPv4 4-tuple fits in them.
uint64_t siphash24(uint64_t k0, uint64_t k1, uint64_t m0, uint64_t m1);

}  // namespace portolan
