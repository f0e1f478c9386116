// ssh-weak-algorithms: SSH key exchange, cipher, MAC or host-key algorithms
// with known weaknesses, and the Terrapin condition.
//
// Probe: connect, read the server's identification line, send ours
// ("SSH-2.0-Portolan_audit"), read until the server's whole KEXINIT packet has
// arrived, close. The server sends KEXINIT on its own right after the
// identification exchange, so this is all it takes: no key exchange, no
// authentication, nothing changes on the server (it logs a connection closed
// before authentication).
//
// Findings: one per algorithm class with anything graded weak or broken
// ("ssh-weak-algorithms:kex", ":hostkey", ":cipher", ":mac"), its severity the
// worst grade in the class (broken: medium, weak: low; the grading rules are
// at the top of ssh_algorithms.cpp), and ":terrapin" (medium) when the server
// is open to CVE-2023-48795. The remediation names the sshd_config directive
// with OpenSSH's '-' removal list, or the build option for Dropbear.
#include <algorithm>

#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/ssh_algorithms.h"
#include "portolan/audit/ssh_kexinit.h"

namespace portolan::audit {
namespace {

constexpr std::string_view kClientIdent = "SSH-2.0-Portolan_audit\r\n";

enum class SshServerKind : uint8_t { kOpenSsh, kDropbear, kOther };

SshServerKind kind_of(const SshIdent& ident) {
  if (ident.software_version.starts_with("OpenSSH")) return SshServerKind::kOpenSsh;
  if (ident.software_version.starts_with("dropbear")) return SshServerKind::kDropbear;
  return SshServerKind::kOther;
}

// The identification exchange and the server's KEXINIT, read through `net`.
Result<SshServerHello> fetch_server_hello(AuditNet& net, uint16_t port) {
  auto connected = net.connect(port);
  if (!connected) return Unexpected(connected.error());
  TcpStream& stream = **connected;
  auto first = stream.read_until(
      [](std::string_view b) { return ssh_ident_progress(b) != SshProgress::kNeedMore; });
  if (!first) return Unexpected(first.error());
  std::string got = std::move(*first);
  auto ident = parse_ssh_ident(got);
  if (!ident) return Unexpected(ident.error());
  if (!ident->speaks_ssh2()) return fail(fmt::format("SSH protocol {} only", ident->proto_version));
  auto sent = stream.send(kClientIdent);
  if (!sent) return Unexpected(sent.error());
  if (ssh_server_hello_progress(got) == SshProgress::kNeedMore) {
    auto more = stream.read_until([&got](std::string_view b) {
      std::string all = got;
      all.append(b);
      return ssh_server_hello_progress(all) != SshProgress::kNeedMore;
    });
    if (!more) return Unexpected(more.error());
    got += *more;
  }
  return parse_ssh_server_hello(got);
}

std::string_view title_of(SshAlgorithmClass c) {
  switch (c) {
    case SshAlgorithmClass::kKex:
      return "SSH server offers weak key exchange algorithms";
    case SshAlgorithmClass::kHostKey:
      return "SSH server offers weak host key algorithms";
    case SshAlgorithmClass::kCipher:
      return "SSH server offers weak ciphers";
    case SshAlgorithmClass::kMac:
      return "SSH server offers weak MAC algorithms";
  }
  return "SSH server offers weak algorithms";
}

std::string_view directive_of(SshAlgorithmClass c) {
  switch (c) {
    case SshAlgorithmClass::kKex:
      return "KexAlgorithms";
    case SshAlgorithmClass::kHostKey:
      return "HostKeyAlgorithms";
    case SshAlgorithmClass::kCipher:
      return "Ciphers";
    case SshAlgorithmClass::kMac:
      return "MACs";
  }
  return "KexAlgorithms";
}

// The localoptions.h switch that removes `name` from a Dropbear build.
std::string_view dropbear_option(std::string_view name) {
  if (name == "diffie-hellman-group1-sha1") return "DROPBEAR_DH_GROUP1";
  if (name == "diffie-hellman-group14-sha1") return "DROPBEAR_DH_GROUP14_SHA1";
  if (name == "ssh-rsa") return "DROPBEAR_RSA_SHA1";
  if (name == "ssh-dss") return "DROPBEAR_DSS";
  if (name == "3des-cbc" || name == "3des-ctr") return "DROPBEAR_3DES";
  if (name.find("-cbc") != std::string_view::npos) return "DROPBEAR_ENABLE_CBC_MODE";
  if (name == "hmac-sha1-96") return "DROPBEAR_SHA1_96_HMAC";
  if (name.starts_with("hmac-md5")) return "DROPBEAR_MD5_HMAC";
  return {};
}

std::string join(const std::vector<std::string>& names, std::string_view sep) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += sep;
    out += n;
  }
  return out;
}

std::string remediation_for(const SshClassVerdict& v, SshServerKind kind) {
  std::vector<std::string> names;
  for (const auto& a : v.offending) names.push_back(a.name);
  const bool dsa = std::any_of(names.begin(), names.end(),
                               [](const auto& n) { return n.starts_with("ssh-dss"); });
  if (kind == SshServerKind::kDropbear) {
    std::vector<std::string> options;
    for (const auto& n : names) {
      const std::string_view o = dropbear_option(n);
      if (!o.empty() && std::find(options.begin(), options.end(), o) == options.end())
        options.emplace_back(o);
    }
    std::string text = options.empty() ? std::string(
                                             "Dropbear chooses its algorithms when it is built: "
                                             "rebuild without them (localoptions.h)")
                                       : fmt::format(
                                             "Dropbear chooses its algorithms when it is built: "
                                             "rebuild with {} set to 0 in localoptions.h",
                                             join(options, ", "));
    text += ", or upgrade to a release that no longer enables them";
    if (dsa) text += "; do not pass a DSS host key with -r";
    return text;
  }
  std::string text = fmt::format(
      "{}sshd_config: {} -{} (OpenSSH 7.5 or later; older versions: list only the wanted "
      "algorithms), then reload sshd",
      kind == SshServerKind::kOther ? "Disable them in the server's configuration; for "
                                      "OpenSSH, in "
                                    : "In ",
      directive_of(v.algorithm_class), join(names, ","));
  if (dsa) text += "; also remove the HostKey line of the DSA key";
  return text;
}

std::string terrapin_remediation(const SshVerdict& v, SshServerKind kind) {
  const bool chacha = std::find(v.terrapin_algorithms.begin(), v.terrapin_algorithms.end(),
                                "chacha20-poly1305@openssh.com") != v.terrapin_algorithms.end();
  const bool cbc_etm = v.terrapin_algorithms.size() > (chacha ? 1u : 0u);
  if (kind == SshServerKind::kDropbear) {
    return "Update Dropbear to 2024.84 or a distribution build with the CVE-2023-48795 fix, which "
           "announces strict key "
           "exchange; until then rebuild with DROPBEAR_CHACHA20POLY1305 set to 0";
  }
  std::vector<std::string> removal;
  if (chacha) removal.emplace_back("chacha20-poly1305@openssh.com");
  if (cbc_etm) removal.emplace_back("*-cbc");
  return fmt::format(
      "Update the server to a release with the CVE-2023-48795 fix (OpenSSH 9.6, or a distribution "
      "build "
      "such as Debian's 9.2p1-2+deb12u2), which announces strict key exchange; until then, in "
      "sshd_config: Ciphers -{}",
      join(removal, ","));
}

class SshWeakAlgorithmsCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    if (ctx.port.state != PortState::kOpen || !ctx.service.tunnel.empty()) return false;
    return service_or_port(ctx, {"ssh"}, {22});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto hello = fetch_server_hello(*ctx.net, ctx.port.port);
    if (!hello) return;
    const SshVerdict verdict = grade_ssh_kexinit(hello->kexinit);
    const SshServerKind kind = kind_of(hello->ident);
    const std::string server = printable_evidence(hello->ident.line);

    for (const auto& v : verdict.classes) {
      std::string offered;
      std::vector<std::string> references;
      for (const auto& a : v.offending) {
        if (!offered.empty()) offered += "; ";
        offered += fmt::format("{} ({}: {})", a.name, to_string(a.grade.grade), a.grade.reason);
        const std::string ref(a.grade.reference);
        if (!ref.empty() &&
            std::find(references.begin(), references.end(), ref) == references.end()) {
          references.push_back(ref);
        }
      }
      Finding f = make_finding(
          info_, ctx, v.worst == SshGrade::kBroken ? Severity::kMedium : Severity::kLow,
          std::string(title_of(v.algorithm_class)), fmt::format("{} offers {}", server, offered),
          remediation_for(v, kind), to_string(v.algorithm_class));
      f.references = std::move(references);
      out.push_back(std::move(f));
    }

    if (verdict.terrapin) {
      Finding f = make_finding(
          info_, ctx, Severity::kMedium,
          "SSH server is open to the Terrapin prefix truncation attack (CVE-2023-48795)",
          fmt::format("{} offers {} without strict key exchange ({} not in its key exchange list)",
                      server, join(verdict.terrapin_algorithms, ", "), kSshStrictKexServer),
          terrapin_remediation(verdict, kind), "terrapin");
      f.references = {"CVE-2023-48795", "https://terrapin-attack.com"};
      out.push_back(std::move(f));
    }
  }

 private:
  CheckInfo info_{
      "ssh-weak-algorithms", Category::kSsh,
      "SSH key exchange, cipher, MAC or host-key algorithms with known weaknesses, and Terrapin",
      true};
};

}  // namespace

std::unique_ptr<Check> make_ssh_weak_algorithms_check() {
  return std::make_unique<SshWeakAlgorithmsCheck>();
}

}  // namespace portolan::audit
