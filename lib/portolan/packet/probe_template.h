// Probe frames for the raw engine, built from a template (ZMap's
// prepare_packet / make_packet).
//
// The one idea: everything that is the same for every probe of a scan (source
// MAC and address, TTL, protocol, TCP flags, window and options, ICMP type) is
// written once into a ProbeTemplate when the scan starts. Per probe, `write_*`
// copies those bytes into the caller's buffer, fills in only what changes
// (destination, ports, sequence numbers, IP id, payload) and computes the
// checksums; the pseudo-header's constant half is summed in advance too. No
// allocation, no virtual call, no formatting on that path.
//
// Frames are always Ethernet: real NICs need it, and Linux's loopback device
// carries the same 14-byte header with all-zero addresses. IPv4 probes carry
// no options and do not set DF (as nmap's); IPv6 probes have flow label 0 and
// the transport header directly after the fixed header. Frames shorter than
// Ethernet's 60-byte minimum are not padded here: the driver pads them.
//
// Every argument is in host order unless it is a MacAddress or IpAddress,
// which hold wire order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"
#include "portolan/packet/checksum.h"

namespace portolan {

// TCP header flag bits (RFC 9293, RFC 3168 for ECE/CWR).
struct TcpFlags {
  static constexpr uint8_t kFin = 0x01;
  static constexpr uint8_t kSyn = 0x02;
  static constexpr uint8_t kRst = 0x04;
  static constexpr uint8_t kPsh = 0x08;
  static constexpr uint8_t kAck = 0x10;
  static constexpr uint8_t kUrg = 0x20;
  static constexpr uint8_t kEce = 0x40;
  static constexpr uint8_t kCwr = 0x80;
};

class ProbeTemplate {
 public:
  // The largest frame written: a 1500-byte IP packet in an untagged Ethernet frame.
  static constexpr size_t kMaxFrame = 1514;
  // The MSS option value nmap's SYN probes carry.
  static constexpr uint16_t kMss = 1460;

  // A TCP probe: `flags` from TcpFlags (kSyn for -sS, kAck for -PA), `window`
  // (nmap uses 1024), and, when `mss`, a single MSS option of 1460 as in nmap's
  // SYN. The family of `src` fixes the family of every probe.
  static ProbeTemplate tcp(const MacAddress& src_mac, const IpAddress& src, uint8_t flags,
                           uint16_t window, bool mss, uint8_t ttl);
  static ProbeTemplate udp(const MacAddress& src_mac, const IpAddress& src, uint8_t ttl);
  // ICMP echo request, or ICMPv6 echo request for an IPv6 source.
  static ProbeTemplate icmp_echo(const MacAddress& src_mac, const IpAddress& src, uint8_t ttl);
  // ICMP timestamp request (nmap -PP), with all three timestamps zero as nmap
  // sends them. IPv4 only: an IPv6 source is an error (ICMPv6 has no timestamp).
  static Result<ProbeTemplate> icmp_timestamp(const MacAddress& src_mac, const IpAddress& src,
                                              uint8_t ttl);

  IpFamily family() const { return family_; }
  // The IP protocol number (next header for IPv6) of the probes.
  uint8_t protocol() const { return protocol_; }

  // Each writes one complete Ethernet frame to the start of `out` and returns
  // its length. It returns 0 and leaves `out` in an unspecified state when
  // `out` is too small, the frame would exceed kMaxFrame, `dst` is of the other
  // family, or the template is for another protocol (write_icmp serves both
  // echo and timestamp templates). `ip_id` is ignored for IPv6, which has no
  // id outside a fragment header. A UDP checksum that computes to zero is sent
  // as 0xffff (RFC 768). The payload may not overlap `out`.
  size_t write_tcp(std::span<std::byte> out, const MacAddress& dst_mac, const IpAddress& dst,
                   uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                   uint16_t ip_id) const;
  size_t write_udp(std::span<std::byte> out, const MacAddress& dst_mac, const IpAddress& dst,
                   uint16_t sport, uint16_t dport, std::span<const std::byte> payload,
                   uint16_t ip_id) const;
  // For a timestamp template the payload follows the three timestamps.
  size_t write_icmp(std::span<std::byte> out, const MacAddress& dst_mac, const IpAddress& dst,
                    uint16_t id, uint16_t seq, std::span<const std::byte> payload,
                    uint16_t ip_id) const;

 private:
  enum class Kind : uint8_t { kTcp, kUdp, kIcmpEcho, kIcmpTimestamp };
  // Ethernet (14) + IPv6 (40) + TCP with MSS (24) is the longest prefix.
  static constexpr size_t kMaxPrefix = 80;

  ProbeTemplate(Kind kind, const MacAddress& src_mac, const IpAddress& src, uint8_t protocol,
                uint8_t ttl, size_t l4_header_len);
  // Copies the prefix, the destination MAC and the payload, and completes the
  // IP header; returns a pointer to the transport header, or nullptr when the
  // frame does not fit or `dst` is of the wrong family.
  std::byte* begin_frame(std::span<std::byte> out, const MacAddress& dst_mac, const IpAddress& dst,
                         std::span<const std::byte> payload, uint16_t ip_id) const;
  // The transport checksum over the header and payload now in the frame.
  uint16_t transport_checksum(const std::byte* l4, const IpAddress& dst, size_t l4_len) const;

  std::array<std::byte, kMaxPrefix> prefix_{};
  InternetChecksum pseudo_src_;  // source address and protocol of the pseudo-header
  uint8_t prefix_len_ = 0;
  uint8_t l4_offset_ = 0;
  uint8_t l4_header_len_ = 0;
  uint8_t protocol_ = 0;
  Kind kind_ = Kind::kTcp;
  IpFamily family_ = IpFamily::kV4;
};

// An ARP who-has for `target` from `src` (both IPv4), broadcast; writes it to
// the start of `out` and returns its length (42), or 0 when `out` is too small
// or either address is IPv6.
size_t write_arp_request(std::span<std::byte> out, const MacAddress& src_mac, const IpAddress& src,
                         const IpAddress& target);

// An ICMPv6 neighbour solicitation for `target` from `src` (both IPv6; `src`
// may be link-local or global) with a source link-layer address option, sent
// to the target's solicited-node multicast group ff02::1:ffXX:XXXX and its
// MAC 33:33:ff:XX:XX:XX with hop limit 255 (RFC 4861 section 7.2.2). Returns
// its length (86), or 0 when `out` is too small or an address is IPv4.
size_t write_neighbor_solicit(std::span<std::byte> out, const MacAddress& src_mac,
                              const IpAddress& src, const IpAddress& target);

}  // namespace portolan
