#include "portolan/probes/udp_payloads.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace portolan {
namespace {

// A bounds-checked reader: every read past the end sets `failed` and yields
// zeros, so a decoder never touches memory outside the payload.
class Reader {
 public:
  explicit Reader(std::span<const std::byte> data) : data_(data) {}

  bool failed() const { return failed_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return !failed_ && pos_ == data_.size(); }

  uint8_t u8() {
    if (remaining() < 1) {
      failed_ = true;
      return 0;
    }
    return static_cast<uint8_t>(data_[pos_++]);
  }
  uint16_t u16() { return static_cast<uint16_t>(u8() << 8 | u8()); }
  uint32_t u32() { return static_cast<uint32_t>(u16()) << 16 | u16(); }
  std::string text(size_t n) {
    if (remaining() < n) {
      failed_ = true;
      pos_ = data_.size();
      return {};
    }
    std::string out(reinterpret_cast<const char*>(data_.data() + pos_), n);
    pos_ += n;
    return out;
  }
  // Text up to a NUL, which is consumed.
  std::string cstring() {
    std::string out;
    for (;;) {
      const uint8_t c = u8();
      if (failed_ || c == 0) return out;
      out.push_back(static_cast<char>(c));
    }
  }
  Reader sub(size_t n) {
    if (remaining() < n) {
      failed_ = true;
      pos_ = data_.size();
      return Reader({});
    }
    Reader r(data_.subspan(pos_, n));
    pos_ += n;
    return r;
  }

 private:
  std::span<const std::byte> data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

std::vector<uint8_t> bytes_of(std::span<const std::byte> s) {
  std::vector<uint8_t> out;
  for (std::byte b : s) out.push_back(static_cast<uint8_t>(b));
  return out;
}

std::string text_of(std::span<const std::byte> s) {
  return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

// --- DNS (RFC 1035 4.1) ---

struct DnsQuestion {
  uint16_t id = 0;
  uint16_t flags = 0;
  std::string qname;
  uint16_t qtype = 0;
  uint16_t qclass = 0;
};

// Decodes a message with exactly one question and no records; labels must be
// 1..63 bytes, the name at most 255, and no compression pointers.
std::optional<DnsQuestion> decode_dns_query(std::span<const std::byte> p) {
  Reader r(p);
  DnsQuestion q;
  q.id = r.u16();
  q.flags = r.u16();
  if (r.u16() != 1 || r.u16() != 0 || r.u16() != 0 || r.u16() != 0) return std::nullopt;
  size_t name_len = 0;
  for (;;) {
    const uint8_t len = r.u8();
    if (r.failed() || len > 63) return std::nullopt;
    ++name_len;
    if (len == 0) break;
    if (!q.qname.empty()) q.qname += '.';
    q.qname += r.text(len);
    name_len += len;
  }
  if (name_len > 255) return std::nullopt;
  q.qtype = r.u16();
  q.qclass = r.u16();
  if (!r.at_end()) return std::nullopt;
  return q;
}

TEST(UdpPayloadsTest, DnsIsAVersionBindChaosQuery) {
  const auto q = decode_dns_query(udp_payload_for(53));
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->flags & 0x8000, 0);       // QR: a query
  EXPECT_EQ((q->flags >> 11) & 0xf, 0);  // opcode QUERY
  EXPECT_EQ(q->qname, "version.bind");
  EXPECT_EQ(q->qtype, 16);  // TXT
  EXPECT_EQ(q->qclass, 3);  // CH
}

TEST(UdpPayloadsTest, DnsGoldenBytes) {
  // RFC 1035 4.1.1 header, 4.1.2 question; RFC 4892 2 for the name and class.
  const std::vector<uint8_t> golden = {
      0x50, 0x54,                                      // ID
      0x00, 0x00,                                      // flags: standard query
      0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // QD=1 AN=0 NS=0 AR=0
      0x07, 'v',  'e',  'r',  's',  'i',  'o',  'n',   // "version"
      0x04, 'b',  'i',  'n',  'd',  0x00,              // "bind", root
      0x00, 0x10,                                      // QTYPE TXT (16)
      0x00, 0x03,                                      // QCLASS CH (3)
  };
  EXPECT_EQ(bytes_of(udp_payload_for(53)), golden);
}

TEST(UdpPayloadsTest, MdnsIsAServiceEnumerationQuery) {
  const auto q = decode_dns_query(udp_payload_for(5353));
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->flags, 0);
  EXPECT_EQ(q->qname, "_services._dns-sd._udp.local");
  EXPECT_EQ(q->qtype, 12);  // PTR
  EXPECT_EQ(q->qclass, 1);  // IN, unicast-response bit clear
}

// --- NTP (RFC 5905 7.3) ---

TEST(UdpPayloadsTest, NtpIsAVersion4ClientRequest) {
  const auto p = udp_payload_for(123);
  ASSERT_EQ(p.size(), 48u);
  Reader r(p);
  const uint8_t first = r.u8();
  EXPECT_EQ((first >> 3) & 7, 4);  // VN
  EXPECT_EQ(first & 7, 3);         // mode: client
  r.text(39);
  EXPECT_NE(r.u32() | r.u32(), 0u);  // transmit timestamp set
  EXPECT_TRUE(r.at_end());
}

TEST(UdpPayloadsTest, NtpGoldenBytes) {
  std::vector<uint8_t> golden = {0xe3, 0x00, 0x06,
                                 0xec};  // LI=3 VN=4 Mode=3, stratum, poll, precision
  golden.resize(40, 0);  // root delay, dispersion, ref id, ref/origin/receive timestamps
  for (int b : {0xe2, 0xb7, 0x4e, 0x00, 0x00, 0x00, 0x00, 0x00}) {
    golden.push_back(static_cast<uint8_t>(b));
  }
  EXPECT_EQ(bytes_of(udp_payload_for(123)), golden);
}

// --- BER (X.690), for SNMP and CLDAP ---

struct Tlv {
  uint8_t tag = 0;
  Reader value{{}};
};

// One TLV with a definite length (short or long form), bounds-checked.
std::optional<Tlv> read_tlv(Reader& r) {
  Tlv t;
  t.tag = r.u8();
  size_t len = r.u8();
  if (len & 0x80) {
    const size_t n = len & 0x7f;
    if (n == 0 || n > 2) return std::nullopt;  // indefinite or absurd
    len = 0;
    for (size_t i = 0; i < n; ++i) len = len << 8 | r.u8();
  }
  if (r.failed()) return std::nullopt;
  t.value = r.sub(len);
  if (r.failed()) return std::nullopt;
  return t;
}

std::optional<int64_t> ber_integer(Tlv t) {
  if (t.value.remaining() == 0 || t.value.remaining() > 8) return std::nullopt;
  int64_t v = static_cast<int8_t>(t.value.u8());
  while (t.value.remaining() > 0) v = v * 256 + t.value.u8();
  return v;
}

std::string ber_oid(Tlv t) {
  std::string out;
  const uint8_t first = t.value.u8();
  out = std::to_string(first / 40) + "." + std::to_string(first % 40);
  uint64_t arc = 0;
  while (t.value.remaining() > 0) {
    const uint8_t b = t.value.u8();
    arc = arc << 7 | (b & 0x7f);
    if ((b & 0x80) == 0) {
      out += "." + std::to_string(arc);
      arc = 0;
    }
  }
  return out;
}

TEST(UdpPayloadsTest, SnmpIsAV2cGetRequestForSysDescr) {
  Reader r(udp_payload_for(161));
  auto message = read_tlv(r);
  ASSERT_TRUE(message && message->tag == 0x30);
  EXPECT_TRUE(r.at_end());
  Reader& m = message->value;
  auto version = read_tlv(m);
  ASSERT_TRUE(version && version->tag == 0x02);
  EXPECT_EQ(ber_integer(*version), 1);  // v2c
  auto community = read_tlv(m);
  ASSERT_TRUE(community && community->tag == 0x04);
  EXPECT_EQ(community->value.text(community->value.remaining()), "public");
  auto pdu = read_tlv(m);
  ASSERT_TRUE(pdu && pdu->tag == 0xa0);  // GetRequest-PDU
  EXPECT_TRUE(m.at_end());
  Reader& g = pdu->value;
  auto request_id = read_tlv(g);
  auto error_status = read_tlv(g);
  auto error_index = read_tlv(g);
  ASSERT_TRUE(request_id && error_status && error_index);
  EXPECT_TRUE(ber_integer(*request_id).has_value());
  EXPECT_EQ(ber_integer(*error_status), 0);
  EXPECT_EQ(ber_integer(*error_index), 0);
  auto bindings = read_tlv(g);
  ASSERT_TRUE(bindings && bindings->tag == 0x30);
  EXPECT_TRUE(g.at_end());
  auto binding = read_tlv(bindings->value);
  ASSERT_TRUE(binding && binding->tag == 0x30);
  EXPECT_TRUE(bindings->value.at_end());
  auto name = read_tlv(binding->value);
  ASSERT_TRUE(name && name->tag == 0x06);
  EXPECT_EQ(ber_oid(*name), "1.3.6.1.2.1.1.1.0");
  auto value = read_tlv(binding->value);
  ASSERT_TRUE(value && value->tag == 0x05 && value->value.remaining() == 0);  // NULL
  EXPECT_TRUE(binding->value.at_end());
}

TEST(UdpPayloadsTest, SnmpGoldenBytes) {
  // RFC 3416 3 PDU inside the RFC 1901 v2c message, BER per X.690 8.
  const std::vector<uint8_t> golden = {
      0x30, 0x29,                                                  // SEQUENCE, 41 bytes
      0x02, 0x01, 0x01,                                            // version 1 (v2c)
      0x04, 0x06, 'p',  'u',  'b',  'l',  'i',  'c',               // community
      0xa0, 0x1c,                                                  // GetRequest-PDU, 28 bytes
      0x02, 0x04, 0x50, 0x6f, 0x72, 0x74,                          // request-id
      0x02, 0x01, 0x00,                                            // error-status
      0x02, 0x01, 0x00,                                            // error-index
      0x30, 0x0e,                                                  // varbind list, 14 bytes
      0x30, 0x0c,                                                  // varbind, 12 bytes
      0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00,  // 1.3.6.1.2.1.1.1.0
      0x05, 0x00,                                                  // NULL
  };
  EXPECT_EQ(bytes_of(udp_payload_for(161)), golden);
}

TEST(UdpPayloadsTest, CldapIsARootDseSearch) {
  Reader r(udp_payload_for(389));
  auto message = read_tlv(r);
  ASSERT_TRUE(message && message->tag == 0x30);
  EXPECT_TRUE(r.at_end());
  auto id = read_tlv(message->value);
  ASSERT_TRUE(id && id->tag == 0x02);
  EXPECT_GT(ber_integer(*id).value_or(0), 0);
  auto search = read_tlv(message->value);
  ASSERT_TRUE(search && search->tag == 0x63);  // [APPLICATION 3] SearchRequest
  EXPECT_TRUE(message->value.at_end());
  Reader& s = search->value;
  auto base = read_tlv(s);
  ASSERT_TRUE(base && base->tag == 0x04);
  EXPECT_EQ(base->value.remaining(), 0u);           // "" = root DSE
  for (int tag : {0x0a, 0x0a, 0x02, 0x02, 0x01}) {  // scope, deref, size, time, typesOnly
    auto field = read_tlv(s);
    ASSERT_TRUE(field && field->tag == tag);
    EXPECT_EQ(ber_integer(*field), 0);
  }
  auto filter = read_tlv(s);
  ASSERT_TRUE(filter && filter->tag == 0x87);  // present
  EXPECT_EQ(filter->value.text(filter->value.remaining()), "objectClass");
  auto attributes = read_tlv(s);
  ASSERT_TRUE(attributes && attributes->tag == 0x30);
  auto attribute = read_tlv(attributes->value);
  ASSERT_TRUE(attribute && attribute->tag == 0x04);
  EXPECT_EQ(attribute->value.text(attribute->value.remaining()), "supportedLDAPVersion");
  EXPECT_TRUE(attributes->value.at_end());
  EXPECT_TRUE(s.at_end());
}

// --- NetBIOS name service (RFC 1002 4.2.17, RFC 1001 14.1) ---

TEST(UdpPayloadsTest, NetbiosIsANodeStatusQueryForTheWildcard) {
  Reader r(udp_payload_for(137));
  r.u16();                         // transaction id
  EXPECT_EQ(r.u16() & 0xf800, 0);  // query, opcode 0
  EXPECT_EQ(r.u16(), 1);
  EXPECT_EQ(r.u16() | r.u16() | r.u16(), 0);
  ASSERT_EQ(r.u8(), 32);  // the encoded name is always 32 characters
  const std::string encoded = r.text(32);
  std::string name;
  for (size_t i = 0; i + 1 < encoded.size(); i += 2) {
    const int hi = encoded[i] - 'A';
    const int lo = encoded[i + 1] - 'A';
    ASSERT_TRUE(hi >= 0 && hi < 16 && lo >= 0 && lo < 16) << encoded;
    name.push_back(static_cast<char>(hi << 4 | lo));
  }
  EXPECT_EQ(name, std::string("*") + std::string(15, '\0'));
  EXPECT_EQ(r.u8(), 0);
  EXPECT_EQ(r.u16(), 0x0021);  // NBSTAT
  EXPECT_EQ(r.u16(), 0x0001);  // IN
  EXPECT_TRUE(r.at_end());
}

TEST(UdpPayloadsTest, NetbiosGoldenBytes) {
  // Built as one string: GCC 12 at -O3 misreads vector::insert here (-Warray-bounds).
  const std::string text = std::string(
                               "\x50\x54\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x20"
                               "CK",
                               15) +
                           std::string(30, 'A') +  // 15 NULs, two 'A's each
                           std::string("\x00\x00\x21\x00\x01", 5);
  const std::vector<uint8_t> golden(text.begin(), text.end());
  EXPECT_EQ(bytes_of(udp_payload_for(137)), golden);
}

// --- ONC RPC (RFC 5531 9) ---

void expect_rpc_null_call(uint16_t port, uint32_t program, uint32_t version) {
  Reader r(udp_payload_for(port));
  r.u32();                 // xid
  EXPECT_EQ(r.u32(), 0u);  // CALL
  EXPECT_EQ(r.u32(), 2u);  // RPC version
  EXPECT_EQ(r.u32(), program);
  EXPECT_EQ(r.u32(), version);
  EXPECT_EQ(r.u32(), 0u);        // NULL procedure
  for (int i = 0; i < 2; ++i) {  // credential, verifier
    EXPECT_EQ(r.u32(), 0u);      // AUTH_NONE
    const uint32_t len = r.u32();
    EXPECT_EQ(len, 0u);
    r.text(len);
  }
  EXPECT_TRUE(r.at_end()) << port;
}

TEST(UdpPayloadsTest, RpcbindIsANullCall) {
  expect_rpc_null_call(111, 100000, 2);
}
TEST(UdpPayloadsTest, NfsIsANullCall) {
  expect_rpc_null_call(2049, 100003, 3);
}

// --- text protocols ---

// Splits "start line CRLF (header CRLF)* CRLF"; fails unless the message ends
// right after the empty line.
struct TextMessage {
  std::string start_line;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      std::string lk = k, ln = name;
      for (auto& c : lk) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (auto& c : ln) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lk == ln) return v;
    }
    return {};
  }
};

std::optional<TextMessage> parse_text_message(const std::string& s) {
  TextMessage m;
  size_t pos = 0;
  bool first = true;
  for (;;) {
    const size_t eol = s.find("\r\n", pos);
    if (eol == std::string::npos) return std::nullopt;
    const std::string line = s.substr(pos, eol - pos);
    pos = eol + 2;
    if (first) {
      m.start_line = line;
      first = false;
      continue;
    }
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    m.headers.emplace_back(line.substr(0, colon), value);
  }
  if (pos != s.size()) return std::nullopt;
  return m;
}

TEST(UdpPayloadsTest, SsdpIsAnMSearchForEverything) {
  const auto m = parse_text_message(text_of(udp_payload_for(1900)));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->start_line, "M-SEARCH * HTTP/1.1");
  EXPECT_EQ(m->header("HOST"), "239.255.255.250:1900");
  EXPECT_EQ(m->header("MAN"), "\"ssdp:discover\"");
  EXPECT_EQ(m->header("ST"), "ssdp:all");
  const std::string mx = m->header("MX");
  ASSERT_FALSE(mx.empty());
  EXPECT_GE(std::stoi(mx), 1);
  EXPECT_LE(std::stoi(mx), 5);
}

TEST(UdpPayloadsTest, SipIsAnOptionsRequestWithTheMandatoryHeaders) {
  const auto m = parse_text_message(text_of(udp_payload_for(5060)));
  ASSERT_TRUE(m.has_value());
  // RFC 3261 7.1: Method SP Request-URI SP SIP-Version.
  ASSERT_EQ(m->start_line.rfind("OPTIONS sip:", 0), 0u) << m->start_line;
  EXPECT_EQ(m->start_line.substr(m->start_line.size() - 8), " SIP/2.0");
  EXPECT_EQ(std::count(m->start_line.begin(), m->start_line.end(), ' '), 2);
  // RFC 3261 8.1.1: To, From, CSeq, Call-ID, Max-Forwards, Via.
  const std::string via = m->header("Via");
  EXPECT_EQ(via.rfind("SIP/2.0/UDP ", 0), 0u);
  EXPECT_NE(via.find(";branch=z9hG4bK"), std::string::npos);  // 8.1.1.7 magic cookie
  EXPECT_NE(via.find(";rport"), std::string::npos);           // RFC 3581
  EXPECT_FALSE(m->header("To").empty());
  EXPECT_NE(m->header("From").find(";tag="), std::string::npos);  // 8.1.1.3
  EXPECT_FALSE(m->header("Call-ID").empty());
  EXPECT_EQ(m->header("CSeq"), "1 OPTIONS");  // method matches the request line
  EXPECT_EQ(m->header("Max-Forwards"), "70");
  EXPECT_EQ(m->header("Content-Length"), "0");
}

TEST(UdpPayloadsTest, MemcachedHasTheUdpFrameHeaderAndACommand) {
  Reader r(udp_payload_for(11211));
  r.u16();                // request id
  EXPECT_EQ(r.u16(), 0);  // sequence number
  EXPECT_EQ(r.u16(), 1);  // total datagrams
  EXPECT_EQ(r.u16(), 0);  // reserved
  EXPECT_EQ(r.text(r.remaining()), "version\r\n");
}

// --- binary protocols ---

TEST(UdpPayloadsTest, TftpIsAReadRequest) {
  Reader r(udp_payload_for(69));
  EXPECT_EQ(r.u16(), 1);  // RRQ
  const std::string file = r.cstring();
  EXPECT_FALSE(file.empty());
  EXPECT_EQ(file.find('/'), std::string::npos);
  EXPECT_EQ(r.cstring(), "octet");
  EXPECT_TRUE(r.at_end());
}

TEST(UdpPayloadsTest, StunIsABindingRequest) {
  const auto p = udp_payload_for(3478);
  Reader r(p);
  const uint16_t type = r.u16();
  EXPECT_EQ(type & 0xc000, 0);  // top two bits zero
  EXPECT_EQ(type, 0x0001);      // Binding, class request
  EXPECT_EQ(r.u16(), p.size() - 20);
  EXPECT_EQ(r.u32(), 0x2112a442u);  // magic cookie
  r.text(12);                       // transaction id
  EXPECT_TRUE(r.at_end());
}

TEST(UdpPayloadsTest, CoapIsAGetOfWellKnownCore) {
  Reader r(udp_payload_for(5683));
  const uint8_t first = r.u8();
  EXPECT_EQ(first >> 6, 1);        // version
  EXPECT_EQ((first >> 4) & 3, 0);  // confirmable
  const unsigned tkl = first & 0xf;
  EXPECT_EQ(r.u8(), 0x01);  // 0.01 GET
  r.u16();                  // message id
  r.text(tkl);
  std::string path;
  unsigned option = 0;
  while (r.remaining() > 0) {
    const uint8_t head = r.u8();
    ASSERT_NE(head, 0xff);  // no payload expected
    const unsigned delta = head >> 4, len = head & 0xf;
    ASSERT_LT(delta, 13u);
    ASSERT_LT(len, 13u);
    option += delta;
    const std::string value = r.text(len);
    ASSERT_FALSE(r.failed());
    if (option == 11) path += "/" + value;  // Uri-Path
  }
  EXPECT_EQ(path, "/.well-known/core");
}

TEST(UdpPayloadsTest, OpenvpnIsAHardResetV2) {
  Reader r(udp_payload_for(1194));
  const uint8_t op = r.u8();
  EXPECT_EQ(op >> 3, 7);             // P_CONTROL_HARD_RESET_CLIENT_V2
  EXPECT_EQ(op & 7, 0);              // key id
  EXPECT_NE(r.u32() | r.u32(), 0u);  // session id
  EXPECT_EQ(r.u8(), 0);              // no ACKs, hence no remote session id
  EXPECT_EQ(r.u32(), 0u);            // packet id
  EXPECT_TRUE(r.at_end());
}

TEST(UdpPayloadsTest, QuicIsAnUnknownVersionLongHeaderOf1200Bytes) {
  const auto p = udp_payload_for(443);
  EXPECT_GE(p.size(), 1200u);
  Reader r(p);
  EXPECT_EQ(r.u8() & 0x80, 0x80);  // long header
  const uint32_t version = r.u32();
  EXPECT_EQ(version & 0x0f0f0f0f, 0x0a0a0a0au);  // reserved for negotiation
  const uint8_t dcid = r.u8();
  EXPECT_GE(dcid, 8);
  EXPECT_LE(dcid, 20);
  r.text(dcid);
  const uint8_t scid = r.u8();
  EXPECT_LE(scid, 20);
  r.text(scid);
  EXPECT_FALSE(r.failed());
}

TEST(UdpPayloadsTest, IkeIsAWellFormedIkeV2SaInit) {
  const auto p = udp_payload_for(500);
  Reader r(p);
  EXPECT_NE(r.u32() | r.u32(), 0u);  // initiator SPI
  EXPECT_EQ(r.u32() | r.u32(), 0u);  // responder SPI
  uint8_t next = r.u8();
  EXPECT_EQ(r.u8(), 0x20);       // version 2.0
  EXPECT_EQ(r.u8(), 34);         // IKE_SA_INIT
  EXPECT_EQ(r.u8(), 0x08);       // initiator
  EXPECT_EQ(r.u32(), 0u);        // message id
  EXPECT_EQ(r.u32(), p.size());  // length
  std::set<uint8_t> seen;
  while (next != 0) {
    const uint8_t type = next;
    seen.insert(type);
    next = r.u8();
    r.u8();  // critical bit, reserved
    const uint16_t len = r.u16();
    ASSERT_GE(len, 4);
    Reader body = r.sub(len - 4u);
    ASSERT_FALSE(r.failed());
    if (type == 33) {  // SA: proposals, each with transforms (RFC 7296 3.3)
      uint8_t more = 2;
      while (more == 2) {
        more = body.u8();
        body.u8();
        const uint16_t plen = body.u16();
        ASSERT_GE(plen, 8);
        Reader proposal = body.sub(plen - 4u);
        ASSERT_FALSE(body.failed());
        proposal.u8();                // number
        EXPECT_EQ(proposal.u8(), 1);  // protocol IKE
        const uint8_t spi = proposal.u8();
        const uint8_t transforms = proposal.u8();
        proposal.text(spi);
        std::set<uint8_t> types;
        for (uint8_t i = 0; i < transforms; ++i) {
          const uint8_t tmore = proposal.u8();
          EXPECT_EQ(tmore, i + 1 == transforms ? 0 : 3);
          proposal.u8();
          const uint16_t tlen = proposal.u16();
          ASSERT_GE(tlen, 8);
          Reader transform = proposal.sub(tlen - 4u);
          types.insert(transform.u8());
          ASSERT_FALSE(proposal.failed());
        }
        EXPECT_TRUE(proposal.at_end());
        EXPECT_EQ(types, (std::set<uint8_t>{1, 2, 3, 4}));  // ENCR, PRF, INTEG, D-H
      }
      EXPECT_TRUE(body.at_end());
    } else if (type == 34) {      // KE
      EXPECT_EQ(body.u16(), 31);  // Curve25519
      body.u16();
      EXPECT_EQ(body.remaining(), 32u);
    } else if (type == 40) {  // Nonce: 16..256 bytes
      EXPECT_GE(body.remaining(), 16u);
      EXPECT_LE(body.remaining(), 256u);
    }
  }
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(seen, (std::set<uint8_t>{33, 34, 40}));
}

TEST(UdpPayloadsTest, L2tpIsAnSccrqWithTheMandatoryAvps) {
  const auto p = udp_payload_for(1701);
  Reader r(p);
  const uint16_t flags = r.u16();
  EXPECT_EQ(flags & 0xc800, 0xc800);  // T, L, S
  EXPECT_EQ(flags & 0xf, 2);          // version
  EXPECT_EQ(r.u16(), p.size());
  EXPECT_EQ(r.u16(), 0);  // tunnel id: none yet
  EXPECT_EQ(r.u16(), 0);  // session id
  EXPECT_EQ(r.u16(), 0);  // Ns
  EXPECT_EQ(r.u16(), 0);  // Nr
  std::set<uint16_t> types;
  bool first = true;
  while (r.remaining() > 0) {
    const uint16_t head = r.u16();
    const uint16_t len = head & 0x3ff;
    EXPECT_TRUE(head & 0x8000);  // mandatory
    ASSERT_GE(len, 6);
    Reader avp = r.sub(len - 2u);
    ASSERT_FALSE(r.failed());
    EXPECT_EQ(avp.u16(), 0);  // IETF
    const uint16_t type = avp.u16();
    if (first) {
      EXPECT_EQ(type, 0);       // Message Type comes first
      EXPECT_EQ(avp.u16(), 1);  // SCCRQ
    }
    if (type == 9) {
      EXPECT_NE(avp.u16(), 0);  // Assigned Tunnel ID
    }
    first = false;
    types.insert(type);
  }
  EXPECT_EQ(types, (std::set<uint16_t>{0, 2, 3, 7, 9}));
}

TEST(UdpPayloadsTest, SmallQueries) {
  EXPECT_EQ(bytes_of(udp_payload_for(5351)), (std::vector<uint8_t>{0, 0}));  // NAT-PMP
  EXPECT_EQ(bytes_of(udp_payload_for(1434)), (std::vector<uint8_t>{0x03}));  // CLNT_UCAST_EX
  // XDMCP Query: version 1, opcode 2, length 1, no authentication names.
  EXPECT_EQ(bytes_of(udp_payload_for(177)), (std::vector<uint8_t>{0, 1, 0, 2, 0, 1, 0}));
  // RMCP/ASF Presence Ping.
  Reader rmcp(udp_payload_for(623));
  EXPECT_EQ(rmcp.u32(), 0x0600ff06u);
  EXPECT_EQ(rmcp.u32(), 4542u);
  EXPECT_EQ(rmcp.u8(), 0x80);
  rmcp.u8();
  EXPECT_EQ(rmcp.u8(), 0);
  EXPECT_EQ(rmcp.u8(), 0);  // no data
  EXPECT_TRUE(rmcp.at_end());
  // RIPv2 whole-table request: one entry, family 0, metric 16.
  Reader rip(udp_payload_for(520));
  EXPECT_EQ(rip.u8(), 1);
  EXPECT_EQ(rip.u8(), 2);
  rip.u16();
  EXPECT_EQ(rip.u16(), 0);
  rip.text(14);
  EXPECT_EQ(rip.u32(), 16u);
  EXPECT_TRUE(rip.at_end());
}

// --- the catalogue ---

TEST(UdpPayloadsTest, PortsWithoutAPayloadGetAnEmptyDatagram) {
  EXPECT_TRUE(udp_payload_for(0).empty());
  EXPECT_TRUE(udp_payload_for(54).empty());
  EXPECT_TRUE(udp_payload_for(1812).empty());  // RADIUS: left out on purpose
  EXPECT_TRUE(udp_payload_for(65535).empty());
}

TEST(UdpPayloadsTest, CatalogueIsConsistent) {
  const auto all = udp_payloads();
  EXPECT_GE(all.size(), 19u);
  std::set<uint16_t> ports;
  uint16_t previous = 0;
  for (const UdpPayloadInfo& p : all) {
    ASSERT_FALSE(p.ports.empty()) << p.name;
    EXPECT_GT(p.ports.front(), previous) << p.name;  // listed in port order
    previous = p.ports.front();
    EXPECT_FALSE(p.name.empty());
    EXPECT_FALSE(p.request.empty()) << p.name;
    EXPECT_FALSE(p.reference.empty()) << p.name;
    EXPECT_FALSE(p.bytes.empty()) << p.name;
    EXPECT_LE(p.bytes.size(), 1472u) << p.name;  // one datagram on a 1500-byte MTU
    for (uint16_t port : p.ports) {
      EXPECT_TRUE(ports.insert(port).second) << "port " << port << " listed twice";
      const auto got = udp_payload_for(port);
      EXPECT_EQ(got.data(), p.bytes.data()) << port;
      EXPECT_EQ(got.size(), p.bytes.size()) << port;
    }
  }
  for (int port : {53, 69, 111, 123, 137, 161, 389, 443, 500, 1194, 1701, 1900, 3478, 5060, 5351,
                   5353, 5683, 11211}) {
    EXPECT_TRUE(ports.count(static_cast<uint16_t>(port))) << "no payload for " << port;
  }
}

}  // namespace
}  // namespace portolan
