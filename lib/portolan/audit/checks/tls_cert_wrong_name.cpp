// tls-cert-wrong-name: the server's certificate does not name the host that
// was scanned.
//
// Medium: clients that check names refuse it (or warn). Passive, by RFC 6125
// (tls_certificate.h): a target scanned by host name is matched against the
// DNS SANs, with single-label wildcards, and against the subject CN only when
// the certificate has no DNS SAN. A target scanned by address is matched
// against the IP SANs when the certificate has any; when it has none there is
// no finding, because the name the server is meant to be reached by is not
// known to us, and guessing would flag every correctly named server scanned
// by address.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/tls_certificate.h"

namespace portolan::audit {
namespace {

class TlsCertWrongNameCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override { return ctx.service.tls.has_value(); }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const TlsInfo& tls = *ctx.service.tls;
    const std::string host = ctx.sni.empty() ? ctx.host.address.to_string() : ctx.sni;
    if (certificate_matches_host(tls, host) != NameMatch::kMismatch) return;
    const std::string names = tls.sans.empty()
                                  ? std::string("no subjectAltName")
                                  : fmt::format("subjectAltName {}", fmt::join(tls.sans, ", "));
    out.push_back(make_finding(
        info_, ctx, Severity::kMedium, "TLS certificate not issued for the name scanned",
        fmt::format("scanned as {}; certificate has {}; subject {}", host, names,
                    tls.subject.empty() ? std::string("(empty)") : tls.subject),
        fmt::format("Issue a certificate whose subjectAltName lists {} (and every other name "
                    "clients use), or point clients at a name the certificate has",
                    host)));
  }

 private:
  CheckInfo info_{"tls-cert-wrong-name", Category::kTls,
                  "TLS certificate not issued for the name scanned", false};
};

}  // namespace

std::unique_ptr<Check> make_tls_cert_wrong_name_check() {
  return std::make_unique<TlsCertWrongNameCheck>();
}

}  // namespace portolan::audit
