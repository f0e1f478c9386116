// http-open-proxy: an HTTP proxy that relays requests for anyone, so anyone
// can browse through it (abuse traced to its owner, and a way into the
// networks behind it).
//
// Severity high (the guidance for open relays: anonymous use of a service
// meant for some). The probe never sends traffic off the target: the proxy is
// asked to fetch ITSELF, `GET http://<target address>:<port>/` with the same
// Host. A proxy that accepts the request tries to relay it, and what comes
// back shows that it did. The rule, worked out against tinyproxy 1.11 (the
// captures in tests/audit/captures/http/tinyproxy-*):
//   407 Proxy Authentication Required             refused (needs a password)
//   403 without a Via header, or Squid's
//       X-Squid-Error: ERR_ACCESS_DENIED          refused by the ACL
//   a Via header (RFC 9110 section 7.6.3)         open: the proxy forwarded, or tried
//       (tinyproxy, allowed: "400 Bad Request ... You tried to connect to the
//       machine the proxy is running on" carries "Via: 1.1 tinyproxy"; the
//       ACL refusal "403 Access denied" carries none)
//   2xx or 3xx                                    open: an answer was relayed
//   another X-Squid-Error                         open: Squid accepted and tried
//   anything else                                 no finding (cannot tell)
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/http_response.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

bool says_proxy(const ServiceInfo& s) {
  return contains_nocase(s.product, "proxy") || contains_nocase(s.product, "squid") ||
         contains_nocase(s.extra_info, "proxy");
}

class HttpOpenProxyCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    if (ctx.port.protocol != Protocol::kTcp || service_over_tls(ctx.service)) return false;
    const std::string& name = ctx.service.name;
    if (name == "http-proxy" || name == "squid-http") return true;
    if (name.rfind("http", 0) == 0) return says_proxy(ctx.service);
    return name.empty() && ctx.port.port == 3128;
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    // The target's own address, never a name: a name could resolve elsewhere.
    const std::string self = http_host_header(ctx.host.address.to_string(), ctx.port.port, false);
    const std::string url = fmt::format("http://{}/", self);
    const auto raw = exchange_http(*ctx.net, ctx.port.port, false, "", build_http_get(url, self));
    if (!raw) return;
    const auto response = parse_http_response(*raw);
    if (!response) return;
    const auto via = response->header("Via");
    const auto squid_error = response->header("X-Squid-Error");
    const int status = response->status;
    if (status == 407) return;
    if (squid_error && squid_error->rfind("ERR_ACCESS_DENIED", 0) == 0) return;
    if (status == 403 && !via) return;
    std::string why;
    if (via) {
      why = fmt::format("Via: {}", printable_evidence(*via, 100));
    } else if (status >= 200 && status < 400) {
      why = "an answer was relayed";
    } else if (squid_error) {
      why = fmt::format("X-Squid-Error: {}", printable_evidence(*squid_error, 100));
    } else {
      return;
    }
    out.push_back(make_finding(
        info_, ctx, Severity::kHigh, "Open HTTP proxy",
        fmt::format("GET {} -> {}; {}", url, printable_evidence(response->status_line(), 80), why),
        "Allow only the clients the proxy serves: tinyproxy Allow <network> (and BasicAuth); squid "
        "http_access allow localnet, then http_access deny all; apache ProxyRequests Off unless "
        "guarded."));
  }

 private:
  CheckInfo info_{"http-open-proxy", Category::kUnauthenticated,
                  "HTTP proxy relaying requests for anyone", true};
};

}  // namespace

std::unique_ptr<Check> make_http_open_proxy_check() {
  return std::make_unique<HttpOpenProxyCheck>();
}

}  // namespace portolan::audit
