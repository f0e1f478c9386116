// http-cleartext-auth: a plain-HTTP site that asks for a password, so the
// password crosses the network in cleartext.
//
// The check sends one GET / (Host: the name the user gave, else the address)
// and follows no redirect: a site that redirects its login to HTTPS is doing
// the right thing. Decision and severity:
//   401 with a Basic challenge      medium  (the password itself, base64)
//   401 with only a Digest challenge low    (a hash, replayable within the
//                                            nonce, crackable offline)
//   200 HTML with <input type=password> medium (the form posts the password)
// Anything else, or a port -sV reached through TLS, is no finding.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/http_response.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

constexpr std::string_view kRemediation =
    "Serve the site over HTTPS and redirect port 80 to it (nginx: listen 443 ssl with "
    "ssl_certificate, "
    "and return 301 https://$host$request_uri on port 80; apache: SSLEngine on, Redirect permanent "
    "/ "
    "https://...), or turn the password prompt off on the cleartext port.";

class HttpCleartextAuthCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return !service_over_tls(ctx.service) && service_or_port(ctx, {"http", "http-alt"}, {80, 8080});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    const auto raw = exchange_http(*ctx.net, ctx.port.port, false, "",
                                   build_http_get("/", http_host_for(ctx, false)));
    if (!raw) return;
    const auto response = parse_http_response(*raw);
    if (!response) return;
    if (response->status == 401) {
      const auto schemes = http_auth_schemes(*response);
      const bool basic = std::find(schemes.begin(), schemes.end(), "basic") != schemes.end();
      const bool digest = std::find(schemes.begin(), schemes.end(), "digest") != schemes.end();
      if (!basic && !digest) return;
      const auto challenge = response->headers_named("WWW-Authenticate");
      std::string evidence = fmt::format(
          "GET / -> {}; WWW-Authenticate: {}", printable_evidence(response->status_line(), 80),
          printable_evidence(fmt::format("{}", fmt::join(challenge, " | ")), 160));
      if (basic) {
        out.push_back(make_finding(info_, ctx, Severity::kMedium,
                                   "HTTP Basic authentication over cleartext", std::move(evidence),
                                   std::string(kRemediation)));
      } else {
        out.push_back(make_finding(info_, ctx, Severity::kLow,
                                   "HTTP Digest authentication over cleartext", std::move(evidence),
                                   std::string(kRemediation)));
      }
      return;
    }
    if (response->status == 200 && html_has_password_input(response->body)) {
      out.push_back(
          make_finding(info_, ctx, Severity::kMedium, "Login form over cleartext HTTP",
                       fmt::format("GET / -> {}; the page has an <input type=\"password\">",
                                   printable_evidence(response->status_line(), 80)),
                       std::string(kRemediation)));
    }
  }

 private:
  CheckInfo info_{"http-cleartext-auth", Category::kCleartext,
                  "HTTP without TLS asking for a password (Basic auth or a login form)", true};
};

}  // namespace

std::unique_ptr<Check> make_http_cleartext_auth_check() {
  return std::make_unique<HttpCleartextAuthCheck>();
}

}  // namespace portolan::audit
