// The Internet checksum (RFC 1071) of IPv4 headers, TCP, UDP, ICMP and ICMPv6.
//
// The one idea: the checksum is a one's-complement sum, which can be built
// from pieces in any order. So a sum is carried as an `InternetChecksum`,
// pieces are added to it (a pseudo-header, a header written in place, a
// payload held elsewhere) and only `value()` folds and complements. Pieces of
// odd length are allowed anywhere: the next piece then starts on an odd byte,
// which RFC 1071 section 2(B) handles by swapping the bytes of its sum.
//
// Values are host-order numbers of what the wire holds big-endian: store
// `value()` with a big-endian write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "portolan/net/ip_address.h"

namespace portolan {

class InternetChecksum {
 public:
  // Adds bytes as they are on the wire.
  InternetChecksum& add(std::span<const std::byte> data);
  // Adds a 16- or 32-bit field given in host order, as it would be written
  // big-endian at the current position.
  InternetChecksum& add16(uint16_t value) {
    sum_ += odd_ ? static_cast<uint16_t>((value << 8) | (value >> 8)) : value;
    return *this;
  }
  InternetChecksum& add32(uint32_t value) {
    return add16(static_cast<uint16_t>(value >> 16)).add16(static_cast<uint16_t>(value));
  }
  // Adds an address's significant bytes (4 for IPv4, 16 for IPv6).
  InternetChecksum& add(const IpAddress& address);

  // The folded one's-complement sum, not complemented: a region that carries
  // a correct checksum sums to 0xffff.
  uint16_t folded() const;
  // The checksum to store in the header (the complement of `folded()`).
  uint16_t value() const { return static_cast<uint16_t>(~folded()); }

 private:
  uint64_t sum_ = 0;
  bool odd_ = false;  // the bytes added so far end on an odd position
};

// The checksum of one contiguous region (an IPv4 header, an ICMPv4 message).
uint16_t internet_checksum(std::span<const std::byte> data);

// A sum started with the TCP/UDP/ICMPv6 pseudo-header: RFC 793 / RFC 768 for
// IPv4 sources, RFC 8200 section 8.1 for IPv6. `src` and `dst` must be of the
// same family; `upper_length` is the transport header plus payload in bytes.
InternetChecksum pseudo_header_sum(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                                   uint32_t upper_length);

}  // namespace portolan
