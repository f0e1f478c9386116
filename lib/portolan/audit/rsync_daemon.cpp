// The rsync daemon handshake parsers; see rsync_daemon.h.
#include "portolan/audit/rsync_daemon.h"

#include <fmt/format.h>

namespace portolan::audit {

namespace {

constexpr std::string_view kPrefix = "@RSYNCD: ";

// Splits off the first line of `rest` (without "\r\n" or "\n"); false when
// no complete line is left.
bool next_line(std::string_view& rest, std::string_view& line) {
  const size_t nl = rest.find('\n');
  if (nl == std::string_view::npos) return false;
  line = rest.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  rest.remove_prefix(nl + 1);
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Drops a leading greeting line, if there is one.
std::string_view after_greeting(std::string_view bytes) {
  std::string_view rest = bytes;
  std::string_view line;
  if (next_line(rest, line) && starts_with(line, kPrefix) && !starts_with(line, "@RSYNCD: OK") &&
      !starts_with(line, "@RSYNCD: AUTHREQD") && !starts_with(line, "@RSYNCD: EXIT")) {
    return rest;
  }
  return bytes;
}

}  // namespace

Result<RsyncGreeting> parse_rsync_greeting(std::string_view bytes) {
  std::string_view rest = bytes;
  std::string_view line;
  if (!next_line(rest, line)) return fail("rsync greeting: no complete line");
  if (!starts_with(line, kPrefix)) return fail("rsync greeting: does not start with '@RSYNCD: '");
  std::string_view version = line.substr(kPrefix.size());
  version = version.substr(0, version.find(' '));
  if (version.empty() || version.size() > 16) return fail("rsync greeting: no protocol version");
  for (char c : version) {
    if ((c < '0' || c > '9') && c != '.')
      return fail("rsync greeting: protocol version is not a number");
  }
  return RsyncGreeting{std::string(version), std::string(line)};
}

Result<std::vector<RsyncModule>> parse_rsync_module_list(std::string_view bytes,
                                                         size_t max_modules) {
  std::string_view rest = after_greeting(bytes);
  std::vector<RsyncModule> modules;
  std::string_view line;
  while (next_line(rest, line)) {
    if (line == "@RSYNCD: EXIT") return modules;
    if (starts_with(line, "@ERROR"))
      return fail(fmt::format("rsync module list: server error: {}", line.substr(0, 200)));
    if (starts_with(line, "@")) continue;  // another tag: not a module
    // rsync prints each module as "%-15s\t%s": a line without a tab is the
    // message of the day.
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    RsyncModule m;
    m.name = std::string(trim(line.substr(0, tab)));
    m.comment = std::string(trim(line.substr(tab + 1)));
    if (m.name.empty()) continue;
    if (modules.size() >= max_modules) return fail("rsync module list: too many modules");
    modules.push_back(std::move(m));
  }
  return fail("rsync module list: cut short before '@RSYNCD: EXIT'");
}

Result<RsyncModuleAccess> parse_rsync_module_answer(std::string_view bytes) {
  std::string_view rest = after_greeting(bytes);
  std::string_view line;
  while (next_line(rest, line)) {
    if (line == "@RSYNCD: OK") return RsyncModuleAccess::kOpen;
    if (starts_with(line, "@RSYNCD: AUTHREQD")) return RsyncModuleAccess::kAuthRequired;
    if (starts_with(line, "@ERROR"))
      return fail(fmt::format("rsync module: server error: {}", line.substr(0, 200)));
    if (starts_with(line, "@RSYNCD: EXIT")) return fail("rsync module: server closed the session");
    // Anything else is a message of the day printed before the answer.
  }
  return fail("rsync module: no answer line");
}

bool rsync_module_name_sendable(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '#' || name.front() == '@') return false;
  for (char c : name) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace portolan::audit
