// HTTP/1.x responses (RFC 9112), as the HTTP-based audit checks read them.
//
// The checks send one request with "Connection: close" and read until the
// response is whole (Content-Length, the last chunk, or the peer closing), so
// the parser sees one response. Pure functions over bytes that came off the
// wire: malformed input is an error, never a crash; a body cut short is
// returned as far as it came.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

struct HttpResponse {
  std::string version;  // "HTTP/1.1"
  int status = 0;       // 100..599
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // in order; names as sent
  std::string body;                                          // de-chunked when chunked
  std::string status_line() const;                           // "HTTP/1.1 401 Unauthorized"

  // The first header of that name (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
  // Every header of that name, in order.
  std::vector<std::string> headers_named(std::string_view name) const;
};

// Whether `bytes` holds a whole response: headers and, as they announce it,
// the Content-Length body or the last chunk. A response without a length is
// whole only when the peer closes (read_until then stops by itself).
bool http_response_complete(std::string_view bytes);

// Parses a response. Errors: no status line, headers not ended, a bad status.
Result<HttpResponse> parse_http_response(std::string_view bytes);

// The authentication schemes a 401 offers, from every WWW-Authenticate
// header, lower-cased ("basic", "digest", "bearer").
std::vector<std::string> http_auth_schemes(const HttpResponse& response);

// Whether an HTML page has a password input (<input type="password">, any
// case, quoted or not).
bool html_has_password_input(std::string_view html);

// The value of a Host header (RFC 9110 section 7.2): `host` (a name, or an
// address; an IPv6 address is bracketed), with ":port" unless the port is
// the scheme's default (80, or 443 with `tls`).
std::string http_host_header(std::string_view host, uint16_t port, bool tls);

// A GET of `target` ("/version", or an absolute URL for a proxy) with Host
// `host`, a User-Agent naming the audit, and "Connection: close".
std::string build_http_get(std::string_view target, std::string_view host);

// ASCII case-insensitive search: whether `haystack` contains `needle`.
bool contains_nocase(std::string_view haystack, std::string_view needle);

}  // namespace portolan::audit
