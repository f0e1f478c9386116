// libFuzzer target for parse_frame: every byte the raw engine captures.
//
// Beyond "no crash, no read out of bounds", a frame that parses checks the
// promises callers rely on: the payload lies inside the frame, addresses
// have the family the frame's EtherType says, and parsing the same bytes
// twice gives the same answer (nothing is carried over between calls).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "portolan/packet/frame_parser.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool same(const portolan::ParsedReply& a, const portolan::ParsedReply& b) {
  return a.kind == b.kind && a.src == b.src && a.dst == b.dst && a.sport == b.sport &&
         a.dport == b.dport && a.seq == b.seq && a.ack == b.ack &&
         a.payload_offset == b.payload_offset && a.payload_len == b.payload_len &&
         a.quoted.has_ports == b.quoted.has_ports && a.quoted.sport == b.quoted.sport &&
         a.link_mac == b.link_mac && a.link_ip == b.link_ip;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace portolan;
  const std::span<const std::byte> frame(reinterpret_cast<const std::byte*>(data), size);
  ParsedReply reply;
  const ParseStatus status = parse_frame(frame, reply);
  check(!to_string(status).empty());
  if (status != ParseStatus::kOk) return 0;

  check(size_t{reply.payload_offset} + reply.payload_len <= size);
  check(!to_string(reply.kind).empty());
  switch (reply.kind) {
    case ReplyKind::kArp:
      check(reply.src.is_v4() && reply.link_ip == reply.src && reply.has_link_mac);
      break;
    case ReplyKind::kNeighborAdvert:
    case ReplyKind::kNeighborSolicit:
      check(reply.src.is_v6() && reply.link_ip.is_v6() && reply.ttl == 255);
      break;
    case ReplyKind::kIcmpUnreachable:
    case ReplyKind::kIcmpTimeExceeded:
      check(reply.quoted.src.family() == reply.src.family());
      check(!reply.quoted.has_tcp_seq || reply.quoted.has_ports);
      break;
    default:
      check(reply.src.family() == reply.dst.family());
      break;
  }

  ParsedReply again;
  again.seq = 0xdeadbeef;  // parse_frame must reset what the last frame left
  check(parse_frame(frame, again) == status && same(reply, again));
  return 0;
}
