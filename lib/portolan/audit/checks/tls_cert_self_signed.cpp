// tls-cert-self-signed: the server's certificate is signed by its own key.
//
// Medium: no client can tell it from an attacker's certificate unless it was
// pinned by hand, so users learn to accept warnings. Passive; "self-signed"
// is what -sV found (the certificate verifies under its own public key and
// issuer equals subject), not a guess from the names.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"

namespace portolan::audit {
namespace {

class TlsCertSelfSignedCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override { return ctx.service.tls.has_value(); }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const TlsInfo& tls = *ctx.service.tls;
    if (!tls.self_signed) return;
    out.push_back(make_finding(info_, ctx, Severity::kMedium, "TLS certificate self-signed",
                               fmt::format("subject={} issuer={}", tls.subject, tls.issuer),
                               "Use a certificate from a CA the clients trust (a public CA such as "
                               "Let's Encrypt, or your internal CA "
                               "distributed to the clients)"));
  }

 private:
  CheckInfo info_{"tls-cert-self-signed", Category::kTls, "TLS certificate self-signed", false};
};

}  // namespace

std::unique_ptr<Check> make_tls_cert_self_signed_check() {
  return std::make_unique<TlsCertSelfSignedCheck>();
}

}  // namespace portolan::audit
