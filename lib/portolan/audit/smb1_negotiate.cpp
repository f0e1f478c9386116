// SMB1 NEGOTIATE request and response; see smb1_negotiate.h.
#include "portolan/audit/smb1_negotiate.h"

#include <fmt/format.h>

namespace portolan::audit {

namespace {

constexpr uint8_t kSmbComNegotiate = 0x72;
constexpr uint16_t kSmb2Negotiate = 0x0000;
constexpr size_t kSmb1HeaderSize = 32;

uint8_t u8(std::string_view s, size_t i) {
  return static_cast<uint8_t>(s[i]);
}
uint16_t le16(std::string_view s, size_t i) {
  return static_cast<uint16_t>(u8(s, i) | (u8(s, i + 1) << 8));
}
uint32_t le32(std::string_view s, size_t i) {
  return uint32_t{le16(s, i)} | (uint32_t{le16(s, i + 2)} << 16);
}

// A NetBIOS name in first-level encoding (RFC 1001 14.1): 16 bytes, padded
// with spaces, each nibble as 'A' + nibble; with its length byte and the
// terminating empty label.
std::string netbios_name(std::string_view name, char suffix) {
  std::string padded(name.substr(0, 15));
  padded.resize(15, ' ');
  padded += suffix;
  std::string out(1, '\x20');
  for (char c : padded) {
    out += static_cast<char>('A' + ((static_cast<uint8_t>(c) >> 4) & 0x0f));
    out += static_cast<char>('A' + (static_cast<uint8_t>(c) & 0x0f));
  }
  out += '\0';
  return out;
}

}  // namespace

std::string build_smb1_negotiate_request() {
  std::string smb("\xffSMB", 4);
  smb += static_cast<char>(kSmbComNegotiate);
  smb += std::string(4, '\0');             // status
  smb += '\x18';                           // flags: canonicalized paths, case insensitive
  smb += std::string_view("\x01\xc0", 2);  // flags2: long names, NT status codes, Unicode
  smb += std::string(12, '\0');            // PIDHigh, SecurityFeatures, reserved
  smb += std::string_view("\x00\x00\x54\x50\x00\x00\x00\x00", 8);  // TID 0, PID "TP", UID 0, MID 0
  const std::string_view dialects("\x02NT LM 0.12\x00", 12);
  smb += '\0';  // WordCount
  smb += static_cast<char>(dialects.size());
  smb += '\0';
  smb += dialects;
  std::string out(1, '\0');
  out += '\0';
  out += static_cast<char>(smb.size() >> 8);
  out += static_cast<char>(smb.size());
  return out + smb;
}

std::string build_netbios_session_request() {
  const std::string body = netbios_name("*SMBSERVER", ' ') + netbios_name("PORTOLAN", '\0');
  std::string out(1, '\x81');
  out += '\0';
  out += static_cast<char>(body.size() >> 8);
  out += static_cast<char>(body.size());
  return out + body;
}

bool netbios_session_accepted(std::string_view bytes) {
  return bytes.size() >= 4 && u8(bytes, 0) == 0x82;
}

Result<SmbNegotiateAnswer> parse_smb_negotiate_response(std::string_view bytes) {
  if (bytes.size() < 4) return fail("smb: no NetBIOS header");
  if (u8(bytes, 0) != 0x00)
    return fail(
        fmt::format("smb: NetBIOS message type {:#04x}, not a session message", u8(bytes, 0)));
  const size_t len = (size_t{u8(bytes, 1)} << 16) | (size_t{u8(bytes, 2)} << 8) | u8(bytes, 3);
  if (bytes.size() - 4 < len) return fail("smb: message cut short");
  const std::string_view msg = bytes.substr(4, len);
  if (msg.size() < 4) return fail("smb: message shorter than a protocol id");
  SmbNegotiateAnswer out;
  if (msg.substr(0, 4) == std::string_view("\xfeSMB", 4)) {
    // SMB2 header: StructureSize(2) CreditCharge(2) Status(4) Command(2) at 12.
    if (msg.size() < 64) return fail("smb2: header cut short");
    if (le16(msg, 12) != kSmb2Negotiate) return fail("smb2: not a NEGOTIATE response");
    out.smb2 = true;
    out.status = le32(msg, 8);
    return out;
  }
  if (msg.substr(0, 4) != std::string_view("\xffSMB", 4)) return fail("smb: not an SMB message");
  if (msg.size() < kSmb1HeaderSize + 1) return fail("smb1: header cut short");
  if (u8(msg, 4) != kSmbComNegotiate) return fail("smb1: not a NEGOTIATE response");
  if ((u8(msg, 9) & 0x80) == 0) return fail("smb1: a request, not a response");
  out.status = le32(msg, 5);
  out.word_count = u8(msg, kSmb1HeaderSize);
  if (out.word_count >= 1) {
    if (msg.size() < kSmb1HeaderSize + 3) return fail("smb1: parameters cut short");
    out.dialect_index = le16(msg, kSmb1HeaderSize + 1);
  }
  return out;
}

}  // namespace portolan::audit
