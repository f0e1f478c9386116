// tls-cert-expired: the server's certificate is past its notAfter date.
//
// Medium: every client that checks certificates refuses the connection or
// warns (and users learn to click through warnings); the key is not exposed
// by it. Passive, from the certificate -sV read, against the system clock
// (tls_certificate.h takes any "now" for tests).
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/tls_certificate.h"

namespace portolan::audit {
namespace {

class TlsCertExpiredCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return ctx.service.tls.has_value() && !ctx.service.tls->not_after.empty();
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const TlsInfo& tls = *ctx.service.tls;
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (!certificate_expired(tls, now)) return;
    out.push_back(make_finding(
        info_, ctx, Severity::kMedium, "TLS certificate expired",
        fmt::format("notAfter={} (subject {})", tls.not_after, tls.subject),
        "Renew the certificate (e.g. `certbot renew`, or have the CA issue a new one) and "
        "reload the server"));
  }

 private:
  CheckInfo info_{"tls-cert-expired", Category::kTls, "TLS certificate expired", false};
};

}  // namespace

std::unique_ptr<Check> make_tls_cert_expired_check() {
  return std::make_unique<TlsCertExpiredCheck>();
}

}  // namespace portolan::audit
