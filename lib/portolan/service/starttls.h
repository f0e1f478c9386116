// STARTTLS: the short plain-text exchanges that turn an SMTP (RFC 3207),
// POP3 (RFC 2595, STLS) or IMAP (RFC 3501) session into TLS, so that -sV can
// read the certificate of a mail server that offers TLS only after a command.
//
// A script is a list of steps: wait for a reply that is complete and says yes
// (a line beginning with `ok`, after any continuation lines), then send the next
// command. After the last step the TLS handshake starts. A reply that says no
// ends the attempt: the server does not offer STARTTLS.
#pragma once

#include <string_view>
#include <vector>

namespace portolan {

struct StartTlsStep {
  std::string_view expect;  // the reply's final line starts with this
  std::string_view send;    // then this is sent; empty on the last step
};

struct StartTlsScript {
  std::string_view service;  // "smtp", "pop3", "imap"
  std::vector<StartTlsStep> steps;
};

// The script for a service name, or null when it has none.
const StartTlsScript* starttls_script(std::string_view service);

enum class StartTlsReply { kIncomplete, kYes, kNo };

// Whether `reply` (everything read since the last command) is complete, and
// whether its final line starts with `expect`. SMTP continuation lines
// ("250-...") are skipped; a reply is complete at a line ending in CRLF or LF.
StartTlsReply starttls_reply(std::string_view reply, std::string_view expect);

}  // namespace portolan
