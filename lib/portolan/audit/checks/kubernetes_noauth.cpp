// kubernetes-noauth: a Kubernetes API server or kubelet answering anonymous
// requests.
//
// Severity critical: an API server that lists namespaces to system:anonymous
// usually grants more (RBAC bound to anonymous); a kubelet that lists pods
// anonymously also runs commands in them (/run, /exec). The check sends one
// read-only GET, over TLS unless -sV found plain HTTP, with no credentials:
//   API server (6443, 8443, or -sV names kubernetes): GET /api/v1/namespaces,
//     200 with "NamespaceList" is the finding;
//   kubelet (10250, or -sV names kubelet): GET /pods, 200 with "PodList".
// 401 (anonymous auth off) and 403 (anonymous has no rights) are nothing.
// Not in Debian: the tests play answers written from the Kubernetes API
// documentation.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/http_response.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

bool is_kubelet(const PortContext& ctx) {
  return contains_nocase(ctx.service.product, "kubelet") || ctx.port.port == 10250;
}

class KubernetesNoauthCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    if (ctx.port.protocol != Protocol::kTcp) return false;
    const ServiceInfo& s = ctx.service;
    if (contains_nocase(s.name, "kube") || contains_nocase(s.product, "kubernetes") ||
        contains_nocase(s.product, "kubelet")) {
      return true;
    }
    const uint16_t p = ctx.port.port;
    if (p != 6443 && p != 8443 && p != 10250) return false;
    // -sV often names these ports only "https" (a Go HTTP server).
    return s.name.empty() || s.name.rfind("http", 0) == 0 || s.name == "ssl";
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    // Both listen on TLS; plain only when -sV saw cleartext HTTP.
    const bool tls =
        ctx.service.name.empty() || ctx.service.name == "ssl" || service_over_tls(ctx.service);
    const bool kubelet = is_kubelet(ctx);
    const std::string path = kubelet ? "/pods" : "/api/v1/namespaces";
    const auto raw = exchange_http(*ctx.net, ctx.port.port, tls, ctx.sni,
                                   build_http_get(path, http_host_for(ctx, tls)));
    if (!raw) return;
    const auto response = parse_http_response(*raw);
    if (!response || response->status != 200) return;
    const std::string_view kind = kubelet ? "\"PodList\"" : "\"NamespaceList\"";
    if (response->body.find(kind) == std::string::npos) return;
    out.push_back(make_finding(
        info_, ctx, Severity::kCritical,
        kubelet ? "Kubelet API answering anonymous requests"
                : "Kubernetes API server answering anonymous requests",
        fmt::format("GET {} without credentials -> {} with kind {}", path,
                    printable_evidence(response->status_line(), 60), kind),
        kubelet ? "Start the kubelet with --anonymous-auth=false and --authorization-mode=Webhook "
                  "(authentication.anonymous.enabled: false in its config file)."
                : "Remove RBAC bindings that grant system:anonymous or system:unauthenticated more "
                  "than "
                  "discovery, or start kube-apiserver with --anonymous-auth=false."));
  }

 private:
  CheckInfo info_{"kubernetes-noauth", Category::kUnauthenticated,
                  "Kubernetes API server or kubelet answering anonymous requests", true};
};

}  // namespace

std::unique_ptr<Check> make_kubernetes_noauth_check() {
  return std::make_unique<KubernetesNoauthCheck>();
}

}  // namespace portolan::audit
