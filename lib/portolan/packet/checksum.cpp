#include "portolan/packet/checksum.h"

#include <bit>
#include <cstring>

namespace portolan {
namespace {

uint16_t fold(uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

uint16_t swap16(uint16_t v) {
  return static_cast<uint16_t>((v << 8) | (v >> 8));
}

// The one's-complement sum of `data` as big-endian 16-bit words, the last odd
// byte padded with zero. The loop adds 32-bit halves of native-order words into a
// 64-bit accumulator, which cannot overflow for any span that fits in memory, and fixes
// the byte order once at the end: the sum is independent of byte order up to a
// final swap (RFC 1071 section 2(B)).
uint16_t sum_be_words(std::span<const std::byte> data) {
  const std::byte* p = data.data();
  size_t n = data.size();
  uint64_t sum = 0;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    sum += (w & 0xffffffff) + (w >> 32);
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    sum += w;
    p += 4;
    n -= 4;
  }
  if (n >= 2) {
    uint16_t w;
    std::memcpy(&w, p, 2);
    sum += w;
    p += 2;
    n -= 2;
  }
  if (n == 1) {
    const std::byte last[2] = {*p, std::byte{0}};
    uint16_t w;
    std::memcpy(&w, last, 2);
    sum += w;
  }
  const uint16_t native = fold(sum);
  if constexpr (std::endian::native == std::endian::little) return swap16(native);
  return native;
}

}  // namespace

InternetChecksum& InternetChecksum::add(std::span<const std::byte> data) {
  const uint16_t part = sum_be_words(data);
  sum_ += odd_ ? swap16(part) : part;
  if (data.size() % 2 != 0) odd_ = !odd_;
  return *this;
}

InternetChecksum& InternetChecksum::add(const IpAddress& address) {
  const size_t n = address.is_v4() ? 4 : 16;
  return add(std::as_bytes(std::span(address.bytes().data(), n)));
}

uint16_t InternetChecksum::folded() const {
  return fold(sum_);
}

uint16_t internet_checksum(std::span<const std::byte> data) {
  return InternetChecksum().add(data).value();
}

InternetChecksum pseudo_header_sum(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                                   uint32_t upper_length) {
  // Both layouts sum to the same words: the addresses, the protocol (next
  // header) in a zero-padded word, and the length (16 bits for IPv4, 32 for
  // IPv6, whose high half is zero for anything but a jumbogram).
  InternetChecksum sum;
  sum.add(src).add(dst).add16(protocol).add32(upper_length);
  return sum;
}

}  // namespace portolan
