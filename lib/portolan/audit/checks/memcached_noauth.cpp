// memcached-noauth: memcached answering its text protocol without
// authentication.
//
// Severity high: every cached item can be read and overwritten (sessions,
// tokens), and a memcached that also listens on UDP is a 50000x DDoS
// amplifier. Not critical: it is a cache, not the system of record, and gives
// no command execution. The check sends "version" and "stats" (both
// read-only) then "quit". STAT lines are the finding. A memcached with
// authentication answers errors instead ("CLIENT_ERROR unauthenticated" with
// -Y auth files; a SASL-only one accepts no text commands): nothing.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

// STAT lines of a "stats" answer: how many, and the value of "STAT version".
struct Stats {
  size_t lines = 0;
  std::string version;
};

Stats parse_stats(std::string_view text) {
  Stats st;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.rfind("STAT ", 0) != 0) continue;
    ++st.lines;
    if (line.rfind("STAT version ", 0) == 0) st.version = std::string(line.substr(13));
  }
  return st;
}

bool stats_complete(std::string_view b) {
  return b.find("END\r\n") != std::string_view::npos || b.find("ERROR") != std::string_view::npos;
}

class MemcachedNoauthCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return service_or_port(ctx, {"memcached"}, {11211});
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto stream = ctx.net->connect(ctx.port.port);
    if (!stream) return;
    auto& s = **stream;
    if (!s.send("version\r\n")) return;
    const auto version = s.read_line();
    if (!version || version->rfind("VERSION ", 0) != 0) return;
    const auto stats = exchange(s, "stats\r\n", stats_complete);
    (void)s.send("quit\r\n");
    if (!stats) return;
    const Stats st = parse_stats(*stats);
    if (st.lines == 0) return;
    std::string line = *version;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    out.push_back(
        make_finding(info_, ctx, Severity::kHigh, "memcached without authentication",
                     fmt::format("version -> {}; stats -> {} STAT lines",
                                 printable_evidence(line, 60), st.lines),
                     "Listen only where clients are (-l 127.0.0.1), turn UDP off (-U 0), and "
                     "require authentication "
                     "(-S with SASL, or -Y with an auth file) when it must be reachable."));
  }

 private:
  CheckInfo info_{"memcached-noauth", Category::kUnauthenticated,
                  "memcached answering without SASL", true};
};

}  // namespace

std::unique_ptr<Check> make_memcached_noauth_check() {
  return std::make_unique<MemcachedNoauthCheck>();
}

}  // namespace portolan::audit
