// SNMPv1 and SNMPv2c messages (RFC 1157, RFC 3416) in BER (X.690): a GET
// built, and the response parsed.
//
// A message is SEQUENCE { version INTEGER, community OCTET STRING, PDU };
// the PDU ([0] GetRequest, [2] Response) holds request-id, error-status,
// error-index and a SEQUENCE of varbinds { name OID, value }. The parser
// reads only definite lengths (at most 4 length bytes), integers of at most
// 8 bytes and OIDs of at most 128 arcs; it never recurses, so nesting is
// bounded by the fixed shape of the message. Anything else is an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

enum class SnmpVersion : uint8_t { kV1 = 0, kV2c = 1 };

inline constexpr std::string_view kSnmpSysDescr = "1.3.6.1.2.1.1.1.0";

struct SnmpVarBind {
  std::string oid;        // dotted
  uint8_t value_tag = 0;  // 0x04 OCTET STRING, 0x02 INTEGER, 0x80 noSuchObject...
  std::string value;      // OCTET STRING as is; INTEGER and counters in decimal; else empty
};

struct SnmpMessage {
  SnmpVersion version = SnmpVersion::kV1;
  std::string community;
  uint8_t pdu_tag = 0;  // 0xa2 for a Response
  int64_t request_id = 0;
  int64_t error_status = 0;
  int64_t error_index = 0;
  std::vector<SnmpVarBind> varbinds;
};

// A GetRequest for one OID (dotted, at least two arcs) with a NULL value.
Result<std::string> build_snmp_get(SnmpVersion version, std::string_view community,
                                   int32_t request_id, std::string_view oid);

// Parses one message. An error for anything malformed or cut short.
Result<SnmpMessage> parse_snmp_message(std::string_view bytes);

// True when `m` is a Response to `request_id`: an agent answers only a
// community it accepts (RFC 3584 section 5.2.1; a wrong one is dropped), even
// when the answer is an error or an exception for the OID.
bool snmp_is_response_to(const SnmpMessage& m, int64_t request_id);

// The first varbind's value when it is one (an OCTET STRING, a number), else
// empty: not for noSuchObject, noSuchInstance, endOfMibView or an error.
std::string snmp_first_value(const SnmpMessage& m);

}  // namespace portolan::audit
