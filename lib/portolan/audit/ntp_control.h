// NTP's management queries, the two that make NTP servers amplifiers:
//
// - mode 6 (control messages, RFC 9327, formerly RFC 1305 appendix B): a
//   READVAR (opcode 2) for association 0 returns the system variables as
//   text ("version=\"ntpd 4.2.8p15\", processor=...") in one or more
//   datagrams, each with a 12-byte header: LI/VN/mode, R/E/M/opcode,
//   sequence, status, association id, offset, count (network byte order).
// - mode 7 (ntpd's private requests, ntp_request.h in the reference
//   implementation): MON_GETLIST_1 (implementation 3 "XNTPD", request 42),
//   the "monlist" of CVE-2013-5211, answers with up to 600 recent clients
//   of 72 bytes each. Header: R/M/VN/mode, A/sequence, implementation,
//   request, err(4 bits)/number of items(12), mbz(4)/item size(12).
//
// Parsers take one datagram and return an error for anything that is not a
// well-formed response of that mode.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

// Mode 6 READVAR, association 0 (the system variables), NTP version 4.
std::string build_ntp_readvar_request(uint16_t sequence);
// Mode 7 MON_GETLIST_1 for implementation XNTPD, padded to 48 bytes as
// ntpdc sends it.
std::string build_ntp_monlist_request();

struct NtpControlResponse {
  uint8_t version = 0;
  uint8_t opcode = 0;
  bool error = false;  // E bit
  bool more = false;   // M bit: more fragments follow
  uint16_t sequence = 0;
  uint16_t status = 0;
  uint16_t association = 0;
  uint16_t offset = 0;
  std::string data;  // `count` bytes of text
};

// One mode 6 response datagram.
Result<NtpControlResponse> parse_ntp_control_response(std::string_view bytes);

// The value of `name` in mode 6 variable text ("a=1, version=\"x y\""),
// unquoted; empty when it is not there.
std::string ntp_variable(std::string_view text, std::string_view name);

struct NtpPrivateResponse {
  uint8_t version = 0;
  uint8_t implementation = 0;
  uint8_t request = 0;
  bool more = false;
  uint8_t error = 0;  // 0 INFO_OKAY, 4 INFO_ERR_NODATA, ...
  uint16_t items = 0;
  uint16_t item_size = 0;
  std::vector<std::string>
      addresses;  // MON_GETLIST_1: the first clients' IPv4 addresses, at most 8
};

// One mode 7 response datagram; an error when items * item_size does not
// fit in it.
Result<NtpPrivateResponse> parse_ntp_private_response(std::string_view bytes);

}  // namespace portolan::audit
