// What an OS-detection reply shows beyond what the scan engines read: the
// IPv4 header's DF bit and length, the TCP options in the order the target
// wrote them, and how much of our packet an ICMP error quotes.
//
// The one idea: a stack's defaults show in details the port scan never needs
// (option order, window scale, timestamps), so this file reads them, and only
// them, from a frame parse_frame has already accepted. Like parse_frame it
// reads through a bounds-checked ByteReader, never allocates, and reports a
// frame it cannot use as a ParseStatus; an option list that runs past the TCP
// header is kept up to the last whole option and flagged, not rejected (the
// order up to there is still evidence).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "portolan/packet/frame_parser.h"

namespace portolan {

// TCP option kinds (RFC 9293, RFC 7323, RFC 2018).
struct TcpOptionKind {
  static constexpr uint8_t kEol = 0;
  static constexpr uint8_t kNop = 1;
  static constexpr uint8_t kMss = 2;
  static constexpr uint8_t kWindowScale = 3;
  static constexpr uint8_t kSackPermitted = 4;
  static constexpr uint8_t kSack = 5;
  static constexpr uint8_t kTimestamp = 8;
};

// The options of one TCP header, in wire order. Values are host order.
struct TcpOptionsSeen {
  static constexpr size_t kMaxKinds = 40;  // a 60-byte header holds at most 40 one-byte options
  std::array<uint8_t, kMaxKinds> kinds{};
  uint8_t count = 0;
  bool has_mss = false;
  uint16_t mss = 0;
  bool has_wscale = false;
  uint8_t wscale = 0;
  bool sack_permitted = false;
  bool has_timestamp = false;
  uint32_t tsval = 0;
  uint32_t tsecr = 0;
  bool malformed = false;  // an option's length ran past the header or was below 2
};

// The option order as text: "MSS,SACK,TS,NOP,WS"; EOL is written ("EOL") but
// nothing after it; an unknown kind is "K<n>". Empty when there were none.
std::string option_order(const TcpOptionsSeen& options);

// One reply, decoded for OS detection.
struct OsReply {
  ParsedReply parsed;  // what parse_frame read
  // IPv4 header (OS detection probes IPv4 targets only).
  bool df = false;
  uint8_t tos = 0;
  uint16_t ip_total_length = 0;
  TcpOptionsSeen options;  // kTcp
  // ICMP: the bytes after the 8-byte ICMP header within the IP length (the
  // echoed data, or the quoted packet of an error).
  uint16_t icmp_body_length = 0;
  // kIcmpUnreachable / kIcmpTimeExceeded: the quoted IPv4 header's total
  // length field, as the target left it.
  uint16_t quoted_ip_total_length = 0;
};

// Decodes an Ethernet frame (up to two VLAN tags) carrying IPv4. Returns kOk
// with `out` filled, kUnsupported for anything but IPv4 TCP or ICMP (UDP
// replies are not used), or parse_frame's status. Never reads outside `frame`.
ParseStatus parse_os_reply(std::span<const std::byte> frame, OsReply& out);

}  // namespace portolan
