// docker-api-noauth: the Docker Engine API answering a client that shows no
// certificate.
//
// Severity critical: the API starts privileged containers that mount the
// host's root file system, so it is root on the host. The check sends GET
// /version (read-only) over plain TCP (2375) or over TLS without a client
// certificate (2376). A 200 JSON with "ApiVersion" is the finding, on either:
// a daemon with --tlsverify refuses the handshake, so answering over TLS
// without a client certificate is as open as plain TCP. A 401/403 (an
// authorization plugin) or a failed handshake is nothing. The tests play
// answers written from the Engine API documentation (the local daemon is only
// on its unix socket and must stay there).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/http_response.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

class DockerApiNoauthCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    if (ctx.port.protocol != Protocol::kTcp) return false;
    return contains_nocase(ctx.service.product, "docker") ||
           service_or_port(ctx, {"docker"}, {2375, 2376});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    const bool tls =
        service_over_tls(ctx.service) || (ctx.service.name.empty() && ctx.port.port == 2376);
    const auto raw = exchange_http(*ctx.net, ctx.port.port, tls, ctx.sni,
                                   build_http_get("/version", http_host_for(ctx, tls)));
    if (!raw) return;
    const auto response = parse_http_response(*raw);
    if (!response || response->status != 200) return;
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (!json.is_object() || !json.contains("ApiVersion")) return;
    auto field = [&](const char* key) {
      const auto it = json.find(key);
      return it != json.end() && it->is_string() ? printable_evidence(it->get<std::string>(), 40)
                                                 : std::string("?");
    };
    out.push_back(
        make_finding(info_, ctx, Severity::kCritical,
                     "Docker Engine API without authentication (root on the host)",
                     fmt::format("GET /version{} -> 200: Version {}, ApiVersion {}, Os {}",
                                 tls ? " over TLS without a client certificate" : "",
                                 field("Version"), field("ApiVersion"), field("Os")),
                     "Do not expose the daemon on TCP (remove -H tcp://... / \"hosts\" in "
                     "daemon.json); if it must be, "
                     "use --tlsverify with --tlscacert, --tlscert and --tlskey so only clients "
                     "with a certificate connect."));
  }

 private:
  CheckInfo info_{"docker-api-noauth", Category::kUnauthenticated,
                  "Docker Engine API reachable without TLS client authentication", true};
};

}  // namespace

std::unique_ptr<Check> make_docker_api_noauth_check() {
  return std::make_unique<DockerApiNoauthCheck>();
}

}  // namespace portolan::audit
