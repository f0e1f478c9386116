// The nftables guard; see kernel_guard_linux.h.
#include "portolan/link/kernel_guard_linux.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace portolan {

namespace {

constexpr std::string_view kTablePrefix = "portolan_";

std::atomic<unsigned> guards_created{0};

// The first line of libnftables' error text without its "netlink: " and
// "Error: " prefixes: the rest repeats the command and underlines the
// failing part.
std::string first_error_line(nft_ctx* ctx) {
  const char* text = nft_ctx_get_error_buffer(ctx);
  std::string_view view = text != nullptr ? text : "";
  view = view.substr(0, view.find('\n'));
  for (std::string_view prefix : {"netlink: ", "Error: "}) {
    if (view.starts_with(prefix)) view.remove_prefix(prefix.size());
  }
  return view.empty() ? std::string("unknown error") : std::string(view);
}

// Runs `commands`; output and errors of earlier commands are dropped first
// (reading a libnftables buffer rewinds it), so the buffers hold this run's.
bool run(nft_ctx* ctx, const std::string& commands) {
  (void)nft_ctx_get_output_buffer(ctx);
  (void)nft_ctx_get_error_buffer(ctx);
  return nft_run_cmd_from_buffer(ctx, commands.c_str()) == 0;
}

// A fresh context that collects output and errors instead of printing them.
nft_ctx* new_context() {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (ctx == nullptr) return nullptr;
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  return ctx;
}

std::string rules_for(const GuardSpec& spec, const std::string& table, bool owner) {
  const bool v4 = spec.local.is_v4();
  const bool any = spec.local == (v4 ? IpAddress() : IpAddress::v6({}));
  const std::string match_dst =
      any ? fmt::format("meta nfproto {}", v4 ? "ipv4" : "ipv6")
          : fmt::format("{} daddr {}", v4 ? "ip" : "ip6", spec.local.to_string());
  const std::string ports = spec.port_first == spec.port_last
                                ? fmt::format("{}", spec.port_first)
                                : fmt::format("{}-{}", spec.port_first, spec.port_last);
  std::string cmds = fmt::format("add table inet {}{}\n", table, owner ? " { flags owner; }" : "");
  cmds += fmt::format(
      "add chain inet {} prerouting {{ type filter hook prerouting priority raw; policy accept; "
      "}}\n",
      table);
  if (spec.tcp) {
    cmds += fmt::format(
        "add rule inet {} prerouting {} tcp dport {} tcp flags & (syn | ack) == syn | ack drop\n",
        table, match_dst, ports);
  }
  if (spec.udp) {
    cmds +=
        fmt::format("add rule inet {} prerouting {} udp dport {} drop\n", table, match_dst, ports);
  }
  return cmds;
}

// The pid in a table name "portolan_<pid>" or "portolan_<pid>_<n>", or 0.
pid_t pid_of_table(std::string_view name) {
  if (!name.starts_with(kTablePrefix)) return 0;
  name.remove_prefix(kTablePrefix.size());
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (ec != std::errc() || pid <= 0) return 0;
  const std::string_view rest(end, static_cast<size_t>(name.data() + name.size() - end));
  if (!rest.empty()) {
    unsigned n = 0;
    if (rest[0] != '_') return 0;
    const auto [end2, ec2] = std::from_chars(rest.data() + 1, rest.data() + rest.size(), n);
    if (ec2 != std::errc() || end2 != rest.data() + rest.size()) return 0;
  }
  return pid;
}

}  // namespace

Result<std::unique_ptr<KernelGuard>> KernelGuard::create(const GuardSpec& spec) {
  if (spec.port_first == 0 || spec.port_first > spec.port_last) {
    return fail(fmt::format("invalid guarded port range {}-{}", spec.port_first, spec.port_last));
  }
  if (!spec.tcp && !spec.udp) return fail("the nftables guard needs TCP or UDP to guard");

  nft_ctx* ctx = new_context();
  if (ctx == nullptr) {
    return fail(ErrorKind::kResource, "cannot install the nftables guard: libnftables failed");
  }
  const unsigned n = guards_created.fetch_add(1);
  const std::string table = n == 0 ? fmt::format("{}{}", kTablePrefix, ::getpid())
                                   : fmt::format("{}{}_{}", kTablePrefix, ::getpid(), n);
  // A table of this name can only be left over from an earlier process that
  // had our pid; rules must not pile up on it.
  (void)run(ctx, fmt::format("delete table inet {}\n", table));
  // With the owner flag first; kernels before 5.12 reject it, then without.
  bool installed = false;
  for (bool owner : {true, false}) {
    if (run(ctx, rules_for(spec, table, owner))) {
      installed = true;
      break;
    }
  }
  if (!installed) {
    std::string why = first_error_line(ctx);
    nft_ctx_free(ctx);
    const bool permission = why.find("Operation not permitted") != std::string::npos;
    return fail(permission ? ErrorKind::kPermission : ErrorKind::kIo,
                fmt::format("cannot install the nftables guard: {}{}", why,
                            permission ? " (it needs root or CAP_NET_ADMIN)" : ""));
  }
  return std::unique_ptr<KernelGuard>(new KernelGuard(ctx, table));
}

KernelGuard::~KernelGuard() {
  (void)run(ctx_, fmt::format("delete table inet {}\n", table_));
  nft_ctx_free(ctx_);
}

void KernelGuard::remove_stale() {
  nft_ctx* ctx = new_context();
  if (ctx == nullptr) return;
  if (!run(ctx, "list tables inet")) {
    nft_ctx_free(ctx);
    return;
  }
  // Lines look like "table inet portolan_1234".
  std::vector<std::string> stale;
  std::string_view out = nft_ctx_get_output_buffer(ctx);
  while (!out.empty()) {
    std::string_view line = out.substr(0, out.find('\n'));
    out.remove_prefix(std::min(out.size(), line.size() + 1));
    constexpr std::string_view kLead = "table inet ";
    if (!line.starts_with(kLead)) continue;
    line.remove_prefix(kLead.size());
    const pid_t pid = pid_of_table(line);
    if (pid == 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) != 0 && errno == ESRCH) stale.emplace_back(line);
  }
  for (const auto& table : stale) {
    (void)run(ctx, fmt::format("delete table inet {}\n", table));
  }
  nft_ctx_free(ctx);
}

}  // namespace portolan
