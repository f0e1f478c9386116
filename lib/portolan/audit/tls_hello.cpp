// ClientHello bytes (RFC 5246 7.4.1.2, RFC 6066 3, RFC 8422 5.1, RFC 5746)
// and the ServerHello/alert reader (RFC 5246 6.2, 7.2, 7.4.1.3; RFC 8446
// 4.2.1 for supported_versions).
#include "portolan/audit/tls_hello.h"

#include <random>

#include <fmt/format.h>

#include "portolan/audit/audit_net.h"
#include "portolan/audit/check.h"
#include "portolan/packet/byte_reader.h"
#include "portolan/service/starttls.h"

namespace portolan::audit {

namespace {

constexpr uint8_t kContentChangeCipherSpec = 20;
constexpr uint8_t kContentAlert = 21;
constexpr uint8_t kContentHandshake = 22;
constexpr uint8_t kHandshakeClientHello = 1;
constexpr uint8_t kHandshakeServerHello = 2;
constexpr uint16_t kExtServerName = 0x0000;
constexpr uint16_t kExtSupportedGroups = 0x000a;
constexpr uint16_t kExtEcPointFormats = 0x000b;
constexpr uint16_t kExtSignatureAlgorithms = 0x000d;
constexpr uint16_t kExtSupportedVersions = 0x002b;
constexpr uint16_t kExtRenegotiationInfo = 0xff01;
// A record's fragment may not exceed 2^14 bytes, plus 2048 of expansion for
// protected records (RFC 5246 6.2.3).
constexpr size_t kMaxRecord = 16384 + 2048;

// x25519, secp256r1, secp384r1, secp521r1.
constexpr uint16_t kGroups[] = {0x001d, 0x0017, 0x0018, 0x0019};
// TLS 1.2 (hash, signature) pairs and their TLS 1.3 names: rsa_pkcs1 and
// ecdsa with sha256/384/512, rsa_pss_rsae sha256/384/512, then the SHA-1 and
// DSA ones an old server's certificate may need.
constexpr uint16_t kSignatureAlgorithms[] = {0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0804,
                                             0x0805, 0x0806, 0x0201, 0x0203, 0x0402, 0x0202};

void put_u8(std::string& out, uint8_t v) {
  out.push_back(static_cast<char>(v));
}
void put_be16(std::string& out, uint16_t v) {
  put_u8(out, static_cast<uint8_t>(v >> 8));
  put_u8(out, static_cast<uint8_t>(v));
}
void put_be24(std::string& out, size_t v) {
  put_u8(out, static_cast<uint8_t>(v >> 16));
  put_u8(out, static_cast<uint8_t>(v >> 8));
  put_u8(out, static_cast<uint8_t>(v));
}
void put_extension(std::string& out, uint16_t type, const std::string& body) {
  put_be16(out, type);
  put_be16(out, static_cast<uint16_t>(body.size()));
  out += body;
}

ServerAnswer malformed(ServerAnswer a, std::string problem) {
  a.kind = ServerAnswer::Kind::kMalformed;
  a.problem = std::move(problem);
  return a;
}

// The body of a complete ServerHello message (after type and length).
ServerAnswer parse_server_hello(ServerAnswer a, std::span<const std::byte> body) {
  ByteReader r(body);
  uint16_t version = 0;
  uint8_t session_id_length = 0;
  uint16_t suite = 0;
  uint8_t compression = 0;
  if (!r.read_be16(version) || !r.skip(32) || !r.read_u8(session_id_length) ||
      session_id_length > 32 || !r.skip(session_id_length) || !r.read_be16(suite) ||
      !r.read_u8(compression)) {
    return malformed(std::move(a), "truncated ServerHello");
  }
  a.version = version;
  a.cipher_suite = suite;
  if (!r.empty()) {
    uint16_t extensions_length = 0;
    auto extensions = r.read_be16(extensions_length) ? r.take(extensions_length) : std::nullopt;
    if (!extensions) return malformed(std::move(a), "ServerHello extensions overrun the message");
    while (!extensions->empty()) {
      uint16_t type = 0;
      uint16_t length = 0;
      if (!extensions->read_be16(type) || !extensions->read_be16(length)) {
        return malformed(std::move(a), "truncated ServerHello extension");
      }
      auto data = extensions->take(length);
      if (!data) return malformed(std::move(a), "ServerHello extension overruns its list");
      uint16_t selected = 0;
      if (type == kExtSupportedVersions && data->read_be16(selected)) a.version = selected;
    }
  }
  a.kind = ServerAnswer::Kind::kServerHello;
  return a;
}

}  // namespace

std::string tls_version_name(uint16_t version) {
  switch (version) {
    case kSsl3:
      return "SSLv3";
    case kTls10:
      return "TLSv1.0";
    case kTls11:
      return "TLSv1.1";
    case kTls12:
      return "TLSv1.2";
    case kTls13:
      return "TLSv1.3";
    default:
      return fmt::format("0x{:04x}", version);
  }
}

std::optional<uint16_t> tls_version_from_name(std::string_view name) {
  for (uint16_t v : {kSsl3, kTls10, kTls11, kTls12, kTls13}) {
    if (tls_version_name(v) == name) return v;
  }
  return std::nullopt;
}

std::string build_client_hello(const ClientHelloOptions& options) {
  std::string body;
  put_be16(body, options.client_version);
  body.append(reinterpret_cast<const char*>(options.random.data()), options.random.size());
  put_u8(body, 0);  // no session id
  put_be16(body, static_cast<uint16_t>(options.cipher_suites.size() * 2));
  for (uint16_t suite : options.cipher_suites) put_be16(body, suite);
  put_u8(body, 1);  // compression methods: null only
  put_u8(body, 0);
  if (options.extensions) {
    std::string extensions;
    if (!options.sni.empty()) {
      std::string names;
      put_u8(names, 0);  // host_name
      put_be16(names, static_cast<uint16_t>(options.sni.size()));
      names += options.sni;
      std::string sni;
      put_be16(sni, static_cast<uint16_t>(names.size()));
      sni += names;
      put_extension(extensions, kExtServerName, sni);
    }
    std::string groups;
    put_be16(groups, sizeof kGroups);
    for (uint16_t g : kGroups) put_be16(groups, g);
    put_extension(extensions, kExtSupportedGroups, groups);
    put_extension(extensions, kExtEcPointFormats, std::string("\x01\x00", 2));  // uncompressed
    std::string algorithms;
    put_be16(algorithms, sizeof kSignatureAlgorithms);
    for (uint16_t a : kSignatureAlgorithms) put_be16(algorithms, a);
    put_extension(extensions, kExtSignatureAlgorithms, algorithms);
    put_extension(extensions, kExtRenegotiationInfo, std::string(1, '\0'));  // initial handshake
    put_be16(body, static_cast<uint16_t>(extensions.size()));
    body += extensions;
  }
  std::string handshake;
  put_u8(handshake, kHandshakeClientHello);
  put_be24(handshake, body.size());
  handshake += body;
  std::string record;
  put_u8(record, kContentHandshake);
  put_be16(record, options.record_version);
  put_be16(record, static_cast<uint16_t>(handshake.size()));
  record += handshake;
  return record;
}

std::string describe_alert(uint8_t description) {
  std::string_view name;
  switch (description) {
    case 0:
      name = "close_notify";
      break;
    case 10:
      name = "unexpected_message";
      break;
    case 20:
      name = "bad_record_mac";
      break;
    case 40:
      name = "handshake_failure";
      break;
    case 47:
      name = "illegal_parameter";
      break;
    case 50:
      name = "decode_error";
      break;
    case 70:
      name = "protocol_version";
      break;
    case 71:
      name = "insufficient_security";
      break;
    case 80:
      name = "internal_error";
      break;
    case 86:
      name = "inappropriate_fallback";
      break;
    case 112:
      name = "unrecognized_name";
      break;
    default:
      return fmt::format("alert {}", description);
  }
  return fmt::format("{} ({})", name, description);
}

ServerAnswer parse_server_answer(std::string_view bytes) {
  return parse_server_answer(std::as_bytes(std::span(bytes.data(), bytes.size())));
}

ServerAnswer parse_server_answer(std::span<const std::byte> bytes) {
  ServerAnswer a;
  ByteReader r(bytes);
  // The handshake messages gathered so far, from consecutive records: only
  // as much as a ServerHello may need is kept.
  std::vector<std::byte> handshake;
  bool first = true;
  while (!r.empty()) {
    uint8_t type = 0;
    uint16_t record_version = 0;
    uint16_t length = 0;
    if (!r.read_u8(type)) break;
    if (type != kContentHandshake && type != kContentAlert && type != kContentChangeCipherSpec) {
      if (first && (type & 0x80) != 0)
        return malformed(std::move(a), "not a TLS record (an SSLv2 answer?)");
      return malformed(std::move(a), fmt::format("not a TLS record (content type 0x{:02x})", type));
    }
    if (!r.read_be16(record_version)) return a;  // incomplete header
    if ((record_version >> 8) != 0x03) {
      return malformed(std::move(a),
                       fmt::format("not a TLS record (version 0x{:04x})", record_version));
    }
    if (first) a.record_version = record_version;
    first = false;
    if (!r.read_be16(length)) return a;
    if (length > kMaxRecord)
      return malformed(std::move(a), fmt::format("record of {} bytes", length));
    auto fragment = r.take(length);
    if (!fragment) return a;  // the rest of the record has not arrived
    if (type == kContentAlert) {
      uint8_t level = 0;
      uint8_t description = 0;
      if (!fragment->read_u8(level) || !fragment->read_u8(description)) {
        return malformed(std::move(a), "truncated alert");
      }
      a.kind = ServerAnswer::Kind::kAlert;
      a.alert_level = level;
      a.alert_description = description;
      return a;
    }
    if (type == kContentChangeCipherSpec) {
      return malformed(std::move(a), "ChangeCipherSpec before ServerHello");
    }
    const auto rest = fragment->rest();
    const size_t keep = std::min(
        rest.size(), kMaxServerHello + 4 - std::min(handshake.size(), kMaxServerHello + 4));
    handshake.insert(handshake.end(), rest.begin(),
                     rest.begin() + static_cast<std::ptrdiff_t>(keep));
    ByteReader h(handshake);
    uint8_t message = 0;
    uint8_t length_bytes[3] = {};
    if (!h.read_u8(message) || !h.read_bytes(length_bytes, 3)) continue;
    if (message != kHandshakeServerHello) {
      return malformed(std::move(a),
                       fmt::format("handshake message {} before ServerHello", message));
    }
    const size_t body_length =
        (size_t{length_bytes[0]} << 16) | (size_t{length_bytes[1]} << 8) | length_bytes[2];
    if (body_length > kMaxServerHello) {
      return malformed(std::move(a), fmt::format("ServerHello of {} bytes", body_length));
    }
    auto body = h.take(body_length);
    if (!body) continue;  // split across records: read the next one
    return parse_server_hello(std::move(a), body->rest());
  }
  return a;
}

Result<ServerAnswer> exchange_hello(AuditNet& net, uint16_t port, std::string_view starttls_service,
                                    std::string_view hello) {
  auto stream = net.connect(port);
  if (!stream) return Unexpected(stream.error());
  if (!starttls_service.empty()) {
    const StartTlsScript* script = starttls_script(starttls_service);
    if (script == nullptr)
      return fail(fmt::format("no STARTTLS preamble for {}", starttls_service));
    for (const auto& step : script->steps) {
      auto reply = (*stream)->read_until([&](std::string_view got) {
        return starttls_reply(got, step.expect) != StartTlsReply::kIncomplete;
      });
      if (!reply) return Unexpected(reply.error());
      if (starttls_reply(*reply, step.expect) != StartTlsReply::kYes) {
        return fail(ErrorKind::kIo,
                    fmt::format("STARTTLS refused: {}", printable_evidence(*reply, 80)));
      }
      if (!step.send.empty()) {
        if (auto sent = (*stream)->send(step.send); !sent) return Unexpected(sent.error());
      }
    }
  }
  if (auto sent = (*stream)->send(hello); !sent) return Unexpected(sent.error());
  auto answer = (*stream)->read_until([](std::string_view got) {
    return parse_server_answer(got).kind != ServerAnswer::Kind::kIncomplete;
  });
  if (!answer) return Unexpected(answer.error());
  return parse_server_answer(*answer);
}

std::array<uint8_t, 32> client_random() {
  std::random_device device;
  std::array<uint8_t, 32> random{};
  for (auto& b : random) b = static_cast<uint8_t>(device());
  return random;
}

}  // namespace portolan::audit
