// telnet-cleartext: a telnet server: the login, its password and the whole
// session cross the network in cleartext.
//
// Severity high rather than medium (other cleartext logins): what crosses is
// an interactive shell, usually root's on network devices, and telnet has no
// encrypted variant a client could negotiate. Passive: -sV naming the
// service "telnet" is the whole evidence, so it also runs offline.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"

namespace portolan::audit {
namespace {

class TelnetCleartextCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return ctx.port.protocol == Protocol::kTcp && ctx.service.name == "telnet" &&
           ctx.service.tunnel != "ssl";
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    std::string evidence = "service detection: telnet";
    if (!ctx.service.product.empty()) evidence += fmt::format(" ({})", ctx.service.product);
    out.push_back(make_finding(
        info_, ctx, Severity::kHigh, "Telnet: logins and sessions in cleartext",
        std::move(evidence),
        "Use SSH instead and disable the telnet daemon (remove telnetd/inetutils-telnetd, "
        "or 'no transport input telnet' / 'transport input ssh' on network devices)."));
  }

 private:
  CheckInfo info_{"telnet-cleartext", Category::kCleartext,
                  "Telnet: logins and sessions cross the network in cleartext", false};
};

}  // namespace

std::unique_ptr<Check> make_telnet_cleartext_check() {
  return std::make_unique<TelnetCleartextCheck>();
}

}  // namespace portolan::audit
