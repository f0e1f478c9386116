// rsync-modules: rsync daemon modules anyone can read without a password.
//
// The check lists the modules (an empty line after the version exchange),
// then asks for each listed module, at most 8, on a new connection, and
// closes as soon as the daemon answers: "@RSYNCD: OK" means the module is
// served without credentials, "@RSYNCD: AUTHREQD" that it asks for a
// password. No file is ever requested and no password is sent.
//
// Severity: high, one finding per open module (id "rsync-modules:<module>"),
// because whatever the module holds can be copied by anyone (anonymous data
// access); modules that ask for a password, and the listing itself, are not
// findings.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/rsync_daemon.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

constexpr size_t kMaxModulesTried = 8;

bool ends_listing(std::string_view s) {
  return s.find("@RSYNCD: EXIT") != std::string_view::npos ||
         s.find("@ERROR") != std::string_view::npos;
}

bool ends_answer(std::string_view s) {
  // The greeting line, then one answer line.
  const size_t first = s.find('\n');
  return first != std::string_view::npos && s.find('\n', first + 1) != std::string_view::npos &&
         (s.find("@RSYNCD: OK") != std::string_view::npos ||
          s.find("AUTHREQD") != std::string_view::npos ||
          s.find("@ERROR") != std::string_view::npos ||
          s.find("@RSYNCD: EXIT") != std::string_view::npos);
}

// One connection: the greeting, our version, then `request` ("\n" or a
// module name and "\n"); what the daemon sent, greeting included.
Result<std::string> converse(AuditNet& net, uint16_t port, std::string_view request,
                             bool (*done)(std::string_view)) {
  auto stream = net.connect(port);
  if (!stream) return Unexpected(stream.error());
  auto greeting = (*stream)->read_line();
  if (!greeting) return Unexpected(greeting.error());
  if (auto g = parse_rsync_greeting(*greeting); !g) return Unexpected(g.error());
  const std::string all = *greeting;
  auto rest = exchange(**stream, std::string(kRsyncClientGreeting) + std::string(request),
                       [&](std::string_view s) { return done((all + std::string(s))); });
  if (!rest) return Unexpected(rest.error());
  return all + *rest;
}

class RsyncModulesCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext& ctx) const override {
    return service_or_port(ctx, {"rsync"}, {873});
  }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto listing = converse(*ctx.net, ctx.port.port, "\n", ends_listing);
    if (!listing) return;
    auto modules = parse_rsync_module_list(*listing);
    if (!modules) return;
    size_t tried = 0;
    for (const auto& m : *modules) {
      if (tried == kMaxModulesTried) break;
      if (!rsync_module_name_sendable(m.name)) continue;
      ++tried;
      auto answer = converse(*ctx.net, ctx.port.port, m.name + "\n", ends_answer);
      if (!answer) continue;
      auto access = parse_rsync_module_answer(*answer);
      if (!access || *access != RsyncModuleAccess::kOpen) continue;
      std::string evidence = fmt::format("module '{}'", printable_evidence(m.name, 80));
      if (!m.comment.empty()) evidence += fmt::format(" ({})", printable_evidence(m.comment, 80));
      evidence += " answered \"@RSYNCD: OK\" to a request without credentials";
      out.push_back(make_finding(
          info_, ctx, Severity::kHigh,
          fmt::format("rsync module '{}' readable without a password",
                      printable_evidence(m.name, 80)),
          std::move(evidence),
          fmt::format(
              "In rsyncd.conf, give [{}] \"auth users\" and a \"secrets file\", or limit it with "
              "\"hosts allow\"; set \"list = no\" on modules that need not be listed",
              printable_evidence(m.name, 80)),
          m.name));
    }
  }

 private:
  CheckInfo info_{"rsync-modules", Category::kUnauthenticated,
                  "rsync modules readable without a password", true};
};

}  // namespace

std::unique_ptr<Check> make_rsync_modules_check() {
  return std::make_unique<RsyncModulesCheck>();
}

}  // namespace portolan::audit
