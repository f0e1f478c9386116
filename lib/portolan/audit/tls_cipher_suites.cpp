// The suite tables: ids and names typed from the IANA TLS Cipher Suites
// registry (https://www.iana.org/assignments/tls-parameters/), graded here.
#include "portolan/audit/tls_cipher_suites.h"

#include <array>

#include <fmt/format.h>

namespace portolan::audit {

namespace {

using W = CipherWeakness;

constexpr std::array kWeak = {
    // No encryption at all.
    CipherSuite{0x0001, "TLS_RSA_WITH_NULL_MD5", W::kNull},
    CipherSuite{0x0002, "TLS_RSA_WITH_NULL_SHA", W::kNull},
    CipherSuite{0x003b, "TLS_RSA_WITH_NULL_SHA256", W::kNull},
    CipherSuite{0xc001, "TLS_ECDH_ECDSA_WITH_NULL_SHA", W::kNull},
    CipherSuite{0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA", W::kNull},
    CipherSuite{0xc00b, "TLS_ECDH_RSA_WITH_NULL_SHA", W::kNull},
    CipherSuite{0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA", W::kNull},
    CipherSuite{0xc015, "TLS_ECDH_anon_WITH_NULL_SHA", W::kNull},
    // Anonymous key exchange: no certificate, no authentication.
    CipherSuite{0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", W::kAnon},
    CipherSuite{0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", W::kAnon},
    CipherSuite{0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", W::kAnon},
    CipherSuite{0x001a, "TLS_DH_anon_WITH_DES_CBC_SHA", W::kAnon},
    CipherSuite{0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", W::kAnon},
    CipherSuite{0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", W::kAnon},
    CipherSuite{0x003a, "TLS_DH_anon_WITH_AES_256_CBC_SHA", W::kAnon},
    CipherSuite{0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", W::kAnon},
    CipherSuite{0x006c, "TLS_DH_anon_WITH_AES_128_CBC_SHA256", W::kAnon},
    CipherSuite{0x006d, "TLS_DH_anon_WITH_AES_256_CBC_SHA256", W::kAnon},
    CipherSuite{0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", W::kAnon},
    CipherSuite{0x009b, "TLS_DH_anon_WITH_SEED_CBC_SHA", W::kAnon},
    CipherSuite{0x00a6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256", W::kAnon},
    CipherSuite{0x00a7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384", W::kAnon},
    CipherSuite{0x00bf, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", W::kAnon},
    CipherSuite{0x00c5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", W::kAnon},
    CipherSuite{0xc016, "TLS_ECDH_anon_WITH_RC4_128_SHA", W::kAnon},
    CipherSuite{0xc017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", W::kAnon},
    CipherSuite{0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", W::kAnon},
    CipherSuite{0xc019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", W::kAnon},
    // Export grade (the only RC2 suite is one of them).
    CipherSuite{0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", W::kExport},
    CipherSuite{0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", W::kExport},
    CipherSuite{0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", W::kExport},
    CipherSuite{0x000b, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", W::kExport},
    CipherSuite{0x000e, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", W::kExport},
    CipherSuite{0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", W::kExport},
    CipherSuite{0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", W::kExport},
    // RC4.
    CipherSuite{0x0004, "TLS_RSA_WITH_RC4_128_MD5", W::kRc4},
    CipherSuite{0x0005, "TLS_RSA_WITH_RC4_128_SHA", W::kRc4},
    CipherSuite{0xc002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", W::kRc4},
    CipherSuite{0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", W::kRc4},
    CipherSuite{0xc00c, "TLS_ECDH_RSA_WITH_RC4_128_SHA", W::kRc4},
    CipherSuite{0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", W::kRc4},
    // Single DES.
    CipherSuite{0x0009, "TLS_RSA_WITH_DES_CBC_SHA", W::kDes},
    CipherSuite{0x000c, "TLS_DH_DSS_WITH_DES_CBC_SHA", W::kDes},
    CipherSuite{0x000f, "TLS_DH_RSA_WITH_DES_CBC_SHA", W::kDes},
    CipherSuite{0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", W::kDes},
    CipherSuite{0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", W::kDes},
    // 64-bit block ciphers.
    CipherSuite{0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", W::kIdea},
    CipherSuite{0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0x000d, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0xc003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0xc00d, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
};

// What an SSLv3-era server may pick: the CBC suites that were strong for
// their time, then the weak ones (repeated from kWeak, same ids and names).
constexpr std::array kSslv3 = {
    CipherSuite{0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", W::kNone},
    CipherSuite{0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", W::kNone},
    CipherSuite{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", W::kNone},
    CipherSuite{0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", W::kNone},
    CipherSuite{0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", W::kNone},
    CipherSuite{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", W::kNone},
    CipherSuite{0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", W::kNone},
    CipherSuite{0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", W::kNone},
    CipherSuite{0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", W::kNone},
    CipherSuite{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", W::kNone},
    CipherSuite{0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", W::kNone},
    CipherSuite{0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", W::kNone},
    CipherSuite{0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", W::kNone},
    CipherSuite{0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", W::kNone},
    CipherSuite{0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", W::kNone},
    CipherSuite{0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", W::k3Des},
    CipherSuite{0x0005, "TLS_RSA_WITH_RC4_128_SHA", W::kRc4},
    CipherSuite{0x0004, "TLS_RSA_WITH_RC4_128_MD5", W::kRc4},
    CipherSuite{0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", W::kIdea},
    CipherSuite{0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", W::kDes},
    CipherSuite{0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", W::kDes},
    CipherSuite{0x0009, "TLS_RSA_WITH_DES_CBC_SHA", W::kDes},
    CipherSuite{0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", W::kExport},
    CipherSuite{0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", W::kExport},
    CipherSuite{0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", W::kExport},
    CipherSuite{0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", W::kExport},
    CipherSuite{0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", W::kExport},
};

}  // namespace

std::string_view to_string(CipherWeakness w) {
  switch (w) {
    case W::kNone:
      return "none";
    case W::kNull:
      return "null";
    case W::kAnon:
      return "anon";
    case W::kExport:
      return "export";
    case W::kRc4:
      return "rc4";
    case W::kDes:
      return "des";
    case W::kIdea:
      return "idea";
    case W::k3Des:
      return "3des";
  }
  return "none";
}

std::span<const CipherSuite> weak_cipher_suites() {
  return kWeak;
}

std::span<const CipherSuite> sslv3_cipher_suites() {
  return kSslv3;
}

const CipherSuite* find_cipher_suite(uint16_t id) {
  for (const auto& s : kWeak) {
    if (s.id == id) return &s;
  }
  for (const auto& s : kSslv3) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::string describe_cipher_suite(uint16_t id) {
  const CipherSuite* s = find_cipher_suite(id);
  return fmt::format("{} (0x{:04x})", s != nullptr ? s->name : std::string_view("unknown"), id);
}

}  // namespace portolan::audit
