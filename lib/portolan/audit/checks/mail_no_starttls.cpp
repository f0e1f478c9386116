// mail-no-starttls: an SMTP, POP3 or IMAP server on its cleartext port that
// does not offer STARTTLS (RFC 3207, RFC 2595), so logins and mail cross the
// network unencrypted.
//
// Severity medium, as every cleartext login. The check asks what the server
// offers before login: SMTP EHLO, POP3 CAPA, IMAP CAPABILITY; then QUIT or
// LOGOUT. STARTTLS (or STLS) listed: nothing. A port -sV already upgraded with
// STARTTLS (service.tls with starttls set) is known good without any I/O; a
// TLS port (465, 993, 995) is not cleartext and is skipped. An answer that is
// not a capability list (CAPA refused, an EHLO error) says nothing for sure,
// so it is no finding.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/ftp_reply.h"
#include "portolan/audit/mail_capabilities.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

enum class MailProtocol : uint8_t { kNone, kSmtp, kPop3, kImap };

MailProtocol protocol_of(const PortContext& ctx) {
  const std::string& name = ctx.service.name;
  if (name == "smtp" || name == "submission") return MailProtocol::kSmtp;
  if (name == "pop3") return MailProtocol::kPop3;
  if (name == "imap") return MailProtocol::kImap;
  if (!name.empty()) return MailProtocol::kNone;
  switch (ctx.port.port) {
    case 25:
    case 587:
      return MailProtocol::kSmtp;
    case 110:
      return MailProtocol::kPop3;
    case 143:
      return MailProtocol::kImap;
    default:
      return MailProtocol::kNone;
  }
}

// Talks to the server; the capability list and the raw answer it came in.
struct Answer {
  Result<MailCapabilities> caps = fail("no answer");
  std::string raw;
};

Answer ask_smtp(TcpStream& s) {
  Answer a;
  auto greeting = s.read_until(ftp_reply_complete);
  if (!greeting) return a;
  const auto hello = parse_ftp_reply(*greeting);
  if (!hello || hello->code != 220) return a;
  auto got = exchange(s, "EHLO portolan.invalid\r\n", ftp_reply_complete);
  if (!got) return a;
  a.raw = *got;
  a.caps = parse_smtp_ehlo(a.raw);
  (void)s.send("QUIT\r\n");
  (void)s.read_line();
  return a;
}

Answer ask_pop3(TcpStream& s) {
  Answer a;
  auto greeting = s.read_line();
  if (!greeting || greeting->rfind("+OK", 0) != 0) return a;
  auto got = exchange(s, "CAPA\r\n", pop3_capa_complete);
  if (!got) return a;
  a.raw = *got;
  a.caps = parse_pop3_capa(a.raw);
  (void)s.send("QUIT\r\n");
  (void)s.read_line();
  return a;
}

Answer ask_imap(TcpStream& s) {
  Answer a;
  auto greeting = s.read_line();
  if (!greeting || greeting->rfind("* OK", 0) != 0) return a;
  auto got = exchange(s, "a1 CAPABILITY\r\n",
                      [](std::string_view b) { return imap_tagged_complete(b, "a1"); });
  if (!got) return a;
  a.raw = *got;
  a.caps = parse_imap_capability(a.raw);
  (void)exchange(s, "a2 LOGOUT\r\n",
                 [](std::string_view b) { return imap_tagged_complete(b, "a2"); });
  return a;
}

class MailNoStarttlsCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    if (ctx.port.protocol != Protocol::kTcp || ctx.service.tunnel == "ssl") return false;
    return protocol_of(ctx) != MailProtocol::kNone;
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    // -sV already upgraded this port with STARTTLS: offered, nothing to ask.
    if (ctx.service.tls.has_value() && ctx.service.tls->starttls) return;
    if (service_over_tls(ctx.service) || ctx.net == nullptr) return;
    auto stream = ctx.net->connect(ctx.port.port);
    if (!stream) return;
    const MailProtocol protocol = protocol_of(ctx);
    Answer a;
    std::string_view asked;
    std::string_view name;
    switch (protocol) {
      case MailProtocol::kSmtp:
        a = ask_smtp(**stream);
        asked = "EHLO";
        name = "SMTP";
        break;
      case MailProtocol::kPop3:
        a = ask_pop3(**stream);
        asked = "CAPA";
        name = "POP3";
        break;
      case MailProtocol::kImap:
        a = ask_imap(**stream);
        asked = "CAPABILITY";
        name = "IMAP";
        break;
      case MailProtocol::kNone:
        return;
    }
    if (!a.caps || a.caps->starttls) return;
    std::string evidence = fmt::format(
        "{} answer lists no {}: {}", asked, protocol == MailProtocol::kPop3 ? "STLS" : "STARTTLS",
        printable_evidence(fmt::format("{}", fmt::join(a.caps->capabilities, " ")), 200));
    std::string remediation =
        protocol == MailProtocol::kSmtp
            ? "Offer STARTTLS with a certificate: exim tls_certificate/tls_privatekey and "
              "tls_advertise_hosts = * "
              "(Debian: MAIN_TLS_ENABLE = yes); postfix smtpd_tls_cert_file, smtpd_tls_key_file "
              "and "
              "smtpd_tls_security_level = may (encrypt on submission)."
            : "Offer STARTTLS and refuse cleartext logins: dovecot ssl = required with ssl_cert "
              "and ssl_key, "
              "disable_plaintext_auth = yes; or serve only the TLS ports (993, 995).";
    out.push_back(make_finding(info_, ctx, Severity::kMedium,
                               fmt::format("{} without STARTTLS", name), std::move(evidence),
                               std::move(remediation)));
  }

 private:
  CheckInfo info_{"mail-no-starttls", Category::kCleartext, "SMTP, POP3 or IMAP without STARTTLS",
                  true};
};

}  // namespace

std::unique_ptr<Check> make_mail_no_starttls_check() {
  return std::make_unique<MailNoStarttlsCheck>();
}

}  // namespace portolan::audit
