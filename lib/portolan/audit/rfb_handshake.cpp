// RFB version and security-type parsing; see rfb_handshake.h.
#include "portolan/audit/rfb_handshake.h"

#include <span>

#include <fmt/format.h>

#include "portolan/packet/byte_reader.h"

namespace portolan::audit {

namespace {

constexpr uint32_t kMaxReason = 4096;

ByteReader reader_of(std::string_view bytes) {
  return ByteReader(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())));
}

bool three_digits(std::string_view s, int& out) {
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

Result<std::string> read_reason(ByteReader& r, std::string_view bytes) {
  uint32_t len = 0;
  if (!r.read_be32(len)) return fail("rfb: failure reason cut short");
  if (len > kMaxReason) return fail("rfb: failure reason too long");
  if (r.remaining() < len) return fail("rfb: failure reason cut short");
  return std::string(bytes.substr(r.position(), len));
}

}  // namespace

Result<RfbVersion> parse_rfb_version(std::string_view bytes) {
  if (bytes.size() < 12) return fail("rfb: version cut short");
  const std::string_view v = bytes.substr(0, 12);
  RfbVersion out;
  if (v.substr(0, 4) != "RFB " || v[7] != '.' || v[11] != '\n' ||
      !three_digits(v.substr(4, 3), out.major) || !three_digits(v.substr(8, 3), out.minor)) {
    return fail("rfb: not an RFB ProtocolVersion");
  }
  return out;
}

RfbVersion rfb_client_version(const RfbVersion& server) {
  if (server.major > 3 || (server.major == 3 && server.minor >= 8)) return {3, 8};
  if (server.major == 3 && server.minor == 7) return {3, 7};
  return {3, 3};
}

std::string format_rfb_version(const RfbVersion& v) {
  return fmt::format("RFB {:03}.{:03}\n", v.major, v.minor);
}

Result<RfbSecurity> parse_rfb_security(std::string_view bytes, const RfbVersion& negotiated) {
  ByteReader r = reader_of(bytes);
  RfbSecurity out;
  if (negotiated.major == 3 && negotiated.minor < 7) {
    uint32_t type = 0;
    if (!r.read_be32(type)) return fail("rfb: security type cut short");
    if (type == 0) {
      auto reason = read_reason(r, bytes);
      if (!reason) return Unexpected(reason.error());
      out.reason = std::move(*reason);
      return out;
    }
    if (type > 255) return fail(fmt::format("rfb: security type {} out of range", type));
    out.types.push_back(static_cast<uint8_t>(type));
    return out;
  }
  uint8_t count = 0;
  if (!r.read_u8(count)) return fail("rfb: security types cut short");
  if (count == 0) {
    auto reason = read_reason(r, bytes);
    if (!reason) return Unexpected(reason.error());
    out.reason = std::move(*reason);
    return out;
  }
  out.types.resize(count);
  if (!r.read_bytes(out.types.data(), count)) return fail("rfb: security types cut short");
  return out;
}

std::string rfb_security_name(uint8_t type) {
  switch (type) {
    case 1:
      return "None";
    case 2:
      return "VNC Authentication";
    case 5:
      return "RA2";
    case 16:
      return "Tight";
    case 18:
      return "TLS";
    case 19:
      return "VeNCrypt";
    case 30:
      return "Apple Remote Desktop";
    default:
      return fmt::format("type {}", type);
  }
}

}  // namespace portolan::audit
