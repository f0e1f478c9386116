// tls-cert-not-yet-valid: the server's certificate starts after today.
//
// Medium, like an expired one: clients refuse it. Usually a wrong clock on
// the machine that made it, or a certificate deployed too early. Passive.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/tls_certificate.h"

namespace portolan::audit {
namespace {

class TlsCertNotYetValidCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return ctx.service.tls.has_value() && !ctx.service.tls->not_before.empty();
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const TlsInfo& tls = *ctx.service.tls;
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (!certificate_not_yet_valid(tls, now)) return;
    out.push_back(make_finding(
        info_, ctx, Severity::kMedium, "TLS certificate not valid yet",
        fmt::format("notBefore={} (subject {})", tls.not_before, tls.subject),
        "Check the clock of the machine that issued the certificate, then reissue it or "
        "deploy it only from its notBefore date"));
  }

 private:
  CheckInfo info_{"tls-cert-not-yet-valid", Category::kTls, "TLS certificate not valid yet", false};
};

}  // namespace

std::unique_ptr<Check> make_tls_cert_not_yet_valid_check() {
  return std::make_unique<TlsCertNotYetValidCheck>();
}

}  // namespace portolan::audit
