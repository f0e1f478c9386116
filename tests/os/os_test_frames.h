// Test helpers for the os module: IPv4 frames assembled from hex transport
// bytes, with the IPv4 header checksum computed by packet_bytes.h's naive
// RFC 1071 sum (not the library's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "../packet/packet_bytes.h"

namespace portolan::testing {

// An untagged Ethernet frame (zero MACs) carrying IPv4 from 198.18.0.1 to
// 198.19.255.1 with protocol `protocol` and the transport bytes `l4_hex`.
inline std::vector<std::byte> ipv4_frame(uint8_t protocol, uint8_t ttl, bool df, uint16_t id,
                                         std::string_view l4_hex) {
  const std::vector<std::byte> l4 = hex(l4_hex);
  std::vector<uint8_t> ip = {0x45,
                             0x00,
                             static_cast<uint8_t>((20 + l4.size()) >> 8),
                             static_cast<uint8_t>(20 + l4.size()),
                             static_cast<uint8_t>(id >> 8),
                             static_cast<uint8_t>(id),
                             static_cast<uint8_t>(df ? 0x40 : 0x00),
                             0x00,
                             ttl,
                             protocol,
                             0x00,
                             0x00,
                             198,
                             18,
                             0,
                             1,
                             198,
                             19,
                             255,
                             1};
  const uint16_t sum = static_cast<uint16_t>(~naive_sum(ip));
  ip[10] = static_cast<uint8_t>(sum >> 8);
  ip[11] = static_cast<uint8_t>(sum);
  std::vector<std::byte> frame = hex("000000000000 000000000000 0800");
  for (uint8_t b : ip) frame.push_back(std::byte{b});
  frame.insert(frame.end(), l4.begin(), l4.end());
  return frame;
}

}  // namespace portolan::testing
