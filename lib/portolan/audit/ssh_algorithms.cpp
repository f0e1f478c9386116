// The SSH algorithm grading table, written from public knowledge: RFC 9142
// (key exchange), RFC 8758 (RC4), RFC 8332 (RSA with SHA-2), the SHA-1
// chosen-prefix collision (SHAmbles, 2020), Logjam (1024-bit DH), Sweet32
// (64-bit block ciphers), the CBC plaintext recovery in SSH (CVE-2008-5161)
// and Terrapin (CVE-2023-48795).
//
// Three grades, and the rule that chooses between them:
//   broken (medium finding): a published practical attack, or a size an
//     attacker with resources can break today (1024-bit DH and DSA, 56-bit
//     DES, 64-bit blocks, RC4, no encryption at all).
//   weak (low finding): no practical attack, but the algorithm rests on
//     something broken (SHA-1 signatures, MD5) or is a legacy mode, and
//     OpenSSH itself has removed it from its defaults; cleaning it up is
//     hardening.
//   ok: everything else we know, including what a current OpenSSH still
//     offers by default. A default Debian 12 OpenSSH 9.2 gives no finding.
// Names we do not know are not graded: no finding, no guess.
//
// The decisions a user might expect otherwise, made deliberately:
//   hmac-sha1 (and -etm): ok. HMAC's security does not rest on the hash's
//     collision resistance; no forgery of HMAC-SHA1 is known, and OpenSSH 9
//     still offers it by default. hmac-sha1-96 and the MD5 MACs are weak:
//     no practical attack either, but gone from OpenSSH's defaults since 7.2.
//   umac-64 (and -etm): ok. A 64-bit tag means one forgery attempt in 2^64
//     succeeds, and in SSH every failed attempt ends the connection, so the
//     attack is not practical; OpenSSH 9 offers it by default.
//   ecdh-sha2-nistp256/384/521 and ecdsa-sha2-nistp*: ok. Doubts about how the
//     NIST curves were generated are not an attack, and RFC 9142 recommends
//     the nistp256/384 exchanges (SHOULD).
//   diffie-hellman-group14-sha1 and group-exchange-sha1: weak, not broken:
//     the groups are 2048-bit or larger; only the SHA-1 exchange hash is old
//     (RFC 9142: SHOULD NOT). diffie-hellman-group1-sha1 is broken (1024-bit
//     Oakley group 2, the Logjam precomputation target; RFC 9142 SHOULD NOT
//     and OpenSSH disabled it in 6.9).
//   ssh-rsa: weak: SHA-1 signatures are open to chosen-prefix collisions,
//     which matter for certificates more than for host-key signatures over
//     a fresh exchange hash; OpenSSH disabled it by default in 8.8. ssh-dss
//     is broken: DSA is fixed at 1024 bits with SHA-1 and leaks its key when
//     the signer's random numbers are poor.
//   CBC ciphers: weak: the 2009 plaintext recovery (CVE-2008-5161) is
//     mitigated in current servers, but CBC is off by default since OpenSSH
//     6.7. 64-bit-block CBC ciphers (3des, blowfish, cast128, idea) are
//     broken: Sweet32.
//   Terrapin (CVE-2023-48795): a medium finding of its own when
//     chacha20-poly1305, or a CBC cipher together with an EtM MAC, is offered
//     and the server does not announce strict key exchange
//     (kex-strict-s-v00@openssh.com). The attacker drops packets at the start
//     of the session, which can downgrade the extension negotiation (RFC
//     8308) unnoticed. Servers with the fix (OpenSSH 9.6, and Debian's
//     backports such as 9.2p1-2+deb12u2) announce strict kex, so the finding
//     follows the fix and not the version number.
#include "portolan/audit/ssh_algorithms.h"

#include <algorithm>
#include <array>

namespace portolan::audit {

namespace {

struct TableEntry {
  SshAlgorithmClass algorithm_class;
  std::string_view name;
  SshGrade grade;
  std::string_view reason;
  std::string_view reference;
  bool prefix = false;  // GSS-API key exchanges carry a mechanism OID hash after the name
};

using C = SshAlgorithmClass;
using G = SshGrade;

// Reasons shared by several names.
constexpr std::string_view kGroup1 =
    "1024-bit Oakley group 2, within reach of Logjam-style precomputation, with a SHA-1 exchange "
    "hash";
constexpr std::string_view kSha1Exchange =
    "SHA-1 exchange hash, which RFC 9142 says SHOULD NOT be used; the group itself is fine";
constexpr std::string_view kGexSha1 =
    "SHA-1 exchange hash over a group the server chooses; RFC 9142 says SHOULD NOT";
constexpr std::string_view kDsa =
    "DSA is fixed at 1024 bits with SHA-1 signatures; disabled by OpenSSH since 7.0";
constexpr std::string_view kRsaSha1 =
    "RSA signatures over SHA-1, open to chosen-prefix collisions (SHAmbles); off by default since "
    "OpenSSH 8.8";
constexpr std::string_view kBlock64 =
    "64-bit block cipher: Sweet32 birthday collisions after about 32 GB";
constexpr std::string_view kRc4 = "RC4 keystream biases; RFC 8758 forbids RC4 in SSH";
constexpr std::string_view kCbc =
    "CBC mode: plaintext recovery in SSH (CVE-2008-5161), mitigated, but off by default since "
    "OpenSSH 6.7";
constexpr std::string_view kMd5 =
    "HMAC-MD5: no practical forgery known, but MD5 is broken and OpenSSH dropped it in 7.2";
constexpr std::string_view kTruncated96 =
    "truncated 96-bit legacy MAC, dropped from OpenSSH's defaults in 7.2";

constexpr std::array kTable = {
    // Key exchange (RFC 9142).
    TableEntry{C::kKex, "diffie-hellman-group1-sha1", G::kBroken, kGroup1, "CVE-2015-4000"},
    TableEntry{C::kKex, "gss-group1-sha1-", G::kBroken, kGroup1, "CVE-2015-4000", true},
    TableEntry{C::kKex, "rsa1024-sha1", G::kBroken,
               "1024-bit RSA key transport with SHA-1; RFC 9142 says MUST NOT", "RFC 9142"},
    TableEntry{C::kKex, "diffie-hellman-group14-sha1", G::kWeak, kSha1Exchange, "RFC 9142"},
    TableEntry{C::kKex, "gss-group14-sha1-", G::kWeak, kSha1Exchange, "RFC 9142", true},
    TableEntry{C::kKex, "diffie-hellman-group-exchange-sha1", G::kWeak, kGexSha1, "RFC 9142"},
    TableEntry{C::kKex, "gss-gex-sha1-", G::kWeak, kGexSha1, "RFC 9142", true},
    TableEntry{C::kKex, "diffie-hellman-group14-sha256", G::kOk, "2048-bit group, SHA-256", ""},
    TableEntry{C::kKex, "diffie-hellman-group15-sha512", G::kOk, "3072-bit group, SHA-512", ""},
    TableEntry{C::kKex, "diffie-hellman-group16-sha512", G::kOk, "4096-bit group, SHA-512", ""},
    TableEntry{C::kKex, "diffie-hellman-group17-sha512", G::kOk, "6144-bit group, SHA-512", ""},
    TableEntry{C::kKex, "diffie-hellman-group18-sha512", G::kOk, "8192-bit group, SHA-512", ""},
    TableEntry{C::kKex, "diffie-hellman-group-exchange-sha256", G::kOk,
               "server-chosen group, SHA-256", ""},
    TableEntry{C::kKex, "ecdh-sha2-nistp256", G::kOk, "NIST P-256; RFC 9142 SHOULD", ""},
    TableEntry{C::kKex, "ecdh-sha2-nistp384", G::kOk, "NIST P-384; RFC 9142 SHOULD", ""},
    TableEntry{C::kKex, "ecdh-sha2-nistp521", G::kOk, "NIST P-521", ""},
    TableEntry{C::kKex, "curve25519-sha256", G::kOk, "X25519 (RFC 8731)", ""},
    TableEntry{C::kKex, "curve25519-sha256@libssh.org", G::kOk, "X25519 (RFC 8731)", ""},
    TableEntry{C::kKex, "curve448-sha512", G::kOk, "X448 (RFC 8731)", ""},
    TableEntry{C::kKex, "sntrup761x25519-sha512", G::kOk, "hybrid post-quantum with X25519", ""},
    TableEntry{C::kKex, "sntrup761x25519-sha512@openssh.com", G::kOk,
               "hybrid post-quantum with X25519", ""},
    TableEntry{C::kKex, "mlkem768x25519-sha256", G::kOk, "hybrid post-quantum with X25519", ""},
    TableEntry{C::kKex, "rsa2048-sha256", G::kOk, "2048-bit RSA key transport, SHA-256", ""},
    TableEntry{C::kKex, "gss-group14-sha256-", G::kOk, "2048-bit group, SHA-256", "", true},
    TableEntry{C::kKex, "gss-group16-sha512-", G::kOk, "4096-bit group, SHA-512", "", true},
    TableEntry{C::kKex, "gss-nistp256-sha256-", G::kOk, "NIST P-256", "", true},
    TableEntry{C::kKex, "gss-curve25519-sha256-", G::kOk, "X25519", "", true},

    // Host keys.
    TableEntry{C::kHostKey, "ssh-dss", G::kBroken, kDsa, "FIPS 186-5"},
    TableEntry{C::kHostKey, "ssh-dss-cert-v01@openssh.com", G::kBroken, kDsa, "FIPS 186-5"},
    TableEntry{C::kHostKey, "x509v3-sign-dss", G::kBroken, kDsa, "FIPS 186-5"},
    TableEntry{C::kHostKey, "ssh-rsa", G::kWeak, kRsaSha1, "RFC 8332"},
    TableEntry{C::kHostKey, "ssh-rsa-cert-v01@openssh.com", G::kWeak, kRsaSha1, "RFC 8332"},
    TableEntry{C::kHostKey, "x509v3-sign-rsa", G::kWeak, kRsaSha1, "RFC 8332"},
    TableEntry{C::kHostKey, "rsa-sha2-256", G::kOk, "RSA with SHA-256 (RFC 8332)", ""},
    TableEntry{C::kHostKey, "rsa-sha2-512", G::kOk, "RSA with SHA-512 (RFC 8332)", ""},
    TableEntry{C::kHostKey, "rsa-sha2-256-cert-v01@openssh.com", G::kOk, "RSA with SHA-256", ""},
    TableEntry{C::kHostKey, "rsa-sha2-512-cert-v01@openssh.com", G::kOk, "RSA with SHA-512", ""},
    TableEntry{C::kHostKey, "ssh-ed25519", G::kOk, "Ed25519", ""},
    TableEntry{C::kHostKey, "ssh-ed25519-cert-v01@openssh.com", G::kOk, "Ed25519", ""},
    TableEntry{C::kHostKey, "ssh-ed448", G::kOk, "Ed448", ""},
    TableEntry{C::kHostKey, "sk-ssh-ed25519@openssh.com", G::kOk, "Ed25519 (security key)", ""},
    TableEntry{C::kHostKey, "sk-ssh-ed25519-cert-v01@openssh.com", G::kOk, "Ed25519 (security key)",
               ""},
    TableEntry{C::kHostKey, "ecdsa-sha2-nistp256", G::kOk, "ECDSA P-256", ""},
    TableEntry{C::kHostKey, "ecdsa-sha2-nistp384", G::kOk, "ECDSA P-384", ""},
    TableEntry{C::kHostKey, "ecdsa-sha2-nistp521", G::kOk, "ECDSA P-521", ""},
    TableEntry{C::kHostKey, "ecdsa-sha2-nistp256-cert-v01@openssh.com", G::kOk, "ECDSA P-256", ""},
    TableEntry{C::kHostKey, "ecdsa-sha2-nistp384-cert-v01@openssh.com", G::kOk, "ECDSA P-384", ""},
    TableEntry{C::kHostKey, "ecdsa-sha2-nistp521-cert-v01@openssh.com", G::kOk, "ECDSA P-521", ""},
    TableEntry{C::kHostKey, "sk-ecdsa-sha2-nistp256@openssh.com", G::kOk,
               "ECDSA P-256 (security key)", ""},
    TableEntry{C::kHostKey, "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", G::kOk,
               "ECDSA P-256 (security key)", ""},

    // Ciphers.
    TableEntry{C::kCipher, "none", G::kBroken, "no encryption: the session travels in cleartext",
               "RFC 4253"},
    TableEntry{C::kCipher, "des-cbc", G::kBroken, "single DES: a 56-bit key, found by brute force",
               "RFC 4253"},
    TableEntry{C::kCipher, "des-cbc@ssh.com", G::kBroken,
               "single DES: a 56-bit key, found by brute force", ""},
    TableEntry{C::kCipher, "3des-cbc", G::kBroken, kBlock64, "CVE-2016-2183"},
    TableEntry{C::kCipher, "3des-ctr", G::kBroken, kBlock64, "CVE-2016-2183"},
    TableEntry{C::kCipher, "blowfish-cbc", G::kBroken, kBlock64, "CVE-2016-2183"},
    TableEntry{C::kCipher, "blowfish-ctr", G::kBroken, kBlock64, "CVE-2016-2183"},
    TableEntry{C::kCipher, "cast128-cbc", G::kBroken, kBlock64, "CVE-2016-2183"},
    TableEntry{C::kCipher, "cast128-ctr", G::kBroken, kBlock64, "CVE-2016-2183"},
    TableEntry{C::kCipher, "idea-cbc", G::kBroken, kBlock64, "CVE-2016-2183"},
    TableEntry{C::kCipher, "idea-ctr", G::kBroken, kBlock64, "CVE-2016-2183"},
    TableEntry{C::kCipher, "arcfour", G::kBroken, kRc4, "RFC 8758"},
    TableEntry{C::kCipher, "arcfour128", G::kBroken, kRc4, "RFC 8758"},
    TableEntry{C::kCipher, "arcfour256", G::kBroken, kRc4, "RFC 8758"},
    TableEntry{C::kCipher, "aes128-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "aes192-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "aes256-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "rijndael-cbc@lysator.liu.se", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "twofish-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "twofish128-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "twofish192-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "twofish256-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "serpent128-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "serpent192-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "serpent256-cbc", G::kWeak, kCbc, "CVE-2008-5161"},
    TableEntry{C::kCipher, "aes128-ctr", G::kOk, "AES-CTR (RFC 4344)", ""},
    TableEntry{C::kCipher, "aes192-ctr", G::kOk, "AES-CTR (RFC 4344)", ""},
    TableEntry{C::kCipher, "aes256-ctr", G::kOk, "AES-CTR (RFC 4344)", ""},
    TableEntry{C::kCipher, "aes128-gcm@openssh.com", G::kOk, "AES-GCM, authenticated", ""},
    TableEntry{C::kCipher, "aes256-gcm@openssh.com", G::kOk, "AES-GCM, authenticated", ""},
    TableEntry{C::kCipher, "AEAD_AES_128_GCM", G::kOk, "AES-GCM, authenticated (RFC 5647)", ""},
    TableEntry{C::kCipher, "AEAD_AES_256_GCM", G::kOk, "AES-GCM, authenticated (RFC 5647)", ""},
    TableEntry{C::kCipher, "chacha20-poly1305@openssh.com", G::kOk,
               "ChaCha20-Poly1305 (Terrapin is graded apart)", ""},

    // MACs.
    TableEntry{C::kMac, "none", G::kBroken, "no integrity protection: packets can be altered",
               "RFC 4253"},
    TableEntry{C::kMac, "hmac-md5", G::kWeak, kMd5, "RFC 6151"},
    TableEntry{C::kMac, "hmac-md5-etm@openssh.com", G::kWeak, kMd5, "RFC 6151"},
    TableEntry{C::kMac, "hmac-md5-96", G::kWeak, kTruncated96, "RFC 6151"},
    TableEntry{C::kMac, "hmac-md5-96-etm@openssh.com", G::kWeak, kTruncated96, "RFC 6151"},
    TableEntry{C::kMac, "hmac-sha1-96", G::kWeak, kTruncated96, ""},
    TableEntry{C::kMac, "hmac-sha1-96-etm@openssh.com", G::kWeak, kTruncated96, ""},
    TableEntry{C::kMac, "hmac-ripemd160", G::kWeak,
               "RIPEMD-160 legacy MAC, removed from OpenSSH in 7.6", ""},
    TableEntry{C::kMac, "hmac-ripemd160@openssh.com", G::kWeak,
               "RIPEMD-160 legacy MAC, removed from OpenSSH in 7.6", ""},
    TableEntry{C::kMac, "hmac-ripemd160-etm@openssh.com", G::kWeak,
               "RIPEMD-160 legacy MAC, removed from OpenSSH in 7.6", ""},
    TableEntry{C::kMac, "umac-32@openssh.com", G::kWeak,
               "32-bit tag: forgeries within reach of repeated tries", ""},
    TableEntry{C::kMac, "hmac-sha1", G::kOk, "HMAC does not rest on SHA-1's collision resistance",
               ""},
    TableEntry{C::kMac, "hmac-sha1-etm@openssh.com", G::kOk,
               "HMAC does not rest on SHA-1's collision resistance", ""},
    TableEntry{C::kMac, "hmac-sha2-256", G::kOk, "HMAC-SHA-256 (RFC 6668)", ""},
    TableEntry{C::kMac, "hmac-sha2-512", G::kOk, "HMAC-SHA-512 (RFC 6668)", ""},
    TableEntry{C::kMac, "hmac-sha2-256-etm@openssh.com", G::kOk, "HMAC-SHA-256, encrypt-then-MAC",
               ""},
    TableEntry{C::kMac, "hmac-sha2-512-etm@openssh.com", G::kOk, "HMAC-SHA-512, encrypt-then-MAC",
               ""},
    TableEntry{C::kMac, "umac-64@openssh.com", G::kOk,
               "64-bit tag, but a failed forgery ends the connection", ""},
    TableEntry{C::kMac, "umac-64-etm@openssh.com", G::kOk,
               "64-bit tag, but a failed forgery ends the connection", ""},
    TableEntry{C::kMac, "umac-128@openssh.com", G::kOk, "UMAC with a 128-bit tag", ""},
    TableEntry{C::kMac, "umac-128-etm@openssh.com", G::kOk,
               "UMAC with a 128-bit tag, encrypt-then-MAC", ""},
};

constexpr std::string_view kChaCha = "chacha20-poly1305@openssh.com";
constexpr std::string_view kEtmSuffix = "-etm@openssh.com";

bool is_cbc(std::string_view cipher) {
  return cipher.find("-cbc") != std::string_view::npos;
}
bool is_etm(std::string_view mac) {
  return mac.ends_with(kEtmSuffix);
}

// Both directions' lists as one, first occurrence kept.
std::vector<std::string> merge(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto* list : {&a, &b}) {
    for (const auto& name : *list) {
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  }
  return out;
}

SshClassVerdict grade_list(SshAlgorithmClass c, const std::vector<std::string>& names) {
  SshClassVerdict verdict;
  verdict.algorithm_class = c;
  for (const auto& name : names) {
    auto g = grade_ssh_algorithm(c, name);
    if (!g || g->grade == SshGrade::kOk) continue;
    verdict.worst = std::max(verdict.worst, g->grade);
    verdict.offending.push_back(SshGradedAlgorithm{name, *g});
  }
  return verdict;
}

}  // namespace

std::string_view to_string(SshAlgorithmClass c) {
  switch (c) {
    case SshAlgorithmClass::kKex:
      return "kex";
    case SshAlgorithmClass::kHostKey:
      return "hostkey";
    case SshAlgorithmClass::kCipher:
      return "cipher";
    case SshAlgorithmClass::kMac:
      return "mac";
  }
  return "kex";
}

std::string_view to_string(SshGrade g) {
  switch (g) {
    case SshGrade::kOk:
      return "ok";
    case SshGrade::kWeak:
      return "weak";
    case SshGrade::kBroken:
      return "broken";
  }
  return "ok";
}

std::optional<SshAlgorithmGrade> grade_ssh_algorithm(SshAlgorithmClass c, std::string_view name) {
  for (const auto& e : kTable) {
    if (e.algorithm_class != c) continue;
    if (e.prefix ? name.starts_with(e.name) : name == e.name) {
      return SshAlgorithmGrade{e.grade, e.reason, e.reference};
    }
  }
  return std::nullopt;
}

SshVerdict grade_ssh_kexinit(const SshKexInit& k) {
  SshVerdict verdict;
  const std::vector<std::string> ciphers = merge(k.cipher_c2s, k.cipher_s2c);
  const std::vector<std::string> macs = merge(k.mac_c2s, k.mac_s2c);
  for (auto v : {grade_list(SshAlgorithmClass::kKex, k.kex),
                 grade_list(SshAlgorithmClass::kHostKey, k.host_key),
                 grade_list(SshAlgorithmClass::kCipher, ciphers),
                 grade_list(SshAlgorithmClass::kMac, macs)}) {
    if (!v.offending.empty()) verdict.classes.push_back(std::move(v));
  }

  const bool strict = std::find(k.kex.begin(), k.kex.end(), kSshStrictKexServer) != k.kex.end();
  if (!strict) {
    const bool chacha = std::find(ciphers.begin(), ciphers.end(), kChaCha) != ciphers.end();
    const bool cbc =
        std::any_of(ciphers.begin(), ciphers.end(), [](const auto& n) { return is_cbc(n); });
    const bool etm = std::any_of(macs.begin(), macs.end(), [](const auto& n) { return is_etm(n); });
    if (chacha) verdict.terrapin_algorithms.emplace_back(kChaCha);
    if (cbc && etm) {
      for (const auto& n : ciphers) {
        if (is_cbc(n)) verdict.terrapin_algorithms.push_back(n);
      }
      for (const auto& n : macs) {
        if (is_etm(n)) verdict.terrapin_algorithms.push_back(n);
      }
    }
    verdict.terrapin = !verdict.terrapin_algorithms.empty();
  }
  return verdict;
}

}  // namespace portolan::audit
