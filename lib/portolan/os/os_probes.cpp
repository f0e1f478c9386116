// OS-detection probe frames. See os_probes.h.
#include "portolan/os/os_probes.h"

#include <cstring>

#include "portolan/os/os_reply.h"
#include "portolan/packet/checksum.h"
#include "portolan/packet/wire.h"

namespace portolan {
namespace {

constexpr size_t kL3 = wire::kEthernetHeader;
constexpr size_t kL4 = kL3 + wire::kIpv4Header;
constexpr size_t kMaxFrame = 1514;

// Writes the Ethernet and IPv4 headers for `l4_len` transport bytes; false
// when the frame does not fit.
bool begin(std::span<std::byte> out, const OsFrameEnds& e, uint8_t protocol, size_t l4_len,
           uint16_t ip_id, bool df) {
  if (!e.src.is_v4() || !e.dst.is_v4()) return false;
  const size_t total = kL4 + l4_len;
  if (total > out.size() || total > kMaxFrame) return false;
  std::byte* f = out.data();
  std::memset(f, 0, kL4);
  wire::store_bytes(f, e.dst_mac.bytes.data(), 6);
  wire::store_bytes(f + 6, e.src_mac.bytes.data(), 6);
  wire::store_be16(f + 12, wire::kEtherTypeIpv4);
  std::byte* ip = f + kL3;
  wire::store_u8(ip, 0x45);
  wire::store_be16(ip + 2, static_cast<uint16_t>(wire::kIpv4Header + l4_len));
  wire::store_be16(ip + 4, ip_id);
  wire::store_be16(ip + 6, df ? 0x4000 : 0);
  wire::store_u8(ip + 8, e.ttl);
  wire::store_u8(ip + 9, protocol);
  wire::store_bytes(ip + 12, e.src.bytes().data(), 4);
  wire::store_bytes(ip + 16, e.dst.bytes().data(), 4);
  wire::store_be16(ip + 10, internet_checksum(std::span<const std::byte>(ip, wire::kIpv4Header)));
  return true;
}

uint16_t transport_sum(const OsFrameEnds& e, uint8_t protocol, std::span<const std::byte> l4) {
  return pseudo_header_sum(e.src, e.dst, protocol, static_cast<uint32_t>(l4.size()))
      .add(l4)
      .value();
}

}  // namespace

std::array<std::byte, 20> os_syn_options(uint32_t tsval) {
  std::array<std::byte, 20> o{};
  std::byte* p = o.data();
  wire::store_u8(p, TcpOptionKind::kMss);
  wire::store_u8(p + 1, 4);
  wire::store_be16(p + 2, 1460);
  wire::store_u8(p + 4, TcpOptionKind::kSackPermitted);
  wire::store_u8(p + 5, 2);
  wire::store_u8(p + 6, TcpOptionKind::kTimestamp);
  wire::store_u8(p + 7, 10);
  wire::store_be32(p + 8, tsval);
  wire::store_be32(p + 12, 0);
  wire::store_u8(p + 16, TcpOptionKind::kNop);
  wire::store_u8(p + 17, TcpOptionKind::kWindowScale);
  wire::store_u8(p + 18, 3);
  wire::store_u8(p + 19, 10);
  return o;
}

size_t write_os_tcp(std::span<std::byte> out, const OsFrameEnds& ends, uint16_t sport,
                    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t window,
                    std::span<const std::byte> options, uint16_t ip_id, bool df) {
  if (options.size() % 4 != 0 || options.size() > 40) return 0;
  const size_t l4_len = wire::kTcpHeader + options.size();
  if (!begin(out, ends, wire::kProtoTcp, l4_len, ip_id, df)) return 0;
  std::byte* t = out.data() + kL4;
  std::memset(t, 0, wire::kTcpHeader);
  wire::store_be16(t, sport);
  wire::store_be16(t + 2, dport);
  wire::store_be32(t + 4, seq);
  wire::store_be32(t + 8, ack);
  wire::store_u8(t + 12, static_cast<uint8_t>((l4_len / 4) << 4));
  wire::store_u8(t + 13, flags);
  wire::store_be16(t + 14, window);
  if (!options.empty()) std::memcpy(t + wire::kTcpHeader, options.data(), options.size());
  wire::store_be16(t + 16, transport_sum(ends, wire::kProtoTcp, {t, l4_len}));
  return kL4 + l4_len;
}

size_t write_os_echo(std::span<std::byte> out, const OsFrameEnds& ends, uint8_t code, uint16_t id,
                     uint16_t seq, std::span<const std::byte> payload, uint16_t ip_id, bool df) {
  const size_t l4_len = wire::kIcmpHeader + payload.size();
  if (!begin(out, ends, wire::kProtoIcmp, l4_len, ip_id, df)) return 0;
  std::byte* m = out.data() + kL4;
  wire::store_u8(m, wire::kIcmpEchoRequest);
  wire::store_u8(m + 1, code);
  wire::store_be16(m + 2, 0);
  wire::store_be16(m + 4, id);
  wire::store_be16(m + 6, seq);
  if (!payload.empty()) std::memcpy(m + wire::kIcmpHeader, payload.data(), payload.size());
  wire::store_be16(m + 2, internet_checksum({m, l4_len}));
  return kL4 + l4_len;
}

size_t write_os_udp(std::span<std::byte> out, const OsFrameEnds& ends, uint16_t sport,
                    uint16_t dport, std::span<const std::byte> payload, uint16_t ip_id) {
  const size_t l4_len = wire::kUdpHeader + payload.size();
  if (!begin(out, ends, wire::kProtoUdp, l4_len, ip_id, false)) return 0;
  std::byte* u = out.data() + kL4;
  wire::store_be16(u, sport);
  wire::store_be16(u + 2, dport);
  wire::store_be16(u + 4, static_cast<uint16_t>(l4_len));
  wire::store_be16(u + 6, 0);
  if (!payload.empty()) std::memcpy(u + wire::kUdpHeader, payload.data(), payload.size());
  uint16_t sum = transport_sum(ends, wire::kProtoUdp, {u, l4_len});
  wire::store_be16(u + 6, sum == 0 ? 0xffff : sum);
  return kL4 + l4_len;
}

}  // namespace portolan
