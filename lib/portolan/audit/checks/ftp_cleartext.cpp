// ftp-cleartext: an FTP server that does not offer TLS (RFC 4217 AUTH TLS),
// so every login's password crosses the network in cleartext.
//
// Severity medium, as every cleartext login (the guidance for telnet is
// higher because a telnet session is a shell). The check reads the greeting,
// sends FEAT (RFC 2389) and QUIT. AUTH TLS or AUTH SSL among the features: no
// finding. Features without it, or FEAT refused (RFC 4217 section 6: a server
// with AUTH must list it in FEAT), is the finding. A port -sV reached through
// TLS (implicit FTPS, 990) is not cleartext and is skipped.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/ftp_reply.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

class FtpCleartextCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return !service_over_tls(ctx.service) && service_or_port(ctx, {"ftp"}, {21});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto stream = ctx.net->connect(ctx.port.port);
    if (!stream) return;
    auto& s = **stream;
    auto greeting = s.read_until(ftp_reply_complete);
    if (!greeting) return;
    const auto hello = parse_ftp_reply(*greeting);
    if (!hello || hello->code != 220) return;
    const auto got = exchange(s, "FEAT\r\n", ftp_reply_complete);
    if (!got) return;
    const auto feat = parse_ftp_reply(*got);
    (void)s.send("QUIT\r\n");
    (void)s.read_line();
    if (!feat) return;
    std::string evidence;
    if (feat->code == 211) {
      const auto features = ftp_features(*feat);
      if (ftp_offers_tls(features)) return;
      evidence = fmt::format("FEAT lists no AUTH TLS: {}",
                             printable_evidence(fmt::format("{}", fmt::join(features, ", ")), 200));
    } else if (feat->code >= 500) {
      evidence = fmt::format("FEAT refused: {}", printable_evidence(feat->first_line(), 120));
    } else {
      return;
    }
    out.push_back(
        make_finding(info_, ctx, Severity::kMedium, "FTP without TLS", std::move(evidence),
                     "Offer and require TLS for logins: vsftpd ssl_enable=YES with "
                     "rsa_cert_file, force_local_logins_ssl=YES; proftpd mod_tls TLSEngine on, "
                     "TLSRequired on; or replace FTP with SFTP."));
  }

 private:
  CheckInfo info_{"ftp-cleartext", Category::kCleartext,
                  "FTP without TLS (no AUTH TLS): passwords in cleartext", true};
};

}  // namespace

std::unique_ptr<Check> make_ftp_cleartext_check() {
  return std::make_unique<FtpCleartextCheck>();
}

}  // namespace portolan::audit
