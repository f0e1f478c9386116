// tls-short-key: the server's certificate has a short key or is signed with
// a broken hash.
//
// Medium, both. RSA and DSA keys under policy min-rsa-bits (2048; NIST
// SP 800-131A disallowed 1024-bit after 2013, and 768-bit RSA has been
// factored) and EC keys under min-ec-bits (224) can be broken by a
// well-funded attacker; MD5 and SHA-1 signatures allow forged certificates
// by chosen-prefix collisions. The signature is not graded on a self-signed
// certificate: nobody relies on it (tls-cert-self-signed reports that).
// Ed25519/Ed448 keys have a fixed strength and are never short.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "portolan/audit/audit_policy.h"
#include "portolan/audit/checks/checks.h"

namespace portolan::audit {
namespace {

bool weak_signature_hash(std::string_view algorithm) {
  std::string lower(algorithm);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (std::string_view weak : {"md2", "md4", "md5", "sha1"}) {
    const size_t at = lower.find(weak);
    // A whole hash name: "sha1" must not match the start of a longer number.
    if (at != std::string::npos &&
        (at + weak.size() == lower.size() ||
         !std::isdigit(static_cast<unsigned char>(lower[at + weak.size()])))) {
      return true;
    }
  }
  return false;
}

class TlsShortKeyCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override { return ctx.service.tls.has_value(); }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const TlsInfo& tls = *ctx.service.tls;
    int minimum = 0;
    std::string_view what;
    if (tls.key_type == "rsa" || tls.key_type == "dsa") {
      minimum = ctx.policy.min_rsa_bits;
      what = tls.key_type == "rsa" ? "RSA" : "DSA";
    } else if (tls.key_type == "ec") {
      minimum = ctx.policy.min_ec_bits;
      what = "EC";
    }
    if (minimum > 0 && tls.key_bits > 0 && tls.key_bits < minimum) {
      out.push_back(make_finding(
          info_, ctx, Severity::kMedium, fmt::format("TLS certificate has a short {} key", what),
          fmt::format("{} key of {} bits (policy minimum {}); subject {}", what, tls.key_bits,
                      minimum, tls.subject),
          tls.key_type == "ec"
              ? "Issue a new certificate with a P-256 or larger EC key"
              : "Issue a new certificate with a 2048-bit or larger RSA key (or a P-256 EC key)"));
    }
    if (!tls.self_signed && weak_signature_hash(tls.signature_algorithm)) {
      out.push_back(make_finding(
          info_, ctx, Severity::kMedium, "TLS certificate signed with a weak hash",
          fmt::format("signature algorithm {}; issuer {}", tls.signature_algorithm, tls.issuer),
          "Have the CA reissue the certificate with a SHA-256 (or stronger) signature",
          "signature"));
    }
  }

 private:
  CheckInfo info_{"tls-short-key", Category::kTls,
                  "TLS certificate with a short key or a weak signature hash", false};
};

}  // namespace

std::unique_ptr<Check> make_tls_short_key_check() {
  return std::make_unique<TlsShortKeyCheck>();
}

}  // namespace portolan::audit
