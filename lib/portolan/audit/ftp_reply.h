// FTP replies (RFC 959 section 4.2), as the ftp-* audit checks read them.
//
// A reply is a three-digit code and text, on one line ("230 Login
// successful.") or on several: the first line "211-", the last line the same
// code and a space. SMTP (RFC 5321 section 4.2) uses the same shape, so the
// mail check reads EHLO answers with this parser too. Pure functions over
// bytes that came off the wire: malformed input is an error, never a crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

struct FtpReply {
  int code = 0;                    // 100..599
  std::vector<std::string> lines;  // every line of the reply, without CRLF, code included
  std::string first_line() const { return lines.empty() ? std::string() : lines.front(); }
  std::string last_line() const { return lines.empty() ? std::string() : lines.back(); }
};

// Whether `bytes` holds at least one whole reply (for TcpStream::read_until).
bool ftp_reply_complete(std::string_view bytes);

// Parses the first reply in `bytes`. `consumed`, when given, is set to the
// bytes it used. An error for an incomplete reply ("incomplete FTP reply") or
// one that does not start with a three-digit code.
Result<FtpReply> parse_ftp_reply(std::string_view bytes, size_t* consumed = nullptr);

// The features of a FEAT reply (RFC 2389): one per line after the first,
// without the leading space, upper-cased ("AUTH TLS", "EPSV").
std::vector<std::string> ftp_features(const FtpReply& feat);

// Whether FEAT (RFC 4217 section 6) offers TLS: an "AUTH" feature naming TLS,
// TLS-C, TLS-P or SSL.
bool ftp_offers_tls(const std::vector<std::string>& features);

}  // namespace portolan::audit
