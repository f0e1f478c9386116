// SMTP/POP3/IMAP capability parsing; see mail_capabilities.h.
#include "portolan/audit/mail_capabilities.h"

#include <cctype>

#include "portolan/audit/ftp_reply.h"

namespace portolan::audit {
namespace {

constexpr size_t kMaxCapabilities = 500;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Calls `f` on each line of `bytes` (without CR LF); stops when it returns false.
template <typename F>
void for_each_line(std::string_view bytes, F f) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t nl = bytes.find('\n', pos);
    const bool last = nl == std::string_view::npos;
    if (last) nl = bytes.size();
    std::string_view line = bytes.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    if (!f(line, last)) return;
  }
}

// The first whitespace-separated word of a capability.
std::string_view keyword(std::string_view cap) {
  const size_t sp = cap.find(' ');
  return sp == std::string_view::npos ? cap : cap.substr(0, sp);
}

// Adds the space-separated atoms of `list` (IMAP).
void add_atoms(std::string_view list, MailCapabilities& out) {
  size_t pos = 0;
  while (pos < list.size() && out.capabilities.size() < kMaxCapabilities) {
    while (pos < list.size() && list[pos] == ' ') ++pos;
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    if (end > pos) {
      auto atom = upper(list.substr(pos, end - pos));
      if (atom == "STARTTLS") out.starttls = true;
      out.capabilities.push_back(std::move(atom));
    }
    pos = end;
  }
}

}  // namespace

Result<MailCapabilities> parse_smtp_ehlo(std::string_view reply) {
  auto r = parse_ftp_reply(reply);
  if (!r) return fail("EHLO answer is not an SMTP reply");
  if (r->code != 250) return fail("EHLO refused");
  MailCapabilities out;
  // The first line is the greeting ("250-name Hello ..."), the rest keywords.
  for (size_t i = 1; i < r->lines.size() && out.capabilities.size() < kMaxCapabilities; ++i) {
    const std::string_view line = r->lines[i];
    auto cap = upper(trim(line.size() > 4 ? line.substr(4) : std::string_view()));
    if (cap.empty()) continue;
    if (keyword(cap) == "STARTTLS") out.starttls = true;
    out.capabilities.push_back(std::move(cap));
  }
  return out;
}

bool pop3_capa_complete(std::string_view bytes) {
  if (bytes.substr(0, 1) == "-") return bytes.find('\n') != std::string_view::npos;
  if (bytes.substr(0, 1) != "+") return !bytes.empty();  // not POP3: stop
  return bytes.find("\n.\r\n") != std::string_view::npos ||
         bytes.find("\n.\n") != std::string_view::npos;
}

Result<MailCapabilities> parse_pop3_capa(std::string_view reply) {
  if (reply.substr(0, 3) != "+OK") return fail("CAPA refused");
  MailCapabilities out;
  bool first = true;
  bool ended = false;
  for_each_line(reply, [&](std::string_view line, bool) {
    if (first) {
      first = false;
      return true;
    }
    if (line == ".") {
      ended = true;
      return false;
    }
    if (out.capabilities.size() < kMaxCapabilities) {
      auto cap = upper(trim(line));
      if (keyword(cap) == "STLS") out.starttls = true;
      if (!cap.empty()) out.capabilities.push_back(std::move(cap));
    }
    return true;
  });
  if (!ended) return fail("CAPA list does not end");
  return out;
}

bool imap_tagged_complete(std::string_view bytes, std::string_view tag) {
  bool done = false;
  for_each_line(bytes, [&](std::string_view line, bool last) {
    if (last) return false;  // a line without its LF may still grow
    if (line.size() > tag.size() && line.substr(0, tag.size()) == tag && line[tag.size()] == ' ') {
      done = true;
      return false;
    }
    if (line.substr(0, 5) == "* BYE") {
      done = true;
      return false;
    }
    return true;
  });
  return done;
}

Result<MailCapabilities> parse_imap_capability(std::string_view reply) {
  MailCapabilities out;
  bool found = false;
  for_each_line(reply, [&](std::string_view line, bool) {
    const std::string up = upper(line.substr(0, 13));
    if (up == "* CAPABILITY ") {
      found = true;
      add_atoms(line.substr(13), out);
      return true;
    }
    // A response code, as in the greeting: "* OK [CAPABILITY IMAP4rev1 ...] ready".
    const std::string whole = upper(line);
    const size_t code = whole.find("[CAPABILITY ");
    if (code != std::string::npos) {
      const size_t close = line.find(']', code);
      const size_t start = code + 12;
      if (close != std::string_view::npos && close > start) {
        found = true;
        add_atoms(line.substr(start, close - start), out);
      }
    }
    return true;
  });
  if (!found) return fail("no IMAP CAPABILITY in the answer");
  return out;
}

}  // namespace portolan::audit
