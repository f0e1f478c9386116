// The TLS cipher suites the audit offers in its own ClientHellos, by IANA id
// and IANA name (the public "TLS Cipher Suites" registry), each with the
// weakness that makes tls-weak-ciphers report it.
//
// A suite has one weakness class, the worst that applies, in this order:
// NULL (no encryption) > anonymous (no authentication) > export (40/56-bit
// keys, RC2 is only ever in these) > RC4 > single DES > IDEA > 3DES. So
// TLS_DH_anon_WITH_3DES_EDE_CBC_SHA is "anon", not "3des".
//
// CBC suites with HMAC-SHA1 (TLS_RSA_WITH_AES_128_CBC_SHA...) are not graded:
// they are still the only common ground with many TLS 1.0-1.2 clients, their
// padding-oracle problems (Lucky13) are fixed in the implementations, and
// what is really wrong with them in TLS 1.0 (BEAST) is reported by
// tls-old-protocols. Flagging them would put a finding on most servers that
// follow the usual "intermediate" guidance.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace portolan::audit {

enum class CipherWeakness : uint8_t {
  kNone,    // not weak (used in the SSLv3 probe only)
  kNull,    // no encryption
  kAnon,    // no server authentication: anyone in the path can impersonate
  kExport,  // 40/56-bit export grade (FREAK, Logjam)
  kRc4,     // RFC 7465 forbids it
  kDes,     // single DES, 56-bit key
  kIdea,    // 64-bit block
  k3Des,    // 64-bit block: Sweet32 (CVE-2016-2183)
};

// "null", "anon", "export", "rc4", "des", "idea", "3des"; "none".
std::string_view to_string(CipherWeakness w);

struct CipherSuite {
  uint16_t id;            // IANA value, host byte order (0x000a)
  std::string_view name;  // IANA name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA"
  CipherWeakness weakness;
};

// Every weak suite the audit offers in TLS 1.0-1.2 (no PSK/SRP suites: a
// server only picks those with a key the client already shares).
std::span<const CipherSuite> weak_cipher_suites();

// What an SSLv3 server plausibly accepts: the common SSLv3-era suites, strong
// and weak, for the SSLv3 probe of tls-old-protocols.
std::span<const CipherSuite> sslv3_cipher_suites();

// The suite with this id from either table, or null.
const CipherSuite* find_cipher_suite(uint16_t id);

// "TLS_RSA_WITH_3DES_EDE_CBC_SHA (0x000a)", or "unknown (0x1234)".
std::string describe_cipher_suite(uint16_t id);

}  // namespace portolan::audit
