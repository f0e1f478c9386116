// ntp-amplification: an NTP server answering mode 6 or mode 7 queries.
//
// Two questions, each one small datagram: mode 6 READVAR for the system
// variables (what `ntpq -c rv` asks), and mode 7 MON_GETLIST_1 (`ntpdc -c
// monlist`), both read-only.
//
// Severity: a monlist answer with entries -> high (CVE-2013-5211: a 48-byte
// request returns up to 600 x 72 bytes, a DDoS amplifier; it also leaks the
// server's recent clients). A mode 6 answer -> medium: the variables leak
// the exact version and system, and READVAR answers are several times the
// request (a smaller amplifier than monlist). ntpd and ntpsec answer mode 6
// unless "restrict ... noquery" is set.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/ntp_control.h"

namespace portolan::audit {
namespace {

constexpr uint16_t kSequence = 0x5054;
constexpr size_t kMaxDatagrams = 16;

class NtpAmplificationCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext& ctx) const override {
    return service_or_port(ctx, {"ntp"}, {123}, Protocol::kUdp);
  }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    check_monlist(ctx, out);
    check_readvar(ctx, out);
  }

 private:
  void check_monlist(const PortContext& ctx, std::vector<Finding>& out) const {
    const std::string request = build_ntp_monlist_request();
    auto answers = ctx.net->exchange_udp(ctx.port.port, request, kMaxDatagrams);
    if (!answers) return;
    size_t items = 0, bytes = 0;
    std::vector<std::string> clients;
    for (const auto& a : *answers) {
      auto r = parse_ntp_private_response(a);
      if (!r || r->error != 0 || r->request != 42) continue;
      items += r->items;
      bytes += a.size();
      for (auto& c : r->addresses) {
        if (clients.size() < 3) clients.push_back(std::move(c));
      }
    }
    if (items == 0) return;
    std::string evidence = fmt::format(
        "MON_GETLIST_1 (monlist) answered with {} entries in {} bytes to a {}-byte request", items,
        bytes, request.size());
    if (!clients.empty()) evidence += fmt::format("; clients include {}", fmt::join(clients, ", "));
    Finding f = make_finding(
        info_, ctx, Severity::kHigh, "NTP monlist (mode 7) answered: DDoS amplifier",
        std::move(evidence),
        "Upgrade ntpd (4.2.7p26 and later drop monlist) or add \"disable monitor\" and "
        "\"restrict default noquery\" to ntp.conf",
        "monlist");
    f.references = {"CVE-2013-5211"};
    out.push_back(std::move(f));
  }

  void check_readvar(const PortContext& ctx, std::vector<Finding>& out) const {
    const std::string request = build_ntp_readvar_request(kSequence);
    auto answers = ctx.net->exchange_udp(ctx.port.port, request, kMaxDatagrams);
    if (!answers) return;
    std::string text;
    size_t bytes = 0;
    bool answered = false;
    for (const auto& a : *answers) {
      auto r = parse_ntp_control_response(a);
      if (!r || r->sequence != kSequence || r->opcode != 2 || r->error) continue;
      answered = true;
      bytes += a.size();
      if (text.size() < 4096) text += r->data;
    }
    if (!answered) return;
    std::string evidence =
        fmt::format("READVAR answered with {} bytes to a {}-byte request", bytes, request.size());
    const std::string version = ntp_variable(text, "version");
    const std::string system = ntp_variable(text, "system");
    if (!version.empty())
      evidence += fmt::format("; version=\"{}\"", printable_evidence(version, 100));
    if (!system.empty()) evidence += fmt::format(" system=\"{}\"", printable_evidence(system, 100));
    out.push_back(make_finding(
        info_, ctx, Severity::kMedium,
        "NTP mode 6 queries answered (amplification, information leak)", std::move(evidence),
        "Add \"restrict default kod nomodify noquery limited\" (and the same for -6 default) "
        "to ntp.conf so only localhost may query",
        "mode6"));
  }

  CheckInfo info_{"ntp-amplification", Category::kUnauthenticated,
                  "NTP answering mode 6 (control) or mode 7 (monlist) queries", true};
};

}  // namespace

std::unique_ptr<Check> make_ntp_amplification_check() {
  return std::make_unique<NtpAmplificationCheck>();
}

}  // namespace portolan::audit
