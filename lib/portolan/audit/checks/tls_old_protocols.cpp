// tls-old-protocols: a TLS server accepting SSLv3, TLS 1.0 or TLS 1.1.
//
// Passive part: the versions -sV saw a pinned handshake complete with
// (TlsInfo::versions), one finding per old version. TLS 1.0 and 1.1 are
// medium: deprecated by RFC 8996, CBC in TLS 1.0 has BEAST, both need SHA-1
// in the handshake, but an attack takes effort and a downgrade needs an old
// client as well.
//
// Active part, when the audit runs live: OpenSSL (Debian's is built without
// SSLv3) cannot ask about SSLv3, so we send our own SSLv3 ClientHello (record
// and client version 0x0300, SSLv3-era suites, no extensions) and a
// ServerHello that answers with version 0x0300 is a high finding: POODLE
// (CVE-2014-3566) decrypts CBC traffic of any client that can be pushed
// down to it, and RFC 7568 forbids SSLv3. An alert or a higher version means
// no. STARTTLS ports get the same probe after the plain-text preamble of
// -sV's STARTTLS scripts (SMTP, POP3, IMAP).
//
// The SSLv3 probe's finding is made at scan time only; offline
// (`portolan audit FILE.xml`) this check is passive and sees only the
// versions in the file.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/tls_cipher_suites.h"
#include "portolan/audit/tls_hello.h"

namespace portolan::audit {
namespace {

std::string protocol_remediation(const PortContext& ctx) {
  if (ctx.service.tls && ctx.service.tls->starttls) {
    return "Allow only TLS 1.2 and 1.3: Postfix `smtpd_tls_protocols = >=TLSv1.2` and "
           "`smtpd_tls_mandatory_protocols = >=TLSv1.2`; Dovecot `ssl_min_protocol = TLSv1.2`";
  }
  return "Allow only TLS 1.2 and 1.3: nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache "
         "`SSLProtocol -all +TLSv1.2 +TLSv1.3`";
}

class TlsOldProtocolsCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override { return ctx.service.tls.has_value(); }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const TlsInfo& tls = *ctx.service.tls;
    const std::string accepted = fmt::format("{}", fmt::join(tls.versions, ", "));
    bool sslv3_seen = false;
    for (const auto& version : tls.versions) {
      if (version == "SSLv3") {
        sslv3_seen = true;
        out.push_back(sslv3_finding(ctx, fmt::format("accepted versions: {}", accepted)));
      } else if (version == "TLSv1.0" || version == "TLSv1.1") {
        const std::string subject = version == "TLSv1.0" ? "tlsv1.0" : "tlsv1.1";
        Finding f = make_finding(
            info_, ctx, Severity::kMedium, fmt::format("Deprecated protocol {} accepted", version),
            fmt::format("a handshake pinned to {} completed; accepted versions: {}", version,
                        accepted),
            protocol_remediation(ctx), subject);
        f.references = {"RFC 8996"};
        out.push_back(std::move(f));
      }
    }
    if (ctx.net != nullptr && !sslv3_seen) probe_sslv3(ctx, out);
  }

  // Offline the SSLv3 probe cannot run again; what it saw at scan time stands.
  bool kept_offline(const Finding& f) const override { return f.id == info_.id + ":sslv3"; }

 private:
  Finding sslv3_finding(const PortContext& ctx, std::string evidence) const {
    Finding f = make_finding(info_, ctx, Severity::kHigh, "SSLv3 accepted (POODLE)",
                             std::move(evidence), protocol_remediation(ctx), "sslv3");
    f.references = {"CVE-2014-3566", "RFC 7568"};
    return f;
  }

  void probe_sslv3(const PortContext& ctx, std::vector<Finding>& out) const {
    const TlsInfo& tls = *ctx.service.tls;
    ClientHelloOptions hello;
    hello.record_version = kSsl3;
    hello.client_version = kSsl3;
    hello.extensions = false;
    for (const auto& suite : sslv3_cipher_suites()) hello.cipher_suites.push_back(suite.id);
    hello.cipher_suites.push_back(0x00ff);  // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    hello.random = client_random();
    const std::string starttls = tls.starttls ? ctx.service.name : std::string();
    auto answer = exchange_hello(*ctx.net, ctx.port.port, starttls, build_client_hello(hello));
    if (!answer || answer->kind != ServerAnswer::Kind::kServerHello || answer->version != kSsl3)
      return;
    out.push_back(
        sslv3_finding(ctx, fmt::format("our SSLv3 ClientHello was answered by a ServerHello with "
                                       "version 0x0300 (SSLv3), suite {}",
                                       describe_cipher_suite(answer->cipher_suite))));
  }

  CheckInfo info_{"tls-old-protocols", Category::kTls,
                  "TLS server accepting SSLv3, TLS 1.0 or TLS 1.1", false};
};

}  // namespace

std::unique_ptr<Check> make_tls_old_protocols_check() {
  return std::make_unique<TlsOldProtocolsCheck>();
}

}  // namespace portolan::audit
