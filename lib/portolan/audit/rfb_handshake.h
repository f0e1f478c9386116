// The start of the RFB (VNC) handshake, RFC 6143 section 7.1: the server
// sends its ProtocolVersion "RFB 003.008\n" (12 bytes), the client answers
// with the version it speaks, and the server lists its security types:
// since 3.7 a count byte and that many type bytes (a count of 0 is followed
// by a 4-byte reason length and the reason); in 3.3 a single 4-byte type the
// server chose (0 again followed by a reason).
//
// Parsers take what the server sent and return an error when it is not
// (yet) a complete, well-formed message; nothing here does I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

inline constexpr uint8_t kRfbSecurityNone = 1;
inline constexpr uint8_t kRfbSecurityVncAuth = 2;
inline constexpr uint8_t kRfbSecurityTls = 18;
inline constexpr uint8_t kRfbSecurityVeNCrypt = 19;

struct RfbVersion {
  int major = 0;
  int minor = 0;
};

// The server's ProtocolVersion, the first 12 bytes of `bytes`.
Result<RfbVersion> parse_rfb_version(std::string_view bytes);

// The version we answer with: 3.8 for 3.8 and later (and Apple's 3.889),
// 3.7 for 3.7, else 3.3, as RFC 6143 asks of a client.
RfbVersion rfb_client_version(const RfbVersion& server);
std::string format_rfb_version(const RfbVersion& v);  // "RFB 003.008\n"

struct RfbSecurity {
  std::vector<uint8_t> types;  // empty when the server refused (see reason)
  std::string reason;
};

// The security message that follows the version exchange, for the version
// we answered with; `bytes` starts right after the server's 12-byte version.
// At most 255 types; a reason longer than 4096 bytes is an error.
Result<RfbSecurity> parse_rfb_security(std::string_view bytes, const RfbVersion& negotiated);

// "None", "VNC Authentication", "VeNCrypt"...; "type <n>" for others.
std::string rfb_security_name(uint8_t type);

}  // namespace portolan::audit
