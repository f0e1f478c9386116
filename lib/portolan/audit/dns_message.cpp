// DNS query building and answer parsing; see dns_message.h.
#include "portolan/audit/dns_message.h"

#include <span>

#include <fmt/format.h>

#include "portolan/packet/byte_reader.h"

namespace portolan::audit {

namespace {

constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxNameBytes = 255;
constexpr int kMaxPointers = 64;
constexpr size_t kMaxAnswers = 512;

ByteReader reader_of(std::string_view bytes) {
  return ByteReader(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())));
}

// Reads the name starting at `pos` of `msg`, following compression pointers,
// into dotted form; sets `end` to just after the name where it started (after
// its first pointer, if any).
bool read_name(std::string_view msg, size_t pos, std::string& out, size_t& end) {
  out.clear();
  size_t wire_length = 0;
  int pointers = 0;
  bool jumped = false;
  size_t lowest = pos;  // a pointer must go below every place seen so far
  while (true) {
    if (pos >= msg.size()) return false;
    const auto len = static_cast<uint8_t>(msg[pos]);
    if ((len & 0xc0) == 0xc0) {
      if (pos + 1 >= msg.size()) return false;
      const size_t target =
          (static_cast<size_t>(len & 0x3f) << 8) | static_cast<uint8_t>(msg[pos + 1]);
      if (!jumped) end = pos + 2;
      if (++pointers > kMaxPointers || target >= lowest) return false;
      jumped = true;
      pos = target;
      lowest = target;
      continue;
    }
    if ((len & 0xc0) != 0) return false;  // 0x40 and 0x80 label types are obsolete or unused
    if (len == 0) {
      if (!jumped) end = pos + 1;
      if (out.empty()) out = ".";
      return true;
    }
    wire_length += len + 1;
    if (wire_length > kMaxNameBytes || pos + 1 + len > msg.size()) return false;
    if (!out.empty()) out += '.';
    out.append(msg.substr(pos + 1, len));
    pos += 1 + len;
  }
}

}  // namespace

Result<std::string> build_dns_query(uint16_t id, std::string_view name, uint16_t type,
                                    bool recursion_desired) {
  if (name == ".") name = {};
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.size() > 253) return fail("dns query: name longer than 253 bytes");
  std::string out;
  out += static_cast<char>(id >> 8);
  out += static_cast<char>(id);
  out += static_cast<char>(recursion_desired ? 0x01 : 0x00);
  out += '\0';
  out += std::string_view("\x00\x01\x00\x00\x00\x00\x00\x00", 8);  // one question
  while (!name.empty()) {
    const size_t dot = name.find('.');
    const std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > 63)
      return fail(fmt::format("dns query: bad label in '{}'", name));
    out += static_cast<char>(label.size());
    out += label;
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  out += '\0';
  out += static_cast<char>(type >> 8);
  out += static_cast<char>(type);
  out += std::string_view("\x00\x01", 2);  // class IN
  return out;
}

Result<DnsMessage> parse_dns_message(std::string_view bytes) {
  if (bytes.size() < kHeaderSize) return fail("dns message: shorter than a header");
  ByteReader r = reader_of(bytes);
  DnsMessage m;
  uint16_t flags = 0;
  (void)(r.read_be16(m.id) && r.read_be16(flags) && r.read_be16(m.questions) &&
         r.read_be16(m.answer_count) && r.read_be16(m.authority_count) &&
         r.read_be16(m.additional_count));
  m.response = (flags & 0x8000) != 0;
  m.opcode = static_cast<uint8_t>((flags >> 11) & 0x0f);
  m.authoritative = (flags & 0x0400) != 0;
  m.truncated = (flags & 0x0200) != 0;
  m.recursion_desired = (flags & 0x0100) != 0;
  m.recursion_available = (flags & 0x0080) != 0;
  m.rcode = static_cast<uint8_t>(flags & 0x0f);

  size_t pos = kHeaderSize;
  std::string name;
  for (uint16_t i = 0; i < m.questions; ++i) {
    size_t end = 0;
    if (!read_name(bytes, pos, name, end)) return fail("dns message: malformed question name");
    pos = end + 4;
    if (pos > bytes.size()) return fail("dns message: cut short in a question");
  }
  if (m.answer_count > kMaxAnswers) return fail("dns message: too many answers");
  for (uint16_t i = 0; i < m.answer_count; ++i) {
    DnsRecord rec;
    size_t end = 0;
    if (!read_name(bytes, pos, rec.name, end)) return fail("dns message: malformed answer name");
    ByteReader rr = reader_of(bytes.substr(end));
    uint16_t rdlength = 0;
    if (!rr.read_be16(rec.type) || !rr.read_be16(rec.klass) || !rr.read_be32(rec.ttl) ||
        !rr.read_be16(rdlength) || rr.remaining() < rdlength) {
      return fail("dns message: cut short in an answer");
    }
    const size_t rdata = end + 10;
    if (rec.type == kDnsTypeA && rdlength == 4) {
      rec.data = fmt::format(
          "{}.{}.{}.{}", static_cast<uint8_t>(bytes[rdata]), static_cast<uint8_t>(bytes[rdata + 1]),
          static_cast<uint8_t>(bytes[rdata + 2]), static_cast<uint8_t>(bytes[rdata + 3]));
    } else if (rec.type == kDnsTypeNs || rec.type == 5 || rec.type == 12) {
      size_t name_end = 0;
      if (!read_name(bytes.substr(0, rdata + rdlength), rdata, rec.data, name_end)) {
        return fail("dns message: malformed name in an answer");
      }
    } else {
      rec.data = std::string(bytes.substr(rdata, rdlength));
    }
    pos = rdata + rdlength;
    m.answers.push_back(std::move(rec));
  }
  return m;
}

std::string dns_rcode_name(uint8_t rcode) {
  switch (rcode) {
    case 0:
      return "NOERROR";
    case 1:
      return "FORMERR";
    case 2:
      return "SERVFAIL";
    case 3:
      return "NXDOMAIN";
    case 4:
      return "NOTIMP";
    case 5:
      return "REFUSED";
    default:
      return fmt::format("RCODE{}", rcode);
  }
}

std::string dns_tcp_frame(std::string_view message) {
  std::string out;
  out += static_cast<char>(message.size() >> 8);
  out += static_cast<char>(message.size());
  out += message;
  return out;
}

Result<std::string_view> dns_tcp_unframe(std::string_view bytes) {
  if (bytes.size() < 2) return fail("dns over tcp: no length");
  const size_t len =
      (static_cast<size_t>(static_cast<uint8_t>(bytes[0])) << 8) | static_cast<uint8_t>(bytes[1]);
  if (bytes.size() - 2 < len) return fail("dns over tcp: message cut short");
  return bytes.substr(2, len);
}

}  // namespace portolan::audit
