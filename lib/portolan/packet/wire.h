// Numbers of the wire formats the raw engine speaks, shared by the probe
// builders and the frame parser: EtherTypes, IP protocol numbers, header sizes,
// ICMP types, and big-endian stores into a frame being written.
//
// The stores write host-order values in network byte order at a pointer the
// caller has already checked to be inside its buffer; they do no bounds checks
// of their own (reading goes through ByteReader, which does).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace portolan::wire {

inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeIpv6 = 0x86dd;
inline constexpr uint16_t kEtherTypeVlan = 0x8100;  // 802.1Q customer tag
inline constexpr uint16_t kEtherTypeQinQ = 0x88a8;  // 802.1ad service tag

inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoIcmpv6 = 58;
// IPv6 extension headers (RFC 8200 section 4).
inline constexpr uint8_t kIpv6HopByHop = 0;
inline constexpr uint8_t kIpv6Routing = 43;
inline constexpr uint8_t kIpv6Fragment = 44;
inline constexpr uint8_t kIpv6DestOptions = 60;

inline constexpr size_t kEthernetHeader = 14;
inline constexpr size_t kVlanTag = 4;
inline constexpr size_t kArpPacket = 28;   // Ethernet/IPv4 ARP
inline constexpr size_t kIpv4Header = 20;  // without options
inline constexpr size_t kIpv6Header = 40;
inline constexpr size_t kTcpHeader = 20;  // without options
inline constexpr size_t kUdpHeader = 8;
inline constexpr size_t kIcmpHeader = 8;  // type, code, checksum, 4 bytes by type

inline constexpr uint16_t kIpv4MoreFragments = 0x2000;
inline constexpr uint16_t kIpv4FragmentOffsetMask = 0x1fff;

inline constexpr uint8_t kIcmpEchoReply = 0;
inline constexpr uint8_t kIcmpUnreachable = 3;
inline constexpr uint8_t kIcmpEchoRequest = 8;
inline constexpr uint8_t kIcmpTimeExceeded = 11;
inline constexpr uint8_t kIcmpTimestampRequest = 13;
inline constexpr uint8_t kIcmpTimestampReply = 14;

inline constexpr uint8_t kIcmpv6Unreachable = 1;
inline constexpr uint8_t kIcmpv6TimeExceeded = 3;
inline constexpr uint8_t kIcmpv6EchoRequest = 128;
inline constexpr uint8_t kIcmpv6EchoReply = 129;
inline constexpr uint8_t kIcmpv6NeighborSolicit = 135;
inline constexpr uint8_t kIcmpv6NeighborAdvert = 136;
// Neighbour discovery options (RFC 4861 section 4.6.1), in units of 8 bytes.
inline constexpr uint8_t kNdOptSourceLinkAddr = 1;
inline constexpr uint8_t kNdOptTargetLinkAddr = 2;
// Neighbour discovery packets must arrive with hop limit 255, which proves
// they were not forwarded by a router (RFC 4861 section 7.1).
inline constexpr uint8_t kNdHopLimit = 255;

inline constexpr uint16_t kArpHardwareEthernet = 1;
inline constexpr uint16_t kArpRequest = 1;
inline constexpr uint16_t kArpReply = 2;

inline void store_u8(std::byte* p, uint8_t v) {
  *p = std::byte{v};
}
inline void store_be16(std::byte* p, uint16_t v) {
  p[0] = std::byte(static_cast<uint8_t>(v >> 8));
  p[1] = std::byte(static_cast<uint8_t>(v));
}
inline void store_be32(std::byte* p, uint32_t v) {
  p[0] = std::byte(static_cast<uint8_t>(v >> 24));
  p[1] = std::byte(static_cast<uint8_t>(v >> 16));
  p[2] = std::byte(static_cast<uint8_t>(v >> 8));
  p[3] = std::byte(static_cast<uint8_t>(v));
}
inline void store_bytes(std::byte* p, const uint8_t* src, size_t n) {
  std::memcpy(p, src, n);
}

}  // namespace portolan::wire
