// NTP mode 6 and mode 7 requests and responses; see ntp_control.h.
#include "portolan/audit/ntp_control.h"

#include <span>

#include <fmt/format.h>

#include "portolan/packet/byte_reader.h"

namespace portolan::audit {

namespace {

constexpr uint8_t kModeControl = 6;
constexpr uint8_t kModePrivate = 7;
constexpr uint8_t kRequestMonGetlist1 = 42;
constexpr size_t kMonitorEntrySize = 72;  // struct info_monitor_1
constexpr size_t kMaxAddresses = 8;

ByteReader reader_of(std::string_view bytes) {
  return ByteReader(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())));
}

}  // namespace

std::string build_ntp_readvar_request(uint16_t sequence) {
  std::string out(12, '\0');
  out[0] = static_cast<char>((4 << 3) | kModeControl);  // LI 0, VN 4
  out[1] = 2;                                           // READVAR
  out[2] = static_cast<char>(sequence >> 8);
  out[3] = static_cast<char>(sequence);
  return out;
}

std::string build_ntp_monlist_request() {
  std::string out(48, '\0');
  out[0] = static_cast<char>((2 << 3) | kModePrivate);  // R 0, M 0, VN 2
  out[2] = 3;                                           // IMPL_XNTPD
  out[3] = static_cast<char>(kRequestMonGetlist1);
  return out;
}

Result<NtpControlResponse> parse_ntp_control_response(std::string_view bytes) {
  ByteReader r = reader_of(bytes);
  uint8_t b0 = 0, b1 = 0;
  uint16_t count = 0;
  NtpControlResponse out;
  if (!r.read_u8(b0) || !r.read_u8(b1) || !r.read_be16(out.sequence) || !r.read_be16(out.status) ||
      !r.read_be16(out.association) || !r.read_be16(out.offset) || !r.read_be16(count)) {
    return fail("ntp mode 6: shorter than a header");
  }
  if ((b0 & 0x07) != kModeControl)
    return fail(fmt::format("ntp mode 6: answer in mode {}", b0 & 0x07));
  if ((b1 & 0x80) == 0) return fail("ntp mode 6: not a response");
  out.version = static_cast<uint8_t>((b0 >> 3) & 0x07);
  out.error = (b1 & 0x40) != 0;
  out.more = (b1 & 0x20) != 0;
  out.opcode = static_cast<uint8_t>(b1 & 0x1f);
  if (count > r.remaining()) return fail("ntp mode 6: data cut short");
  out.data = std::string(bytes.substr(r.position(), count));
  return out;
}

std::string ntp_variable(std::string_view text, std::string_view name) {
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() &&
           (text[pos] == ' ' || text[pos] == ',' || text[pos] == '\r' || text[pos] == '\n'))
      ++pos;
    const size_t eq = text.find('=', pos);
    if (eq == std::string_view::npos) return {};
    const std::string_view key = text.substr(pos, eq - pos);
    size_t value_end;
    std::string_view value;
    if (eq + 1 < text.size() && text[eq + 1] == '"') {
      const size_t close = text.find('"', eq + 2);
      value_end = close == std::string_view::npos ? text.size() : close + 1;
      value =
          text.substr(eq + 2, (close == std::string_view::npos ? text.size() : close) - (eq + 2));
    } else {
      value_end = text.find(',', eq + 1);
      if (value_end == std::string_view::npos) value_end = text.size();
      value = text.substr(eq + 1, value_end - (eq + 1));
      while (!value.empty() &&
             (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
      }
    }
    if (key == name) return std::string(value);
    pos = value_end;
  }
  return {};
}

Result<NtpPrivateResponse> parse_ntp_private_response(std::string_view bytes) {
  ByteReader r = reader_of(bytes);
  uint8_t b0 = 0, b1 = 0;
  uint16_t err_items = 0, mbz_size = 0;
  NtpPrivateResponse out;
  if (!r.read_u8(b0) || !r.read_u8(b1) || !r.read_u8(out.implementation) ||
      !r.read_u8(out.request) || !r.read_be16(err_items) || !r.read_be16(mbz_size)) {
    return fail("ntp mode 7: shorter than a header");
  }
  if ((b0 & 0x07) != kModePrivate)
    return fail(fmt::format("ntp mode 7: answer in mode {}", b0 & 0x07));
  if ((b0 & 0x80) == 0) return fail("ntp mode 7: not a response");
  out.more = (b0 & 0x40) != 0;
  out.version = static_cast<uint8_t>((b0 >> 3) & 0x07);
  out.error = static_cast<uint8_t>(err_items >> 12);
  out.items = static_cast<uint16_t>(err_items & 0x0fff);
  out.item_size = static_cast<uint16_t>(mbz_size & 0x0fff);
  if (static_cast<size_t>(out.items) * out.item_size > r.remaining())
    return fail("ntp mode 7: items cut short");
  if (out.request == kRequestMonGetlist1 && out.item_size >= kMonitorEntrySize) {
    // info_monitor_1: avg_int, last_int, restr, count, then addr (4 bytes, network order).
    for (uint16_t i = 0; i < out.items && out.addresses.size() < kMaxAddresses; ++i) {
      const size_t at = r.position() + static_cast<size_t>(i) * out.item_size + 16;
      out.addresses.push_back(fmt::format(
          "{}.{}.{}.{}", static_cast<uint8_t>(bytes[at]), static_cast<uint8_t>(bytes[at + 1]),
          static_cast<uint8_t>(bytes[at + 2]), static_cast<uint8_t>(bytes[at + 3])));
    }
  }
  return out;
}

}  // namespace portolan::audit
