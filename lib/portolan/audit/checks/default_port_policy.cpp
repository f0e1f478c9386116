// default-port-policy: a service the policy wants off its well-known port
// (nondefault-port: [ssh]) listening there.
//
// Passive (runs offline). Moving a service off its port is no protection
// against a scan, but some sites require it to cut the noise of mass
// scanning in their logs; the check only enforces what the policy says and
// finds nothing without one. Severity low. The well-known ports are IANA's
// (the built-in port registry).
#include <fmt/format.h>

#include <algorithm>

#include "portolan/audit/checks/checks.h"
#include "portolan/registry/port_registry.h"

namespace portolan::audit {
namespace {

class DefaultPortPolicyCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    const auto& wanted = ctx.policy.nondefault_port;
    return !ctx.service.name.empty() &&
           std::find(wanted.begin(), wanted.end(), ctx.service.name) != wanted.end();
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    for (const ServiceEntry* e : PortRegistry::builtin().find_service(ctx.service.name)) {
      if (e->protocol == ctx.port.protocol && e->port_lo <= ctx.port.port &&
          ctx.port.port <= e->port_hi) {
        out.push_back(make_finding(
            info_, ctx, Severity::kLow,
            fmt::format("{} on its default port, against the audit policy", ctx.service.name),
            fmt::format(
                "{} answers on {}/{}, its IANA port; the policy lists it under nondefault-port",
                ctx.service.name, ctx.port.port, to_string(ctx.port.protocol)),
            fmt::format(
                "Move {} to another port (and update clients and firewall rules), or remove it "
                "from nondefault-port in the policy",
                ctx.service.name)));
        return;
      }
    }
  }

 private:
  CheckInfo info_{"default-port-policy", Category::kExposure,
                  "A service the policy wants off its default port listening there", false};
};

}  // namespace

std::unique_ptr<Check> make_default_port_policy_check() {
  return std::make_unique<DefaultPortPolicyCheck>();
}

}  // namespace portolan::audit
