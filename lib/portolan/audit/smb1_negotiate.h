// SMB1 NEGOTIATE ([MS-CIFS] 2.2.4.52) to learn whether a server still speaks
// SMBv1: we offer only the "NT LM 0.12" dialect; a server with SMBv1
// enabled answers with an SMB1 header (0xFF 'SMB', command 0x72, status 0)
// and the index of the dialect it chose; one without it answers with index
// 0xFFFF, an SMB2 header (0xFE 'SMB'), or closes the connection.
//
// Over TCP port 445 each message has a 4-byte NetBIOS session header (type
// 0x00, 24-bit length in network byte order, RFC 1002 4.3.1); port 139 first
// needs a NetBIOS SESSION REQUEST (type 0x81) answered by 0x82. SMB1 header
// fields are little endian.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "portolan/core/result.h"

namespace portolan::audit {

// The NEGOTIATE request, with its NetBIOS session header.
std::string build_smb1_negotiate_request();
// A NetBIOS SESSION REQUEST to "*SMBSERVER" from "PORTOLAN" (port 139).
std::string build_netbios_session_request();
// True for a positive session response (0x82), false for anything else.
bool netbios_session_accepted(std::string_view bytes);

struct SmbNegotiateAnswer {
  bool smb2 = false;  // the server answered in SMB2 (0xFE 'SMB')
  uint32_t status = 0;
  uint8_t word_count = 0;
  uint16_t dialect_index = 0xffff;  // SMB1 only; 0xFFFF: none of ours
  bool smb1_accepted() const {
    return !smb2 && status == 0 && word_count >= 1 && dialect_index != 0xffff;
  }
};

// The server's answer, NetBIOS header included. An error when it is not an
// SMB1 or SMB2 NEGOTIATE response or has not all arrived.
Result<SmbNegotiateAnswer> parse_smb_negotiate_response(std::string_view bytes);

}  // namespace portolan::audit
