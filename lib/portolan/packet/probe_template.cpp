#include "portolan/packet/probe_template.h"

#include <cstring>

#include "portolan/packet/wire.h"

namespace portolan {
namespace {

using wire::store_be16;
using wire::store_be32;
using wire::store_bytes;
using wire::store_u8;

constexpr size_t kTcpMssOption = 4;
constexpr size_t kIcmpTimestamps = 12;  // originate, receive, transmit

void store_address(std::byte* p, const IpAddress& a) {
  store_bytes(p, a.bytes().data(), a.is_v4() ? 4 : 16);
}

// Ethernet header with the destination left zero, and an IPv4 or IPv6 header
// with every field that varies per probe (length, id, checksum, destination)
// left zero. Returns the length written.
size_t write_link_and_ip_prefix(std::byte* f, const MacAddress& src_mac, const IpAddress& src,
                                uint8_t protocol, uint8_t ttl) {
  store_bytes(f + 6, src_mac.bytes.data(), 6);
  std::byte* ip = f + wire::kEthernetHeader;
  if (src.is_v4()) {
    store_be16(f + 12, wire::kEtherTypeIpv4);
    store_u8(ip, 0x45);  // version 4, IHL 5: no options
    store_u8(ip + 8, ttl);
    store_u8(ip + 9, protocol);
    store_address(ip + 12, src);
    return wire::kEthernetHeader + wire::kIpv4Header;
  }
  store_be16(f + 12, wire::kEtherTypeIpv6);
  store_u8(ip, 0x60);  // version 6, traffic class 0, flow label 0
  store_u8(ip + 6, protocol);
  store_u8(ip + 7, ttl);
  store_address(ip + 8, src);
  return wire::kEthernetHeader + wire::kIpv6Header;
}

}  // namespace

ProbeTemplate::ProbeTemplate(Kind kind, const MacAddress& src_mac, const IpAddress& src,
                             uint8_t protocol, uint8_t ttl, size_t l4_header_len)
    : protocol_(protocol), kind_(kind), family_(src.family()) {
  const size_t l4_offset = write_link_and_ip_prefix(prefix_.data(), src_mac, src, protocol, ttl);
  l4_offset_ = static_cast<uint8_t>(l4_offset);
  l4_header_len_ = static_cast<uint8_t>(l4_header_len);
  prefix_len_ = static_cast<uint8_t>(l4_offset + l4_header_len);
  pseudo_src_.add(src).add16(protocol);
}

ProbeTemplate ProbeTemplate::tcp(const MacAddress& src_mac, const IpAddress& src, uint8_t flags,
                                 uint16_t window, bool mss, uint8_t ttl) {
  const size_t header = wire::kTcpHeader + (mss ? kTcpMssOption : 0);
  ProbeTemplate t(Kind::kTcp, src_mac, src, wire::kProtoTcp, ttl, header);
  std::byte* tcp = t.prefix_.data() + t.l4_offset_;
  store_u8(tcp + 12, static_cast<uint8_t>((header / 4) << 4));  // data offset, in 32-bit words
  store_u8(tcp + 13, flags);
  store_be16(tcp + 14, window);
  if (mss) {
    store_u8(tcp + 20, 2);  // kind: maximum segment size
    store_u8(tcp + 21, 4);  // option length
    store_be16(tcp + 22, kMss);
  }
  return t;
}

ProbeTemplate ProbeTemplate::udp(const MacAddress& src_mac, const IpAddress& src, uint8_t ttl) {
  return ProbeTemplate(Kind::kUdp, src_mac, src, wire::kProtoUdp, ttl, wire::kUdpHeader);
}

ProbeTemplate ProbeTemplate::icmp_echo(const MacAddress& src_mac, const IpAddress& src,
                                       uint8_t ttl) {
  const bool v4 = src.is_v4();
  ProbeTemplate t(Kind::kIcmpEcho, src_mac, src, v4 ? wire::kProtoIcmp : wire::kProtoIcmpv6, ttl,
                  wire::kIcmpHeader);
  store_u8(t.prefix_.data() + t.l4_offset_, v4 ? wire::kIcmpEchoRequest : wire::kIcmpv6EchoRequest);
  return t;
}

Result<ProbeTemplate> ProbeTemplate::icmp_timestamp(const MacAddress& src_mac, const IpAddress& src,
                                                    uint8_t ttl) {
  if (!src.is_v4()) {
    return fail("ICMP timestamp probes (-PP) need an IPv4 source; ICMPv6 has no timestamp");
  }
  ProbeTemplate t(Kind::kIcmpTimestamp, src_mac, src, wire::kProtoIcmp, ttl,
                  wire::kIcmpHeader + kIcmpTimestamps);
  store_u8(t.prefix_.data() + t.l4_offset_, wire::kIcmpTimestampRequest);
  return t;
}

std::byte* ProbeTemplate::begin_frame(std::span<std::byte> out, const MacAddress& dst_mac,
                                      const IpAddress& dst, std::span<const std::byte> payload,
                                      uint16_t ip_id) const {
  if (dst.family() != family_) return nullptr;
  const size_t total = prefix_len_ + payload.size();
  if (total > kMaxFrame || total > out.size()) return nullptr;
  std::byte* f = out.data();
  std::memcpy(f, prefix_.data(), prefix_len_);
  store_bytes(f, dst_mac.bytes.data(), 6);
  if (!payload.empty()) std::memcpy(f + prefix_len_, payload.data(), payload.size());

  // kMaxFrame bounds every length below 16 bits.
  const auto l4_len = static_cast<uint16_t>(l4_header_len_ + payload.size());
  std::byte* ip = f + wire::kEthernetHeader;
  if (family_ == IpFamily::kV4) {
    store_be16(ip + 2, static_cast<uint16_t>(wire::kIpv4Header + l4_len));
    store_be16(ip + 4, ip_id);
    store_address(ip + 16, dst);
    store_be16(ip + 10, internet_checksum(std::span<const std::byte>(ip, wire::kIpv4Header)));
  } else {
    store_be16(ip + 4, l4_len);
    store_address(ip + 24, dst);
  }
  return f + l4_offset_;
}

uint16_t ProbeTemplate::transport_checksum(const std::byte* l4, const IpAddress& dst,
                                           size_t l4_len) const {
  InternetChecksum sum = pseudo_src_;
  sum.add(dst).add32(static_cast<uint32_t>(l4_len)).add(std::span<const std::byte>(l4, l4_len));
  return sum.value();
}

size_t ProbeTemplate::write_tcp(std::span<std::byte> out, const MacAddress& dst_mac,
                                const IpAddress& dst, uint16_t sport, uint16_t dport, uint32_t seq,
                                uint32_t ack, uint16_t ip_id) const {
  if (kind_ != Kind::kTcp) return 0;
  std::byte* tcp = begin_frame(out, dst_mac, dst, {}, ip_id);
  if (tcp == nullptr) return 0;
  store_be16(tcp, sport);
  store_be16(tcp + 2, dport);
  store_be32(tcp + 4, seq);
  store_be32(tcp + 8, ack);
  store_be16(tcp + 16, transport_checksum(tcp, dst, l4_header_len_));
  return prefix_len_;
}

size_t ProbeTemplate::write_udp(std::span<std::byte> out, const MacAddress& dst_mac,
                                const IpAddress& dst, uint16_t sport, uint16_t dport,
                                std::span<const std::byte> payload, uint16_t ip_id) const {
  if (kind_ != Kind::kUdp) return 0;
  std::byte* udp = begin_frame(out, dst_mac, dst, payload, ip_id);
  if (udp == nullptr) return 0;
  const size_t l4_len = wire::kUdpHeader + payload.size();
  store_be16(udp, sport);
  store_be16(udp + 2, dport);
  store_be16(udp + 4, static_cast<uint16_t>(l4_len));
  const uint16_t sum = transport_checksum(udp, dst, l4_len);
  // Zero means "no checksum" in UDP; a computed zero is sent as its other
  // one's-complement form.
  store_be16(udp + 6, sum == 0 ? 0xffff : sum);
  return prefix_len_ + payload.size();
}

size_t ProbeTemplate::write_icmp(std::span<std::byte> out, const MacAddress& dst_mac,
                                 const IpAddress& dst, uint16_t id, uint16_t seq,
                                 std::span<const std::byte> payload, uint16_t ip_id) const {
  if (kind_ != Kind::kIcmpEcho && kind_ != Kind::kIcmpTimestamp) return 0;
  std::byte* icmp = begin_frame(out, dst_mac, dst, payload, ip_id);
  if (icmp == nullptr) return 0;
  const size_t l4_len = l4_header_len_ + payload.size();
  store_be16(icmp + 4, id);
  store_be16(icmp + 6, seq);
  // ICMPv4 sums the message alone; ICMPv6 adds the pseudo-header.
  const uint16_t sum = family_ == IpFamily::kV4
                           ? internet_checksum(std::span<const std::byte>(icmp, l4_len))
                           : transport_checksum(icmp, dst, l4_len);
  store_be16(icmp + 2, sum);
  return prefix_len_ + payload.size();
}

size_t write_arp_request(std::span<std::byte> out, const MacAddress& src_mac, const IpAddress& src,
                         const IpAddress& target) {
  constexpr size_t kLength = wire::kEthernetHeader + wire::kArpPacket;
  if (!src.is_v4() || !target.is_v4() || out.size() < kLength) return 0;
  std::byte* f = out.data();
  std::memset(f, 0, kLength);
  store_bytes(f, MacAddress::broadcast().bytes.data(), 6);
  store_bytes(f + 6, src_mac.bytes.data(), 6);
  store_be16(f + 12, wire::kEtherTypeArp);
  std::byte* arp = f + wire::kEthernetHeader;
  store_be16(arp, wire::kArpHardwareEthernet);
  store_be16(arp + 2, wire::kEtherTypeIpv4);
  store_u8(arp + 4, 6);  // hardware address length
  store_u8(arp + 5, 4);  // protocol address length
  store_be16(arp + 6, wire::kArpRequest);
  store_bytes(arp + 8, src_mac.bytes.data(), 6);
  store_address(arp + 14, src);
  // Target hardware address (arp + 18) stays zero: it is what we ask for.
  store_address(arp + 24, target);
  return kLength;
}

size_t write_neighbor_solicit(std::span<std::byte> out, const MacAddress& src_mac,
                              const IpAddress& src, const IpAddress& target) {
  constexpr size_t kIcmpLength = 32;  // header 4, reserved 4, target 16, option 8
  constexpr size_t kLength = wire::kEthernetHeader + wire::kIpv6Header + kIcmpLength;
  if (!src.is_v6() || !target.is_v6() || out.size() < kLength) return 0;
  const auto& t = target.bytes();
  const IpAddress group =
      IpAddress::v6({0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, t[13], t[14], t[15]});

  std::byte* f = out.data();
  std::memset(f, 0, kLength);
  const uint8_t group_mac[6] = {0x33, 0x33, 0xff, t[13], t[14], t[15]};  // RFC 2464 section 7
  store_bytes(f, group_mac, 6);
  store_bytes(f + 6, src_mac.bytes.data(), 6);
  store_be16(f + 12, wire::kEtherTypeIpv6);
  std::byte* ip = f + wire::kEthernetHeader;
  store_u8(ip, 0x60);
  store_be16(ip + 4, kIcmpLength);
  store_u8(ip + 6, wire::kProtoIcmpv6);
  store_u8(ip + 7, wire::kNdHopLimit);
  store_address(ip + 8, src);
  store_address(ip + 24, group);
  std::byte* icmp = ip + wire::kIpv6Header;
  store_u8(icmp, wire::kIcmpv6NeighborSolicit);
  store_address(icmp + 8, target);
  store_u8(icmp + 24, wire::kNdOptSourceLinkAddr);
  store_u8(icmp + 25, 1);  // option length in units of 8 bytes
  store_bytes(icmp + 26, src_mac.bytes.data(), 6);
  InternetChecksum sum = pseudo_header_sum(src, group, wire::kProtoIcmpv6, kIcmpLength);
  sum.add(std::span<const std::byte>(icmp, kIcmpLength));
  store_be16(icmp + 2, sum.value());
  return kLength;
}

}  // namespace portolan
