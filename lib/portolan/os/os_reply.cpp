// Reading the OS-detection details of a reply. See os_reply.h.
#include "portolan/os/os_reply.h"

#include <fmt/format.h>

#include "portolan/packet/byte_reader.h"
#include "portolan/packet/wire.h"

namespace portolan {
namespace {

void read_tcp_options(ByteReader r, TcpOptionsSeen& out) {
  uint8_t kind = 0;
  while (out.count < TcpOptionsSeen::kMaxKinds && r.read_u8(kind)) {
    if (kind == TcpOptionKind::kEol) {
      out.kinds[out.count++] = kind;
      return;
    }
    if (kind == TcpOptionKind::kNop) {
      out.kinds[out.count++] = kind;
      continue;
    }
    uint8_t len = 0;
    if (!r.read_u8(len) || len < 2) {
      out.malformed = true;
      return;
    }
    auto body = r.take(size_t{len} - 2);
    if (!body) {
      out.malformed = true;
      return;
    }
    out.kinds[out.count++] = kind;
    switch (kind) {
      case TcpOptionKind::kMss:
        out.has_mss = body->read_be16(out.mss) || out.has_mss;
        break;
      case TcpOptionKind::kWindowScale:
        out.has_wscale = body->read_u8(out.wscale) || out.has_wscale;
        break;
      case TcpOptionKind::kSackPermitted:
        out.sack_permitted = true;
        break;
      case TcpOptionKind::kTimestamp:
        if (body->remaining() == 8) {
          out.has_timestamp = body->read_be32(out.tsval) && body->read_be32(out.tsecr);
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace

std::string option_order(const TcpOptionsSeen& options) {
  std::string out;
  for (uint8_t i = 0; i < options.count; ++i) {
    if (!out.empty()) out += ',';
    switch (options.kinds[i]) {
      case TcpOptionKind::kEol:
        out += "EOL";
        break;
      case TcpOptionKind::kNop:
        out += "NOP";
        break;
      case TcpOptionKind::kMss:
        out += "MSS";
        break;
      case TcpOptionKind::kWindowScale:
        out += "WS";
        break;
      case TcpOptionKind::kSackPermitted:
        out += "SACK";
        break;
      case TcpOptionKind::kSack:
        out += "SACKBLK";
        break;
      case TcpOptionKind::kTimestamp:
        out += "TS";
        break;
      default:
        out += fmt::format("K{}", options.kinds[i]);
        break;
    }
  }
  return out;
}

ParseStatus parse_os_reply(std::span<const std::byte> frame, OsReply& out) {
  out = OsReply{};
  const ParseStatus status = parse_frame(frame, out.parsed);
  if (status != ParseStatus::kOk) return status;
  const ReplyKind kind = out.parsed.kind;
  const bool icmp = kind == ReplyKind::kIcmpEchoReply || kind == ReplyKind::kIcmpUnreachable ||
                    kind == ReplyKind::kIcmpTimeExceeded || kind == ReplyKind::kIcmpOther ||
                    kind == ReplyKind::kIcmpTimestampReply;
  if (!out.parsed.src.is_v4() || (kind != ReplyKind::kTcp && !icmp)) {
    return ParseStatus::kUnsupported;
  }

  // parse_frame accepted the layers, so what follows re-reads them knowing
  // they are there; every read is still checked.
  ByteReader r(frame);
  uint16_t ether_type = 0;
  if (!r.skip(12) || !r.read_be16(ether_type)) return ParseStatus::kTruncated;
  for (int tags = 0;
       tags < 2 && (ether_type == wire::kEtherTypeVlan || ether_type == wire::kEtherTypeQinQ);
       ++tags) {
    if (!r.skip(2) || !r.read_be16(ether_type)) return ParseStatus::kTruncated;
  }
  if (ether_type != wire::kEtherTypeIpv4) return ParseStatus::kUnsupported;

  uint8_t version_ihl = 0;
  uint16_t total = 0;
  uint16_t frag = 0;
  if (!r.read_u8(version_ihl) || !r.read_u8(out.tos) || !r.read_be16(total) || !r.skip(2) ||
      !r.read_be16(frag)) {
    return ParseStatus::kTruncated;
  }
  const size_t ihl = size_t{version_ihl & 0x0fu} * 4;
  if (ihl < wire::kIpv4Header || total < ihl) return ParseStatus::kMalformed;
  out.df = (frag & 0x4000u) != 0;
  out.ip_total_length = total;
  if (!r.skip(ihl - 8)) return ParseStatus::kTruncated;  // the 8 bytes read above
  auto l4 = r.take(total - ihl);
  if (!l4) return ParseStatus::kTruncated;

  if (kind == ReplyKind::kTcp) {
    uint8_t offset_byte = 0;
    if (!l4->skip(12) || !l4->read_u8(offset_byte)) return ParseStatus::kTruncated;
    const size_t header = size_t{offset_byte} / 16 * 4;
    if (header < wire::kTcpHeader || !l4->skip(7)) return ParseStatus::kMalformed;
    auto options = l4->take(header - wire::kTcpHeader);
    if (!options) return ParseStatus::kMalformed;
    read_tcp_options(*options, out.options);
    return ParseStatus::kOk;
  }

  if (!l4->skip(wire::kIcmpHeader)) return ParseStatus::kTruncated;
  out.icmp_body_length = static_cast<uint16_t>(l4->remaining());
  if (kind == ReplyKind::kIcmpUnreachable || kind == ReplyKind::kIcmpTimeExceeded) {
    uint8_t quoted_version = 0;
    if (l4->read_u8(quoted_version) && (quoted_version >> 4) == 4 && l4->skip(1)) {
      if (!l4->read_be16(out.quoted_ip_total_length)) out.quoted_ip_total_length = 0;
    }
  }
  return ParseStatus::kOk;
}

}  // namespace portolan
