#include "portolan/packet/frame_parser.h"

#include <array>
#include <memory>

#include "portolan/packet/byte_reader.h"
#include "portolan/packet/checksum.h"
#include "portolan/packet/wire.h"

namespace portolan {
namespace {

constexpr int kMaxVlanTags = 2;
constexpr int kMaxIpv6Extensions = 8;
constexpr size_t kIcmpTimestampMessage = 20;
constexpr size_t kNdFixedPart = 20;  // after type/code/checksum: flags or reserved, target

bool read_v4(ByteReader& r, IpAddress& out) {
  uint32_t a = 0;
  if (!r.read_be32(a)) return false;
  out = IpAddress::v4(a);
  return true;
}

bool read_v6(ByteReader& r, IpAddress& out) {
  std::array<uint8_t, 16> a;
  if (!r.read_bytes(a)) return false;
  out = IpAddress::v6(a);
  return true;
}

bool read_mac(ByteReader& r, MacAddress& out) {
  return r.read_bytes(out.bytes);
}

bool is_vlan_tag(uint16_t ethertype) {
  return ethertype == wire::kEtherTypeVlan || ethertype == wire::kEtherTypeQinQ;
}

bool is_ipv6_extension(uint8_t next) {
  return next == wire::kIpv6HopByHop || next == wire::kIpv6Routing ||
         next == wire::kIpv6DestOptions;
}

enum class ExtensionWalk { kDone, kTooMany, kDoesNotFit };

// Moves `r` past the hop-by-hop, routing and destination-options headers
// (each: next header, length in 8-byte units not counting the first 8) and
// leaves in `next` the first header that is none of them.
ExtensionWalk skip_ipv6_extensions(ByteReader& r, uint8_t& next) {
  for (int count = 0; is_ipv6_extension(next); ++count) {
    if (count == kMaxIpv6Extensions) return ExtensionWalk::kTooMany;
    uint8_t following = 0;
    uint8_t units = 0;
    if (!r.read_u8(following) || !r.read_u8(units) || !r.skip(size_t{units} * 8 + 6)) {
      return ExtensionWalk::kDoesNotFit;
    }
    next = following;
  }
  return ExtensionWalk::kDone;
}

// The first transport bytes of a quoted packet: as many of ports, TCP sequence
// and ICMP id/seq as were quoted. `r` holds what follows the quoted IP header(s).
void read_quoted_transport(ByteReader r, bool icmp, QuotedPacket& q) {
  if (q.protocol == wire::kProtoTcp || q.protocol == wire::kProtoUdp) {
    q.has_ports = r.read_be16(q.sport) && r.read_be16(q.dport);
    q.has_tcp_seq = q.has_ports && q.protocol == wire::kProtoTcp && r.read_be32(q.tcp_seq);
  } else if (icmp && r.remaining() >= wire::kIcmpHeader) {
    q.has_icmp =
        r.read_u8(q.icmp_type) && r.skip(3) && r.read_be16(q.icmp_id) && r.read_be16(q.icmp_seq);
  }
}

// The IPv4 packet an ICMPv4 error quotes. Quotes are cut short by design, so
// only the quoted IP header itself must be complete.
ParseStatus parse_quoted_ipv4(ByteReader r, QuotedPacket& q) {
  uint8_t version_ihl = 0;
  if (!r.read_u8(version_ihl)) return ParseStatus::kMalformed;
  const size_t ihl = size_t{version_ihl & 0x0fu} * 4;
  if ((version_ihl >> 4) != 4 || ihl < wire::kIpv4Header) return ParseStatus::kMalformed;
  uint16_t fragment = 0;
  const bool ok = r.skip(3) && r.read_be16(q.ip_id) && r.read_be16(fragment) && r.read_u8(q.ttl) &&
                  r.read_u8(q.protocol) && r.skip(2) && read_v4(r, q.src) && read_v4(r, q.dst) &&
                  r.skip(ihl - wire::kIpv4Header);
  if (!ok) return ParseStatus::kMalformed;
  // A later fragment starts mid-payload: its first bytes are not ports.
  if ((fragment & wire::kIpv4FragmentOffsetMask) == 0) {
    read_quoted_transport(r, q.protocol == wire::kProtoIcmp, q);
  }
  return ParseStatus::kOk;
}

// The IPv6 packet an ICMPv6 error quotes. When its extension headers are cut
// off or too many, `protocol` is left at the one where reading stopped.
ParseStatus parse_quoted_ipv6(ByteReader r, QuotedPacket& q) {
  uint8_t version = 0;
  if (!r.read_u8(version) || (version >> 4) != 6) return ParseStatus::kMalformed;
  const bool ok = r.skip(5) && r.read_u8(q.protocol) && r.read_u8(q.ttl) && read_v6(r, q.src) &&
                  read_v6(r, q.dst);
  if (!ok) return ParseStatus::kMalformed;
  if (skip_ipv6_extensions(r, q.protocol) == ExtensionWalk::kDone) {
    read_quoted_transport(r, q.protocol == wire::kProtoIcmpv6, q);
  }
  return ParseStatus::kOk;
}

// Positions in the frame fit in 16 bits: parse_frame rejects longer frames.
uint16_t offset_in(std::span<const std::byte> frame, const ByteReader& r) {
  return static_cast<uint16_t>(r.rest().data() - frame.data());
}

ParseStatus parse_tcp(std::span<const std::byte> frame, ByteReader r, ParsedReply& out) {
  const size_t segment = r.remaining();
  uint8_t offset_byte = 0;
  const bool ok = r.read_be16(out.sport) && r.read_be16(out.dport) && r.read_be32(out.seq) &&
                  r.read_be32(out.ack) && r.read_u8(offset_byte) && r.read_u8(out.tcp_flags) &&
                  r.read_be16(out.window) && r.skip(4);
  if (!ok) return ParseStatus::kMalformed;
  const size_t header = size_t{offset_byte} / 16 * 4;  // data offset, in 32-bit words
  if (header < wire::kTcpHeader || !r.skip(header - wire::kTcpHeader)) {
    return ParseStatus::kMalformed;
  }
  out.kind = ReplyKind::kTcp;
  out.payload_offset = offset_in(frame, r);
  out.payload_len = static_cast<uint16_t>(segment - header);
  return ParseStatus::kOk;
}

ParseStatus parse_udp(std::span<const std::byte> frame, ByteReader r, ParsedReply& out) {
  uint16_t length = 0;
  if (!r.read_be16(out.sport) || !r.read_be16(out.dport) || !r.read_be16(length) || !r.skip(2)) {
    return ParseStatus::kMalformed;
  }
  // The UDP length may be shorter than the IP payload, never longer.
  if (length < wire::kUdpHeader || length - wire::kUdpHeader > r.remaining()) {
    return ParseStatus::kMalformed;
  }
  out.kind = ReplyKind::kUdp;
  out.payload_offset = offset_in(frame, r);
  out.payload_len = static_cast<uint16_t>(length - wire::kUdpHeader);
  return ParseStatus::kOk;
}

ParseStatus parse_icmpv4(std::span<const std::byte> frame, ByteReader r, ParsedReply& out) {
  const size_t message = r.remaining();
  if (!r.read_u8(out.icmp_type) || !r.read_u8(out.icmp_code) || !r.skip(2)) {
    return ParseStatus::kMalformed;
  }
  switch (out.icmp_type) {
    case wire::kIcmpEchoReply:
    case wire::kIcmpTimestampReply: {
      const bool echo = out.icmp_type == wire::kIcmpEchoReply;
      if (!r.read_be16(out.icmp_id) || !r.read_be16(out.icmp_seq)) return ParseStatus::kMalformed;
      if (!echo && message < kIcmpTimestampMessage) return ParseStatus::kMalformed;
      out.kind = echo ? ReplyKind::kIcmpEchoReply : ReplyKind::kIcmpTimestampReply;
      if (echo) {
        out.payload_offset = offset_in(frame, r);
        out.payload_len = static_cast<uint16_t>(r.remaining());
      }
      return ParseStatus::kOk;
    }
    case wire::kIcmpUnreachable:
    case wire::kIcmpTimeExceeded:
      if (!r.skip(4)) return ParseStatus::kMalformed;
      out.kind = out.icmp_type == wire::kIcmpUnreachable ? ReplyKind::kIcmpUnreachable
                                                         : ReplyKind::kIcmpTimeExceeded;
      return parse_quoted_ipv4(r, out.quoted);
    default:
      out.kind = ReplyKind::kIcmpOther;
      return ParseStatus::kOk;
  }
}

// Neighbour solicitations and advertisements: a 4-byte flags/reserved word,
// the target address, then options of which only the link-layer address of
// type `wanted_option` is kept.
ParseStatus parse_neighbor(ByteReader r, uint8_t wanted_option, ParsedReply& out) {
  if (out.ttl != wire::kNdHopLimit || out.icmp_code != 0 || r.remaining() < kNdFixedPart) {
    return ParseStatus::kMalformed;
  }
  if (!r.read_u8(out.nd_flags) || !r.skip(3) || !read_v6(r, out.link_ip)) {
    return ParseStatus::kMalformed;
  }
  // Each option is at least 8 bytes, so the walk ends within the packet.
  while (!r.empty()) {
    uint8_t type = 0;
    uint8_t units = 0;
    if (!r.read_u8(type) || !r.read_u8(units) || units == 0) return ParseStatus::kMalformed;
    auto body = r.take(size_t{units} * 8 - 2);
    if (!body) return ParseStatus::kMalformed;
    if (type == wanted_option && !out.has_link_mac && read_mac(*body, out.link_mac)) {
      out.has_link_mac = true;
    }
  }
  if (out.icmp_type == wire::kIcmpv6NeighborSolicit) out.nd_flags = 0;  // reserved there
  return ParseStatus::kOk;
}

ParseStatus parse_icmpv6(std::span<const std::byte> frame, ByteReader r, ParsedReply& out) {
  if (!r.read_u8(out.icmp_type) || !r.read_u8(out.icmp_code) || !r.skip(2)) {
    return ParseStatus::kMalformed;
  }
  switch (out.icmp_type) {
    case wire::kIcmpv6EchoReply:
      if (!r.read_be16(out.icmp_id) || !r.read_be16(out.icmp_seq)) return ParseStatus::kMalformed;
      out.kind = ReplyKind::kIcmpEchoReply;
      out.payload_offset = offset_in(frame, r);
      out.payload_len = static_cast<uint16_t>(r.remaining());
      return ParseStatus::kOk;
    case wire::kIcmpv6Unreachable:
    case wire::kIcmpv6TimeExceeded:
      if (!r.skip(4)) return ParseStatus::kMalformed;
      out.kind = out.icmp_type == wire::kIcmpv6Unreachable ? ReplyKind::kIcmpUnreachable
                                                           : ReplyKind::kIcmpTimeExceeded;
      return parse_quoted_ipv6(r, out.quoted);
    case wire::kIcmpv6NeighborSolicit:
      out.kind = ReplyKind::kNeighborSolicit;
      return parse_neighbor(r, wire::kNdOptSourceLinkAddr, out);
    case wire::kIcmpv6NeighborAdvert:
      out.kind = ReplyKind::kNeighborAdvert;
      return parse_neighbor(r, wire::kNdOptTargetLinkAddr, out);
    default:
      out.kind = ReplyKind::kIcmpOther;
      return ParseStatus::kOk;
  }
}

ParseStatus parse_ipv4(std::span<const std::byte> frame, ByteReader& r, ParsedReply& out) {
  const std::span<const std::byte> packet = r.rest();
  uint8_t version_ihl = 0;
  uint16_t total = 0;
  uint16_t fragment = 0;
  uint8_t protocol = 0;
  const bool ok = r.read_u8(version_ihl) && r.skip(1) && r.read_be16(total) &&
                  r.read_be16(out.ip_id) && r.read_be16(fragment) && r.read_u8(out.ttl) &&
                  r.read_u8(protocol) && r.skip(2) && read_v4(r, out.src) && read_v4(r, out.dst);
  if (!ok) return ParseStatus::kTruncated;
  const size_t ihl = size_t{version_ihl & 0x0fu} * 4;
  if ((version_ihl >> 4) != 4 || ihl < wire::kIpv4Header || total < ihl) {
    return ParseStatus::kMalformed;
  }
  if (packet.size() < ihl) return ParseStatus::kTruncated;
  // Verified before the total length is trusted to bound the payload: a
  // flipped bit there is then reported as what it is.
  if (internet_checksum(packet.first(ihl)) != 0) return ParseStatus::kBadChecksum;
  if (total > packet.size()) return ParseStatus::kTruncated;
  // Reassembly is not worth it for replies to probes, which are never fragmented.
  if ((fragment & (wire::kIpv4MoreFragments | wire::kIpv4FragmentOffsetMask)) != 0) {
    return ParseStatus::kUnsupported;
  }
  // Options are skipped, and Ethernet padding past the total length dropped.
  ByteReader payload(packet.subspan(ihl, total - ihl));
  switch (protocol) {
    case wire::kProtoTcp:
      return parse_tcp(frame, payload, out);
    case wire::kProtoUdp:
      return parse_udp(frame, payload, out);
    case wire::kProtoIcmp:
      return parse_icmpv4(frame, payload, out);
    default:
      return ParseStatus::kUnsupported;
  }
}

ParseStatus parse_ipv6(std::span<const std::byte> frame, ByteReader& r, ParsedReply& out) {
  uint8_t version = 0;
  uint16_t length = 0;
  uint8_t next = 0;
  const bool ok = r.remaining() >= wire::kIpv6Header && r.read_u8(version) && r.skip(3) &&
                  r.read_be16(length) && r.read_u8(next) && r.read_u8(out.ttl) &&
                  read_v6(r, out.src) && read_v6(r, out.dst);
  if (!ok) return ParseStatus::kTruncated;
  if ((version >> 4) != 6) return ParseStatus::kMalformed;
  auto payload = r.take(length);  // drops Ethernet padding
  if (!payload) return ParseStatus::kTruncated;
  switch (skip_ipv6_extensions(*payload, next)) {
    case ExtensionWalk::kTooMany:
      return ParseStatus::kUnsupported;
    case ExtensionWalk::kDoesNotFit:
      return ParseStatus::kMalformed;
    case ExtensionWalk::kDone:
      break;
  }
  switch (next) {
    case wire::kProtoTcp:
      return parse_tcp(frame, *payload, out);
    case wire::kProtoUdp:
      return parse_udp(frame, *payload, out);
    case wire::kProtoIcmpv6:
      return parse_icmpv6(frame, *payload, out);
    default:  // the fragment header among others: see kIpv4MoreFragments
      return ParseStatus::kUnsupported;
  }
}

ParseStatus parse_arp(ByteReader& r, ParsedReply& out) {
  uint16_t hardware = 0;
  uint16_t protocol = 0;
  uint8_t hardware_len = 0;
  uint8_t protocol_len = 0;
  if (!r.read_be16(hardware) || !r.read_be16(protocol) || !r.read_u8(hardware_len) ||
      !r.read_u8(protocol_len)) {
    return ParseStatus::kTruncated;
  }
  if (hardware != wire::kArpHardwareEthernet || protocol != wire::kEtherTypeIpv4 ||
      hardware_len != 6 || protocol_len != 4) {
    return ParseStatus::kUnsupported;
  }
  const bool ok = r.read_be16(out.arp_op) && read_mac(r, out.link_mac) && read_v4(r, out.src) &&
                  r.skip(6) && read_v4(r, out.dst);
  if (!ok) return ParseStatus::kTruncated;
  out.kind = ReplyKind::kArp;
  out.has_link_mac = true;
  out.link_ip = out.src;
  return ParseStatus::kOk;
}

}  // namespace

std::string_view to_string(ParseStatus status) {
  switch (status) {
    case ParseStatus::kOk:
      return "ok";
    case ParseStatus::kTruncated:
      return "truncated";
    case ParseStatus::kMalformed:
      return "malformed";
    case ParseStatus::kBadChecksum:
      return "bad checksum";
    case ParseStatus::kUnsupported:
      return "unsupported";
  }
  return "unknown";
}

std::string_view to_string(ReplyKind kind) {
  switch (kind) {
    case ReplyKind::kTcp:
      return "tcp";
    case ReplyKind::kUdp:
      return "udp";
    case ReplyKind::kIcmpUnreachable:
      return "icmp-unreachable";
    case ReplyKind::kIcmpTimeExceeded:
      return "icmp-time-exceeded";
    case ReplyKind::kIcmpEchoReply:
      return "icmp-echo-reply";
    case ReplyKind::kIcmpTimestampReply:
      return "icmp-timestamp-reply";
    case ReplyKind::kIcmpOther:
      return "icmp-other";
    case ReplyKind::kArp:
      return "arp";
    case ReplyKind::kNeighborAdvert:
      return "neighbor-advert";
    case ReplyKind::kNeighborSolicit:
      return "neighbor-solicit";
  }
  return "unknown";
}

ParseStatus parse_frame(std::span<const std::byte> frame, ParsedReply& out) {
  // Built in place: assigning a temporary costs the receiver a 170-byte copy
  // per frame.
  std::construct_at(&out);
  if (frame.size() > 0xffff) return ParseStatus::kUnsupported;
  ByteReader r(frame);
  uint16_t ethertype = 0;
  if (!read_mac(r, out.eth_dst) || !read_mac(r, out.eth_src) || !r.read_be16(ethertype)) {
    return ParseStatus::kTruncated;
  }
  for (int tags = 0; is_vlan_tag(ethertype); ++tags) {
    if (tags == kMaxVlanTags) return ParseStatus::kUnsupported;
    uint16_t tci = 0;
    if (!r.read_be16(tci) || !r.read_be16(ethertype)) return ParseStatus::kTruncated;
    if (tags == 0) out.vlan = static_cast<uint16_t>(tci & 0x0fff);
  }
  switch (ethertype) {
    case wire::kEtherTypeIpv4:
      return parse_ipv4(frame, r, out);
    case wire::kEtherTypeIpv6:
      return parse_ipv6(frame, r, out);
    case wire::kEtherTypeArp:
      return parse_arp(r, out);
    default:
      return ParseStatus::kUnsupported;
  }
}

}  // namespace portolan
