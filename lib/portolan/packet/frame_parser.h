// The frame parser: what came back from the network, decoded into one flat
// ParsedReply the raw engine's receiver thread can match against its probes.
//
// The one idea: every captured frame is untrusted and arrives on the hot path,
// so parse_frame reads it only through a bounds-checked ByteReader, fills a
// fixed struct (no allocation), and reports anything it cannot use as a
// ParseStatus for the caller to count, never as an exception. It understands
// exactly what replies to our probes look like: Ethernet (up to two VLAN tags),
// ARP, IPv4, IPv6 (skipping hop-by-hop, routing and destination-options
// headers), TCP, UDP, ICMPv4 and ICMPv6, including the packet an ICMP error
// quotes, which is how an error is tied back to the probe that caused it.
//
// Transport checksums are not verified: a capture on a veth or loopback device
// sees the sender's packets before checksum offload finishes them. The IPv4
// header checksum is always computed in software, so it is verified.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"

namespace portolan {

enum class ParseStatus : uint8_t {
  kOk,
  // The frame ends before its Ethernet, VLAN, ARP or IP header does, or
  // before the length the IP header declares: a short capture.
  kTruncated,
  // Inside an IP packet of its declared length, something is impossible: the
  // wrong IP version, a header length below the minimum, a header or length
  // that does not fit in the layer containing it, an ND option of length zero,
  // an ND packet that was routed (hop limit not 255).
  kMalformed,
  kBadChecksum,  // the IPv4 header checksum does not verify
  // Well-formed, but nothing a scan can use: another EtherType or protocol,
  // an IP fragment, more than two VLAN tags, more than eight IPv6 extension
  // headers, non-Ethernet/IPv4 ARP.
  kUnsupported,
};
std::string_view to_string(ParseStatus status);

enum class ReplyKind : uint8_t {
  kTcp,
  kUdp,
  kIcmpUnreachable,     // ICMPv4 type 3 or ICMPv6 type 1; `quoted` is set
  kIcmpTimeExceeded,    // ICMPv4 type 11 or ICMPv6 type 3; `quoted` is set
  kIcmpEchoReply,       // ICMPv4 type 0 or ICMPv6 type 129
  kIcmpTimestampReply,  // ICMPv4 type 14
  kIcmpOther,           // any other ICMP or ICMPv6 type; only the type and code are read
  kArp,
  kNeighborAdvert,   // ICMPv6 type 136
  kNeighborSolicit,  // ICMPv6 type 135
};
std::string_view to_string(ReplyKind kind);

// The packet inside an ICMP error, usually our probe: its IP header and the
// first 8 bytes of its transport header, which RFC 792 and RFC 4443 guarantee
// are quoted. Only what the quote contains is set, as the has_* flags say.
struct QuotedPacket {
  uint8_t protocol = 0;  // IP protocol / final next header of the quoted packet
  IpAddress src;
  IpAddress dst;
  uint16_t ip_id = 0;      // IPv4 only
  uint8_t ttl = 0;         // as it was when the error was generated (hop limit for IPv6)
  bool has_ports = false;  // TCP or UDP and at least 4 transport bytes quoted
  uint16_t sport = 0;
  uint16_t dport = 0;
  bool has_tcp_seq = false;  // TCP and at least 8 transport bytes quoted
  uint32_t tcp_seq = 0;
  // ICMP or ICMPv6 with 8 bytes quoted; id and seq mean something for echo
  // and timestamp requests.
  bool has_icmp = false;
  uint8_t icmp_type = 0;
  uint16_t icmp_id = 0;
  uint16_t icmp_seq = 0;
};

// One decoded frame. Ports, numbers and lengths are in host order; addresses
// hold wire order. Which fields are valid depends on `kind`; the others are
// left at their zero defaults:
//   every kind:    eth_src, eth_dst, vlan (0 when untagged)
//   every IP kind: src, dst, ttl (hop limit for IPv6), ip_id (IPv4; 0 for IPv6)
//   kTcp:          sport, dport, seq, ack, tcp_flags, window, payload_offset, payload_len
//   kUdp:          sport, dport, payload_offset, payload_len
//   every ICMP:    icmp_type, icmp_code
//   kIcmpEchoReply, kIcmpTimestampReply: icmp_id, icmp_seq; for echo also
//                  payload_offset and payload_len (the echoed data)
//   kIcmpUnreachable, kIcmpTimeExceeded: quoted
//   kArp:          arp_op, link_mac and link_ip (the sender's; has_link_mac is
//                  set), src (the sender's IP) and dst (the target IP)
//   kNeighborAdvert: link_ip (the target address), link_mac when has_link_mac
//                  (the target link-layer address option), nd_flags
//   kNeighborSolicit: link_ip (the target address), link_mac when has_link_mac
//                  (the source link-layer address option)
struct ParsedReply {
  ReplyKind kind = ReplyKind::kIcmpOther;
  MacAddress eth_src;
  MacAddress eth_dst;
  uint16_t vlan = 0;  // VLAN id of the outer tag
  IpAddress src;
  IpAddress dst;
  uint8_t ttl = 0;
  uint16_t ip_id = 0;
  uint16_t sport = 0;
  uint16_t dport = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t tcp_flags = 0;  // TcpFlags bits
  uint16_t window = 0;
  // Where the transport payload starts in the frame, and its length (bounded
  // by the IP length, so Ethernet padding is not counted).
  uint16_t payload_offset = 0;
  uint16_t payload_len = 0;
  uint8_t icmp_type = 0;
  uint8_t icmp_code = 0;
  uint16_t icmp_id = 0;
  uint16_t icmp_seq = 0;
  QuotedPacket quoted;
  uint16_t arp_op = 0;  // 1 request, 2 reply
  bool has_link_mac = false;
  MacAddress link_mac;
  IpAddress link_ip;
  uint8_t nd_flags = 0;  // NA flags byte: 0x80 router, 0x40 solicited, 0x20 override
};

// Decodes one Ethernet frame. Returns kOk with `out` filled as documented on
// ParsedReply, or another status with `out` in an unspecified but valid state.
// Never reads outside `frame`, whatever its bytes; `out` holds no reference
// into it. Frames longer than 65535 bytes are not expected (payload_offset is
// 16 bits) and are reported kUnsupported.
ParseStatus parse_frame(std::span<const std::byte> frame, ParsedReply& out);

}  // namespace portolan
