// ftp-anonymous: the documented anonymous login (RFC 1635: USER anonymous,
// an e-mail address as the password) succeeds.
//
// Severity high: anyone can read what the server publishes under its
// anonymous root, and often more than its owner meant to (backups, configs);
// it is not critical because it is read access to one tree, not control of
// the host. The check sends only USER anonymous / PASS anonymous@ and QUIT:
// no listing, no transfer, nothing that writes. A 230 after PASS (or straight
// after USER) is the finding; 331 then 530 ("Login incorrect") is a server
// that refuses anonymous logins, so nothing.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/ftp_reply.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

class FtpAnonymousCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return service_or_port(ctx, {"ftp"}, {21});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto stream = ServiceStream::connect(ctx);
    if (!stream) return;
    auto& s = **stream;
    // An empty `line` reads the greeting.
    auto command = [&](std::string_view line) -> Result<FtpReply> {
      auto got =
          line.empty() ? s.read_until(ftp_reply_complete) : exchange(s, line, ftp_reply_complete);
      if (!got) return Unexpected(got.error());
      return parse_ftp_reply(*got);
    };
    const auto greeting = command("");
    if (!greeting || greeting->code != 220) return;
    const auto user = command("USER anonymous\r\n");
    if (!user) return;
    std::string evidence =
        fmt::format("USER anonymous -> {}", printable_evidence(user->last_line(), 120));
    bool logged_in = user->code == 230;
    if (user->code == 331) {
      const auto pass = command("PASS anonymous@\r\n");
      if (pass) {
        evidence +=
            fmt::format("; PASS anonymous@ -> {}", printable_evidence(pass->last_line(), 120));
        logged_in = pass->code == 230;
      }
    }
    (void)command("QUIT\r\n");
    if (!logged_in) return;
    out.push_back(make_finding(
        info_, ctx, Severity::kHigh, "Anonymous FTP login allowed", std::move(evidence),
        "Turn anonymous login off unless the server is meant to publish files to "
        "everyone: vsftpd anonymous_enable=NO; proftpd: remove the <Anonymous> "
        "section; pure-ftpd NoAnonymous yes."));
  }

 private:
  CheckInfo info_{"ftp-anonymous", Category::kUnauthenticated, "Anonymous FTP login allowed", true};
};

}  // namespace

std::unique_ptr<Check> make_ftp_anonymous_check() {
  return std::make_unique<FtpAnonymousCheck>();
}

}  // namespace portolan::audit
