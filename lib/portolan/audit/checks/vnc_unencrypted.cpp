// vnc-unencrypted: a VNC server without authentication, or with only the
// DES challenge over an unencrypted connection.
//
// The check reads the server's ProtocolVersion, answers with the version
// RFC 6143 tells a client to use, reads the list of security types and
// closes without choosing one, so nothing happens on the server beyond a
// dropped connection.
//
// Severity: type 1 (None) offered -> critical: anyone gets the desktop,
// keyboard and mouse (unauthenticated remote control). Otherwise, type 2
// (VNC Authentication) offered with no encrypted type (18 TLS, 19
// VeNCrypt) -> medium: a password of at most 8 characters through a DES
// challenge an eavesdropper can crack offline, and the session itself in
// cleartext.
#include <algorithm>

#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/rfb_handshake.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

bool has(const std::vector<uint8_t>& types, uint8_t t) {
  return std::find(types.begin(), types.end(), t) != types.end();
}

std::string type_list(const std::vector<uint8_t>& types) {
  std::string out;
  for (uint8_t t : types) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({})", t, rfb_security_name(t));
  }
  return out;
}

class VncUnencryptedCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext& ctx) const override {
    if (ctx.port.protocol != Protocol::kTcp) return false;
    if (!ctx.service.name.empty()) return ctx.service.name == "vnc";
    return ctx.port.port >= 5900 && ctx.port.port <= 5910;
  }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto stream = ctx.net->connect(ctx.port.port);
    if (!stream) return;
    auto banner = (*stream)->read_until([](std::string_view s) { return s.size() >= 12; });
    if (!banner) return;
    auto server = parse_rfb_version(*banner);
    if (!server) return;
    const RfbVersion ours = rfb_client_version(*server);
    std::string security = banner->substr(12);
    auto more = exchange(**stream, format_rfb_version(ours), [&](std::string_view s) {
      return parse_rfb_security(security + std::string(s), ours).has_value();
    });
    if (!more) return;
    security += *more;
    auto sec = parse_rfb_security(security, ours);
    if (!sec || sec->types.empty()) return;
    const std::string seen =
        fmt::format("server {}; security types offered: {}",
                    printable_evidence(banner->substr(0, 11)), type_list(sec->types));
    if (has(sec->types, kRfbSecurityNone)) {
      out.push_back(make_finding(
          info_, ctx, Severity::kCritical, "VNC without authentication", seen,
          "Require a password (x11vnc -rfbauth, TigerVNC SecurityTypes=VncAuth or better "
          "TLSVnc/X509Vnc) and reach VNC only through SSH or a VPN",
          "none"));
      return;
    }
    if (has(sec->types, kRfbSecurityVncAuth) && !has(sec->types, kRfbSecurityTls) &&
        !has(sec->types, kRfbSecurityVeNCrypt)) {
      out.push_back(make_finding(
          info_, ctx, Severity::kMedium, "VNC authentication unencrypted", seen,
          "Offer only encrypted security types (TigerVNC SecurityTypes=X509Vnc,TLSVnc; "
          "VeNCrypt), or reach VNC only through an SSH tunnel or a VPN",
          "vnc-auth"));
    }
  }

 private:
  CheckInfo info_{"vnc-unencrypted", Category::kCleartext,
                  "VNC with no authentication or only the DES challenge, unencrypted", true};
};

}  // namespace

std::unique_ptr<Check> make_vnc_unencrypted_check() {
  return std::make_unique<VncUnencryptedCheck>();
}

}  // namespace portolan::audit
