// Hand-built test frames for the link tests: Ethernet, IPv4, TCP and UDP with
// correct checksums, enough to provoke the kernel (a SYN-ACK, a UDP datagram)
// without depending on the packet module's builders.
#pragma once

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"

namespace portolan::testing {

constexpr uint8_t kTcpFin = 0x01;
constexpr uint8_t kTcpSyn = 0x02;
constexpr uint8_t kTcpRst = 0x04;
constexpr uint8_t kTcpAck = 0x10;

inline uint16_t checksum(const uint8_t* data, size_t len, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (len % 2 != 0) sum += static_cast<uint32_t>(data[len - 1] << 8);
  while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

inline void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put32(uint8_t* p, uint32_t v) {
  put16(p, static_cast<uint16_t>(v >> 16));
  put16(p + 2, static_cast<uint16_t>(v));
}

inline std::vector<uint8_t> ethernet(const MacAddress& dst, const MacAddress& src, uint16_t type,
                                     std::span<const uint8_t> payload) {
  std::vector<uint8_t> f(14 + payload.size());
  std::memcpy(f.data(), dst.bytes.data(), 6);
  std::memcpy(f.data() + 6, src.bytes.data(), 6);
  put16(f.data() + 12, type);
  if (!payload.empty()) std::memcpy(f.data() + 14, payload.data(), payload.size());
  if (f.size() < 60) f.resize(60);  // Ethernet minimum (without FCS)
  return f;
}

// An IPv4 packet carrying `l4` (whose checksum at `l4_checksum_at` is filled
// in over the pseudo-header), wrapped in Ethernet.
inline std::vector<uint8_t> ipv4_frame(const MacAddress& dst_mac, const MacAddress& src_mac,
                                       const IpAddress& src, const IpAddress& dst, uint8_t proto,
                                       std::vector<uint8_t> l4, size_t l4_checksum_at) {
  uint8_t pseudo[12];
  std::memcpy(pseudo, src.bytes().data(), 4);
  std::memcpy(pseudo + 4, dst.bytes().data(), 4);
  pseudo[8] = 0;
  pseudo[9] = proto;
  put16(pseudo + 10, static_cast<uint16_t>(l4.size()));
  uint32_t sum = 0;
  for (size_t i = 0; i < 12; i += 2) sum += static_cast<uint32_t>(pseudo[i] << 8 | pseudo[i + 1]);
  put16(l4.data() + l4_checksum_at, checksum(l4.data(), l4.size(), sum));

  std::vector<uint8_t> ip(20 + l4.size());
  ip[0] = 0x45;
  put16(ip.data() + 2, static_cast<uint16_t>(ip.size()));
  ip[8] = 64;
  ip[9] = proto;
  std::memcpy(ip.data() + 12, src.bytes().data(), 4);
  std::memcpy(ip.data() + 16, dst.bytes().data(), 4);
  put16(ip.data() + 10, checksum(ip.data(), 20));
  std::memcpy(ip.data() + 20, l4.data(), l4.size());
  return ethernet(dst_mac, src_mac, 0x0800, ip);
}

inline std::vector<uint8_t> tcp_frame(const MacAddress& dst_mac, const MacAddress& src_mac,
                                      const IpAddress& src, const IpAddress& dst, uint16_t sport,
                                      uint16_t dport, uint8_t flags, uint32_t seq = 1000,
                                      uint32_t ack = 2000) {
  std::vector<uint8_t> tcp(20);
  put16(tcp.data(), sport);
  put16(tcp.data() + 2, dport);
  put32(tcp.data() + 4, seq);
  put32(tcp.data() + 8, ack);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  put16(tcp.data() + 14, 64240);
  return ipv4_frame(dst_mac, src_mac, src, dst, IPPROTO_TCP, std::move(tcp), 16);
}

inline std::vector<uint8_t> udp_frame(const MacAddress& dst_mac, const MacAddress& src_mac,
                                      const IpAddress& src, const IpAddress& dst, uint16_t sport,
                                      uint16_t dport) {
  std::vector<uint8_t> udp(8 + 4, 0x55);
  put16(udp.data(), sport);
  put16(udp.data() + 2, dport);
  put16(udp.data() + 4, static_cast<uint16_t>(udp.size()));
  put16(udp.data() + 6, 0);
  return ipv4_frame(dst_mac, src_mac, src, dst, IPPROTO_UDP, std::move(udp), 6);
}

}  // namespace portolan::testing
