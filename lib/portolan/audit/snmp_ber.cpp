// SNMP GET building and response parsing in BER; see snmp_ber.h.
#include "portolan/audit/snmp_ber.h"

#include <fmt/format.h>

namespace portolan::audit {

namespace {

constexpr uint8_t kInteger = 0x02;
constexpr uint8_t kOctetString = 0x04;
constexpr uint8_t kNull = 0x05;
constexpr uint8_t kOid = 0x06;
constexpr uint8_t kSequence = 0x30;
constexpr uint8_t kGetRequest = 0xa0;
constexpr uint8_t kResponse = 0xa2;
constexpr size_t kMaxArcs = 128;
constexpr size_t kMaxVarBinds = 64;

std::string tlv(uint8_t tag, std::string_view value) {
  std::string out(1, static_cast<char>(tag));
  const size_t n = value.size();
  if (n < 0x80) {
    out += static_cast<char>(n);
  } else if (n < 0x100) {
    out += '\x81';
    out += static_cast<char>(n);
  } else {
    out += '\x82';
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n);
  }
  out += value;
  return out;
}

std::string encode_integer(int64_t v) {
  // Minimal two's complement, big endian.
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8)
    out += static_cast<char>(static_cast<uint64_t>(v) >> shift);
  size_t skip = 0;
  while (skip + 1 < out.size() &&
         ((out[skip] == '\0' && (static_cast<uint8_t>(out[skip + 1]) & 0x80) == 0) ||
          (out[skip] == '\xff' && (static_cast<uint8_t>(out[skip + 1]) & 0x80) != 0))) {
    ++skip;
  }
  return out.substr(skip);
}

void encode_base128(std::string& out, uint64_t v) {
  char tmp[10];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>(v & 0x7f);
    v >>= 7;
  } while (v != 0 && n < 10);
  while (n > 1) out += static_cast<char>(tmp[--n] | 0x80);
  out += tmp[0];
}

Result<std::string> encode_oid(std::string_view dotted) {
  std::vector<uint64_t> arcs;
  size_t pos = 0;
  while (pos <= dotted.size()) {
    const size_t dot = std::min(dotted.find('.', pos), dotted.size());
    const std::string_view arc = dotted.substr(pos, dot - pos);
    if (arc.empty() || arc.size() > 9 ||
        arc.find_first_not_of("0123456789") != std::string_view::npos) {
      return fail(fmt::format("snmp: bad OID '{}'", dotted));
    }
    arcs.push_back(std::stoull(std::string(arc)));
    pos = dot + 1;
  }
  if (arcs.size() < 2 || arcs[0] > 2 || arcs[1] > 39)
    return fail(fmt::format("snmp: bad OID '{}'", dotted));
  std::string out;
  encode_base128(out, arcs[0] * 40 + arcs[1]);
  for (size_t i = 2; i < arcs.size(); ++i) encode_base128(out, arcs[i]);
  return out;
}

// A cursor over one BER constructed value's contents.
class BerReader {
 public:
  explicit BerReader(std::string_view bytes) : bytes_(bytes) {}
  bool empty() const { return pos_ >= bytes_.size(); }

  // The next TLV: its tag and contents; false when malformed or cut short.
  bool next(uint8_t& tag, std::string_view& value) {
    if (bytes_.size() - pos_ < 2) return false;
    tag = static_cast<uint8_t>(bytes_[pos_]);
    if ((tag & 0x1f) == 0x1f) return false;  // multi-byte tags do not occur in SNMP
    size_t len = static_cast<uint8_t>(bytes_[pos_ + 1]);
    size_t at = pos_ + 2;
    if (len & 0x80) {
      const size_t n = len & 0x7f;
      if (n == 0 || n > 4 || bytes_.size() - at < n) return false;  // indefinite or oversized
      len = 0;
      for (size_t i = 0; i < n; ++i) len = (len << 8) | static_cast<uint8_t>(bytes_[at + i]);
      at += n;
    }
    if (bytes_.size() - at < len) return false;
    value = bytes_.substr(at, len);
    pos_ = at + len;
    return true;
  }
  bool expect(uint8_t want, std::string_view& value) {
    uint8_t tag = 0;
    return next(tag, value) && tag == want;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

bool decode_integer(std::string_view v, int64_t& out) {
  if (v.empty() || v.size() > 8) return false;
  uint64_t x = (static_cast<uint8_t>(v[0]) & 0x80) ? ~uint64_t{0} : 0;
  for (char c : v) x = (x << 8) | static_cast<uint8_t>(c);
  out = static_cast<int64_t>(x);
  return true;
}

bool decode_unsigned(std::string_view v, uint64_t& out) {
  if (v.empty() || v.size() > 9 || (v.size() == 9 && v[0] != '\0')) return false;
  out = 0;
  for (char c : v) out = (out << 8) | static_cast<uint8_t>(c);
  return true;
}

bool decode_oid(std::string_view v, std::string& out) {
  if (v.empty()) return false;
  out.clear();
  uint64_t arc = 0;
  size_t arcs = 0;
  size_t bytes_in_arc = 0;
  for (char ch : v) {
    const auto c = static_cast<uint8_t>(ch);
    if (++bytes_in_arc > 9) return false;
    arc = (arc << 7) | (c & 0x7f);
    if (c & 0x80) continue;
    if (++arcs > kMaxArcs) return false;
    if (out.empty()) {
      const uint64_t first = arc < 80 ? arc / 40 : 2;
      out = fmt::format("{}.{}", first, arc - first * 40);
    } else {
      out += fmt::format(".{}", arc);
    }
    arc = 0;
    bytes_in_arc = 0;
  }
  return bytes_in_arc == 0;  // the last arc must be complete
}

}  // namespace

Result<std::string> build_snmp_get(SnmpVersion version, std::string_view community,
                                   int32_t request_id, std::string_view oid) {
  auto oid_bytes = encode_oid(oid);
  if (!oid_bytes) return Unexpected(oid_bytes.error());
  const std::string varbind = tlv(kSequence, tlv(kOid, *oid_bytes) + tlv(kNull, {}));
  const std::string pdu = tlv(
      kGetRequest, tlv(kInteger, encode_integer(request_id)) + tlv(kInteger, encode_integer(0)) +
                       tlv(kInteger, encode_integer(0)) + tlv(kSequence, varbind));
  return tlv(kSequence, tlv(kInteger, encode_integer(static_cast<int64_t>(version))) +
                            tlv(kOctetString, community) + pdu);
}

Result<SnmpMessage> parse_snmp_message(std::string_view bytes) {
  BerReader top(bytes);
  std::string_view message, v;
  if (!top.expect(kSequence, message)) return fail("snmp: not a BER SEQUENCE");
  BerReader r(message);
  SnmpMessage m;
  int64_t version = 0;
  if (!r.expect(kInteger, v) || !decode_integer(v, version)) return fail("snmp: no version");
  if (version != 0 && version != 1)
    return fail(fmt::format("snmp: version {} is not v1 or v2c", version));
  m.version = static_cast<SnmpVersion>(version);
  if (!r.expect(kOctetString, v)) return fail("snmp: no community");
  m.community = std::string(v);
  std::string_view pdu;
  if (!r.next(m.pdu_tag, pdu) || (m.pdu_tag & 0xe0) != 0xa0) return fail("snmp: no PDU");
  if (m.pdu_tag == 0xa4) return fail("snmp: a v1 trap, not a response");
  BerReader p(pdu);
  if (!p.expect(kInteger, v) || !decode_integer(v, m.request_id))
    return fail("snmp: no request-id");
  if (!p.expect(kInteger, v) || !decode_integer(v, m.error_status))
    return fail("snmp: no error-status");
  if (!p.expect(kInteger, v) || !decode_integer(v, m.error_index))
    return fail("snmp: no error-index");
  std::string_view list;
  if (!p.expect(kSequence, list)) return fail("snmp: no varbind list");
  BerReader vl(list);
  while (!vl.empty()) {
    if (m.varbinds.size() >= kMaxVarBinds) return fail("snmp: too many varbinds");
    std::string_view vb;
    if (!vl.expect(kSequence, vb)) return fail("snmp: malformed varbind");
    BerReader b(vb);
    SnmpVarBind out;
    if (!b.expect(kOid, v) || !decode_oid(v, out.oid)) return fail("snmp: malformed varbind name");
    if (!b.next(out.value_tag, v)) return fail("snmp: malformed varbind value");
    if (out.value_tag == kOctetString) {
      out.value = std::string(v);
    } else if (out.value_tag == kInteger) {
      int64_t i = 0;
      if (!decode_integer(v, i)) return fail("snmp: malformed integer value");
      out.value = std::to_string(i);
    } else if (out.value_tag >= 0x41 &&
               out.value_tag <= 0x47) {  // Counter32, Gauge32, TimeTicks, Counter64...
      uint64_t u = 0;
      if (decode_unsigned(v, u)) out.value = std::to_string(u);
    } else if (out.value_tag == kOid) {
      if (!decode_oid(v, out.value)) return fail("snmp: malformed OID value");
    }
    m.varbinds.push_back(std::move(out));
  }
  return m;
}

bool snmp_is_response_to(const SnmpMessage& m, int64_t request_id) {
  return m.pdu_tag == kResponse && m.request_id == request_id;
}

std::string snmp_first_value(const SnmpMessage& m) {
  if (m.error_status != 0 || m.varbinds.empty()) return {};
  return m.varbinds[0].value;
}

}  // namespace portolan::audit
