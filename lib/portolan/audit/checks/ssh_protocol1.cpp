// ssh-protocol1: SSH protocol version 1 accepted.
//
// Passive: the server's identification line says which protocol versions it
// speaks (RFC 4253 section 5.1): "SSH-1.99-..." accepts SSH-1 and SSH-2
// clients, "SSH-1.5-" (any "1.x") only SSH-1. Service detection (-sV) keeps
// that number in ServiceInfo.extra_info ("protocol 1.99", "Ubuntu Linux;
// protocol 2.0", see data/services/ssh.yaml), and nmap XML keeps it in the
// extrainfo attribute, so the check also runs offline on a finished scan.
//
// Severity high: SSH-1 has structural flaws no configuration fixes (a CRC-32
// integrity check that allows insertion attacks, a session identifier a
// man in the middle can reuse, CVE-2001-1473), and a server that still
// accepts it lets an attacker in the path downgrade clients that allow it.
#include <cctype>

#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"

namespace portolan::audit {
namespace {

// The protocol version in -sV's extra_info ("protocol 1.99" -> "1.99"); empty
// when there is none.
std::string protocol_version(std::string_view extra_info) {
  constexpr std::string_view kKey = "protocol ";
  const size_t at = extra_info.find(kKey);
  if (at == std::string_view::npos) return {};
  std::string version;
  for (char c : extra_info.substr(at + kKey.size())) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') break;
    version += c;
  }
  return version;
}

class SshProtocol1Check final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return ctx.port.protocol == Protocol::kTcp && ctx.port.state == PortState::kOpen &&
           ctx.service.name == "ssh" && !ctx.service.extra_info.empty();
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const std::string version = protocol_version(ctx.service.extra_info);
    if (!version.starts_with("1.")) return;
    const bool also2 = version == "1.99";
    std::string product = ctx.service.product;
    if (!ctx.service.version.empty()) product += (product.empty() ? "" : " ") + ctx.service.version;
    Finding f = make_finding(
        info_, ctx, Severity::kHigh,
        also2 ? "SSH server accepts protocol version 1 (and 2)"
              : "SSH server speaks only protocol version 1",
        fmt::format("identification protocol version {}{}: {}", version,
                    product.empty() ? "" : fmt::format(" ({})", printable_evidence(product)),
                    also2 ? "the server accepts SSH-1 clients as well as SSH-2"
                          : "the server accepts only SSH-1"),
        "Disable SSH-1: for OpenSSH before 7.4 set 'Protocol 2' in sshd_config and reload sshd; "
        "OpenSSH 7.4 and later "
        "have no SSH-1 at all, so upgrading also removes it; for other servers, turn protocol 1 "
        "off or replace them");
    f.references = {"CVE-2001-1473", "RFC 4253 section 5.1"};
    out.push_back(std::move(f));
  }

 private:
  CheckInfo info_{"ssh-protocol1", Category::kSsh,
                  "SSH protocol version 1 accepted (SSH-1.99 or SSH-1.x)", false};
};

}  // namespace

std::unique_ptr<Check> make_ssh_protocol1_check() {
  return std::make_unique<SshProtocol1Check>();
}

}  // namespace portolan::audit
