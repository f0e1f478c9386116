// What a mail server says it can do before login, read for STARTTLS: SMTP's
// EHLO answer (RFC 5321, STARTTLS from RFC 3207), POP3's CAPA (RFC 2449, STLS
// from RFC 2595) and IMAP's CAPABILITY (RFC 9051, STARTTLS).
//
// Pure functions over bytes that came off the wire; malformed input is an
// error, never a crash. Capabilities are upper-cased keywords ("STARTTLS",
// "SIZE 52428800" becomes "SIZE 52428800").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

struct MailCapabilities {
  std::vector<std::string> capabilities;
  bool starttls = false;  // STARTTLS (SMTP, IMAP) or STLS (POP3) offered
};

// An EHLO answer: "250-name Hello\r\n250-SIZE ...\r\n250 HELP\r\n". An error
// for anything but a whole 250 reply.
Result<MailCapabilities> parse_smtp_ehlo(std::string_view reply);

// A CAPA answer: "+OK\r\nTOP\r\n...\r\n.\r\n". An error for "-ERR" or a
// list that does not end.
Result<MailCapabilities> parse_pop3_capa(std::string_view reply);
bool pop3_capa_complete(std::string_view bytes);

// The untagged "* CAPABILITY ..." lines (and "[CAPABILITY ...]" response codes,
// as in a greeting) in `reply`. An error when there is none.
Result<MailCapabilities> parse_imap_capability(std::string_view reply);
// Whether the answer to the command tagged `tag` has ended.
bool imap_tagged_complete(std::string_view bytes, std::string_view tag);

}  // namespace portolan::audit
