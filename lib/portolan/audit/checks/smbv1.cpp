// smbv1: an SMB server that still accepts SMBv1.
//
// The check sends one SMB1 NEGOTIATE offering only the "NT LM 0.12"
// dialect (the one every SMBv1 server since NT 4 speaks) and reads the
// answer; it sets up no session. On 139 it first opens a NetBIOS session to
// "*SMBSERVER", as a client must.
//
// Severity: high. SMBv1 is the protocol of the EternalBlue/WannaCry
// (MS17-010) class of remote code execution and has no protection against
// downgrade or tampering; Microsoft and Samba disable it by default since
// 2017/2019. An SMB2 answer, dialect index 0xFFFF or a closed connection
// show SMBv1 off: no finding.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/smb1_negotiate.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

bool netbios_message_complete(std::string_view s) {
  if (s.size() < 4) return false;
  const size_t len = (size_t{static_cast<uint8_t>(s[1])} << 16) |
                     (size_t{static_cast<uint8_t>(s[2])} << 8) | static_cast<uint8_t>(s[3]);
  return s.size() >= 4 + len;
}

class Smbv1Check final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext& ctx) const override {
    return service_or_port(ctx, {"microsoft-ds", "netbios-ssn", "smb"}, {445, 139});
  }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto stream = ctx.net->connect(ctx.port.port);
    if (!stream) return;
    if (service_or_port(ctx, {"netbios-ssn"}, {139})) {
      auto answer = exchange(**stream, build_netbios_session_request(), netbios_message_complete);
      if (!answer || !netbios_session_accepted(*answer)) return;
    }
    auto answer = exchange(**stream, build_smb1_negotiate_request(), netbios_message_complete);
    if (!answer) return;
    auto negotiate = parse_smb_negotiate_response(*answer);
    if (!negotiate || !negotiate->smb1_accepted()) return;
    Finding f =
        make_finding(info_, ctx, Severity::kHigh, "SMBv1 enabled",
                     fmt::format("an SMB1 NEGOTIATE offering only \"NT LM 0.12\" was accepted "
                                 "(SMB1 response, status 0x{:08x}, "
                                 "dialect index {})",
                                 negotiate->status, negotiate->dialect_index),
                     "Disable SMBv1: Samba \"server min protocol = SMB2_02\" in smb.conf; Windows "
                     "Set-SmbServerConfiguration -EnableSMB1Protocol $false");
    f.references = {"MS17-010", "CVE-2017-0144"};
    out.push_back(std::move(f));
  }

 private:
  CheckInfo info_{"smbv1", Category::kExposure, "SMB server accepting SMBv1", true};
};

}  // namespace

std::unique_ptr<Check> make_smbv1_check() {
  return std::make_unique<Smbv1Check>();
}

}  // namespace portolan::audit
