// Our own TLS ClientHello, and a parser of the first records a server sends
// back, so the audit can ask a server about protocol versions and cipher
// suites that OpenSSL no longer implements (SSLv3, export, RC4, NULL...).
//
// The audit never completes these handshakes: it sends one ClientHello,
// reads until it can tell what the server chose (a ServerHello: version and
// suite) or that it refused (an alert), and closes. Nothing past the
// ServerHello is parsed, so no key exchange is needed for any suite.
//
// The parser reads bytes off the wire: every length is checked against what
// is there, a server's ServerHello may arrive in several records or share a
// record with the certificate, and what it keeps is bounded.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

class AuditNet;

// Protocol version numbers as on the wire, host byte order.
inline constexpr uint16_t kSsl3 = 0x0300;
inline constexpr uint16_t kTls10 = 0x0301;
inline constexpr uint16_t kTls11 = 0x0302;
inline constexpr uint16_t kTls12 = 0x0303;
inline constexpr uint16_t kTls13 = 0x0304;

// "SSLv3", "TLSv1.0" ... "TLSv1.3" (the names TlsInfo::versions uses), or
// "0x%04x" for anything else.
std::string tls_version_name(uint16_t version);
// The inverse for the five names above; nullopt otherwise.
std::optional<uint16_t> tls_version_from_name(std::string_view name);

struct ClientHelloOptions {
  uint16_t record_version = kTls10;  // of the record layer; 0x0301 is what servers tolerate best
  uint16_t client_version =
      kTls12;  // the highest version offered (no supported_versions: TLS 1.3 is never offered)
  std::vector<uint16_t> cipher_suites;  // in order of preference, host byte order
  std::string sni;                      // a host name for server_name; empty: no SNI
  // supported_groups, ec_point_formats, signature_algorithms and
  // renegotiation_info; false for an SSLv3 hello, which had no extensions
  // (then put TLS_EMPTY_RENEGOTIATION_INFO_SCSV, 0x00ff, in cipher_suites).
  bool extensions = true;
  std::array<uint8_t, 32> random{};  // the caller draws it; fixed in tests
};

// One TLS record holding one ClientHello handshake message.
std::string build_client_hello(const ClientHelloOptions& options);

// TLS alert descriptions the audit tells apart (RFC 5246 7.2, RFC 8446 6).
inline constexpr uint8_t kAlertHandshakeFailure = 40;
inline constexpr uint8_t kAlertProtocolVersion = 70;
inline constexpr uint8_t kAlertInsufficientSecurity = 71;
// "handshake_failure (40)"; "alert 123" for ones without a name here.
std::string describe_alert(uint8_t description);

// What the server's first records say.
struct ServerAnswer {
  enum class Kind : uint8_t {
    kIncomplete,   // more bytes are needed (or the server sent nothing)
    kServerHello,  // it chose `version` and `cipher_suite`
    kAlert,        // it refused, with `alert_description`
    kMalformed,    // not TLS, or broken: see `problem`
  };
  Kind kind = Kind::kIncomplete;
  uint16_t record_version = 0;  // of the first record
  uint16_t version = 0;         // kServerHello: server_version, or supported_versions when present
  uint16_t cipher_suite = 0;    // kServerHello
  uint8_t alert_level = 0;      // kAlert: 1 warning, 2 fatal
  uint8_t alert_description = 0;
  std::string problem;  // kMalformed: one line
};

// The longest ServerHello message accepted; a longer one is kMalformed.
inline constexpr size_t kMaxServerHello = 16 * 1024;

// Parses the first records of a server's answer to a ClientHello. Reads only
// what `bytes` holds; never throws.
ServerAnswer parse_server_answer(std::span<const std::byte> bytes);
ServerAnswer parse_server_answer(std::string_view bytes);

// The conversation of the active TLS checks: connects to `port` through
// `net`, runs the STARTTLS preamble of `starttls_service` ("smtp", "pop3",
// "imap") when it is not empty, sends `hello` and reads until the answer is
// complete, the timeout or AuditNet's byte cap; then closes. An error when
// the connection or the STARTTLS preamble fails; a silent server gives
// kIncomplete.
Result<ServerAnswer> exchange_hello(AuditNet& net, uint16_t port, std::string_view starttls_service,
                                    std::string_view hello);

// A fresh ClientHello random (from std::random_device).
std::array<uint8_t, 32> client_random();

}  // namespace portolan::audit
