// FTP/SMTP reply parsing; see ftp_reply.h.
#include "portolan/audit/ftp_reply.h"

#include <cctype>

namespace portolan::audit {
namespace {

constexpr size_t kMaxLines = 1000;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The code of `line` if it starts with three digits and then ' ', '-' or
// ends; -1 otherwise.
int line_code(std::string_view line) {
  if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) return -1;
  if (line.size() > 3 && line[3] != ' ' && line[3] != '-') return -1;
  return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

Result<FtpReply> parse_ftp_reply(std::string_view bytes, size_t* consumed) {
  FtpReply reply;
  size_t pos = 0;
  while (true) {
    const size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) return fail("incomplete FTP reply");
    const std::string_view line = strip_cr(bytes.substr(pos, nl - pos));
    pos = nl + 1;
    if (reply.lines.size() >= kMaxLines) return fail("FTP reply has too many lines");
    reply.lines.emplace_back(line);
    const int code = line_code(line);
    if (reply.lines.size() == 1) {
      if (code < 100 || code > 599) return fail("FTP reply does not start with a code");
      reply.code = code;
      if (line.size() <= 3 || line[3] == ' ') break;
      continue;
    }
    // The last line of a multi-line reply repeats the code with a space.
    if (code == reply.code && (line.size() == 3 || line[3] == ' ')) break;
  }
  if (consumed) *consumed = pos;
  return reply;
}

bool ftp_reply_complete(std::string_view bytes) {
  if (parse_ftp_reply(bytes)) return true;
  // A first line without a code never becomes a reply: stop reading too.
  const size_t nl = bytes.find('\n');
  if (nl == std::string_view::npos) return false;
  const int code = line_code(strip_cr(bytes.substr(0, nl)));
  return code < 100 || code > 599;
}

std::vector<std::string> ftp_features(const FtpReply& feat) {
  std::vector<std::string> out;
  if (feat.lines.size() < 2) return out;
  for (size_t i = 1; i + 1 < feat.lines.size(); ++i) {
    std::string_view l = feat.lines[i];
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    while (!l.empty() && (l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
    if (l.empty()) continue;
    std::string up(l);
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(std::move(up));
  }
  return out;
}

bool ftp_offers_tls(const std::vector<std::string>& features) {
  for (const auto& f : features) {
    if (f.rfind("AUTH", 0) != 0 || (f.size() > 4 && f[4] != ' ')) continue;
    // "AUTH TLS", "AUTH SSL", or a list such as "AUTH TLS;TLS-C;SSL".
    if (f.find("TLS") != std::string::npos || f.find("SSL") != std::string::npos) return true;
  }
  return false;
}

}  // namespace portolan::audit
