// Test helpers for the packet module: frames written as hex, and a checksum
// check that shares no code with the library's, so a golden frame's checksums
// are verified by a second, naive implementation of RFC 1071.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace portolan::testing {

// "0800 45 00" -> bytes; spaces and newlines are ignored.
inline std::vector<std::byte> hex(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::byte> out;
  int high = -1;
  for (char c : text) {
    const int v = nibble(c);
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(std::byte(static_cast<uint8_t>(high * 16 + v)));
      high = -1;
    }
  }
  return out;
}

inline uint8_t u8(std::span<const std::byte> b, size_t at) {
  return static_cast<uint8_t>(b[at]);
}

// The folded one's-complement sum of big-endian words, byte by byte.
inline uint16_t naive_sum(const std::vector<uint8_t>& bytes) {
  uint32_t sum = 0;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    const uint32_t hi = bytes[i];
    const uint32_t lo = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    sum += (hi << 8) | lo;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(sum);
}

// True when the IPv4 header at `l3` of an untagged frame sums to 0xffff.
inline bool ipv4_header_checksum_ok(std::span<const std::byte> frame) {
  const size_t l3 = 14;
  const size_t ihl = (u8(frame, l3) & 0x0fu) * 4u;
  std::vector<uint8_t> b;
  for (size_t i = 0; i < ihl; ++i) b.push_back(u8(frame, l3 + i));
  return naive_sum(b) == 0xffff;
}

// True when the TCP, UDP or ICMP(v6) checksum of an untagged frame with an
// option-less IPv4 or extension-less IPv6 header verifies, pseudo-header and
// all. The pseudo-header is assembled byte by byte from the IP header.
inline bool transport_checksum_ok(std::span<const std::byte> frame) {
  const size_t l3 = 14;
  const bool v4 = (u8(frame, l3) >> 4) == 4;
  std::vector<uint8_t> b;
  size_t l4 = 0;
  size_t l4_len = 0;
  uint8_t protocol = 0;
  if (v4) {
    l4 = l3 + 20;
    l4_len = ((size_t{u8(frame, l3 + 2)} << 8) | u8(frame, l3 + 3)) - 20;
    protocol = u8(frame, l3 + 9);
    if (protocol != 1) {  // ICMPv4 has no pseudo-header
      for (size_t i = 12; i < 20; ++i) b.push_back(u8(frame, l3 + i));
      b.push_back(0);
      b.push_back(protocol);
      b.push_back(static_cast<uint8_t>(l4_len >> 8));
      b.push_back(static_cast<uint8_t>(l4_len));
    }
  } else {
    l4 = l3 + 40;
    l4_len = (size_t{u8(frame, l3 + 4)} << 8) | u8(frame, l3 + 5);
    protocol = u8(frame, l3 + 6);
    for (size_t i = 8; i < 40; ++i) b.push_back(u8(frame, l3 + i));
    b.insert(b.end(), {0, 0, static_cast<uint8_t>(l4_len >> 8), static_cast<uint8_t>(l4_len)});
    b.insert(b.end(), {0, 0, 0, protocol});
  }
  for (size_t i = 0; i < l4_len; ++i) b.push_back(u8(frame, l4 + i));
  return naive_sum(b) == 0xffff;
}

}  // namespace portolan::testing
