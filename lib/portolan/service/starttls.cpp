#include "portolan/service/starttls.h"

#include <array>

namespace portolan {

const StartTlsScript* starttls_script(std::string_view service) {
  static const std::array<StartTlsScript, 3> kScripts = {{
      {"smtp", {{"220 ", "EHLO portolan.invalid\r\n"}, {"250 ", "STARTTLS\r\n"}, {"220", ""}}},
      {"pop3", {{"+OK", "STLS\r\n"}, {"+OK", ""}}},
      {"imap", {{"* OK", "a1 STARTTLS\r\n"}, {"a1 OK", ""}}},
  }};
  for (const auto& s : kScripts) {
    if (s.service == service) return &s;
  }
  return nullptr;
}

StartTlsReply starttls_reply(std::string_view reply, std::string_view expect) {
  size_t start = 0;
  while (start < reply.size()) {
    const size_t nl = reply.find('\n', start);
    if (nl == std::string_view::npos) return StartTlsReply::kIncomplete;
    const std::string_view line = reply.substr(start, nl - start);
    start = nl + 1;
    // SMTP multi-line replies: "250-PIPELINING" continues, "250 HELP" ends.
    if (line.size() >= 4 && line[3] == '-' && line[0] >= '0' && line[0] <= '9') continue;
    // IMAP untagged data before the tagged answer ("* CAPABILITY ...").
    if (expect.rfind("a1 ", 0) == 0 && line.rfind("* ", 0) == 0) continue;
    return line.rfind(expect, 0) == 0 ? StartTlsReply::kYes : StartTlsReply::kNo;
  }
  return StartTlsReply::kIncomplete;
}

}  // namespace portolan
