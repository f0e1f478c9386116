// DNS messages (RFC 1035) for the open-resolver check: one query built, and
// the answer's header and records parsed.
//
// Names in answers may be compressed (RFC 1035 4.1.4): a pointer must point
// before the label that holds it, at most 64 pointers are followed and a name
// is at most 255 bytes, so a loop or a forward pointer is an error, not a
// hang. Over TCP a message is prefixed with its length (2 bytes, network
// order; RFC 1035 4.2.2).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

inline constexpr uint16_t kDnsTypeA = 1;
inline constexpr uint16_t kDnsTypeNs = 2;

struct DnsRecord {
  std::string name;  // dotted, "." for the root
  uint16_t type = 0;
  uint16_t klass = 0;
  uint32_t ttl = 0;
  std::string data;  // A: dotted quad; NS, CNAME, PTR: the name; else the raw rdata
};

struct DnsMessage {
  uint16_t id = 0;
  bool response = false;             // QR
  bool authoritative = false;        // AA
  bool truncated = false;            // TC
  bool recursion_desired = false;    // RD
  bool recursion_available = false;  // RA
  uint8_t opcode = 0;
  uint8_t rcode = 0;
  uint16_t questions = 0, answer_count = 0, authority_count = 0, additional_count = 0;
  std::vector<DnsRecord> answers;  // the answer section only
};

// A query with one question, class IN. `name` is dotted ("." or "" for the
// root, "example.org"); labels longer than 63 bytes or a name longer than 253
// give an error.
Result<std::string> build_dns_query(uint16_t id, std::string_view name, uint16_t type,
                                    bool recursion_desired);

// Parses a whole message (the header, the questions skipped, the answer
// section read). An error for anything cut short or malformed.
Result<DnsMessage> parse_dns_message(std::string_view bytes);

// "NOERROR", "SERVFAIL", "NXDOMAIN", "REFUSED"...; "RCODE<n>" for others.
std::string dns_rcode_name(uint8_t rcode);

// TCP framing: the message with its 2-byte length in front, and back.
std::string dns_tcp_frame(std::string_view message);
// The message of a framed TCP answer; an error when it has not all arrived.
Result<std::string_view> dns_tcp_unframe(std::string_view bytes);

}  // namespace portolan::audit
