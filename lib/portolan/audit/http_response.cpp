// HTTP/1.x response parsing; see http_response.h.
#include "portolan/audit/http_response.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace portolan::audit {
namespace {

constexpr size_t kMaxHeaders = 200;

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool equals_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Where the header block ends (the index after the blank line), or npos.
size_t header_end(std::string_view bytes) {
  const size_t crlf = bytes.find("\r\n\r\n");
  const size_t lf = bytes.find("\n\n");
  if (crlf == std::string_view::npos && lf == std::string_view::npos) return std::string_view::npos;
  if (lf == std::string_view::npos || (crlf != std::string_view::npos && crlf < lf))
    return crlf + 4;
  return lf + 2;
}

std::optional<size_t> parse_size(std::string_view text, int base) {
  text = trim(text);
  size_t v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (r.ec != std::errc() || r.ptr == text.data()) return std::nullopt;
  return v;
}

// De-chunks `body` (RFC 9112 section 7.1) as far as it is whole; `complete`
// says whether the last chunk came.
std::string dechunk(std::string_view body, bool& complete) {
  std::string out;
  complete = false;
  size_t pos = 0;
  while (pos < body.size()) {
    const size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) return out;
    std::string_view size_line = body.substr(pos, nl - pos);
    if (const size_t semi = size_line.find(';'); semi != std::string_view::npos) {
      size_line = size_line.substr(0, semi);
    }
    const auto size = parse_size(size_line, 16);
    if (!size) return out;
    pos = nl + 1;
    if (*size == 0) {
      complete = true;
      return out;
    }
    const size_t take = std::min(*size, body.size() - pos);
    out.append(body.substr(pos, take));
    if (take < *size) return out;
    pos += take;
    if (pos < body.size() && body[pos] == '\r') ++pos;
    if (pos < body.size() && body[pos] == '\n') ++pos;
  }
  return out;
}

}  // namespace

std::string http_host_header(std::string_view host, uint16_t port, bool tls) {
  const bool v6 = host.find(':') != std::string_view::npos;
  std::string out = v6 ? fmt::format("[{}]", host) : std::string(host);
  if (port != (tls ? 443 : 80)) out += fmt::format(":{}", port);
  return out;
}

std::string build_http_get(std::string_view target, std::string_view host) {
  return fmt::format(
      "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: portolan-audit\r\nAccept: */*\r\nConnection: "
      "close\r\n\r\n",
      target, host);
}

bool contains_nocase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (equals_nocase(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

std::string HttpResponse::status_line() const {
  return fmt::format("{} {} {}", version, status, reason);
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (equals_nocase(k, name)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> HttpResponse::headers_named(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers) {
    if (equals_nocase(k, name)) out.push_back(v);
  }
  return out;
}

Result<HttpResponse> parse_http_response(std::string_view bytes) {
  if (bytes.substr(0, 5) != "HTTP/") return fail("not an HTTP response");
  const size_t end = header_end(bytes);
  if (end == std::string_view::npos) return fail("HTTP headers do not end");
  const std::string_view head = bytes.substr(0, end);

  HttpResponse r;
  size_t pos = head.find('\n');
  const std::string_view status_line = trim(head.substr(0, pos));
  const size_t sp1 = status_line.find(' ');
  if (sp1 == std::string_view::npos) return fail("HTTP status line has no status");
  r.version = std::string(status_line.substr(0, sp1));
  const std::string_view rest = status_line.substr(sp1 + 1);
  const std::string_view code = rest.substr(0, rest.find(' '));
  const auto status = parse_size(code, 10);
  if (code.size() != 3 || !status || *status < 100 || *status > 599)
    return fail("HTTP status is not a number");
  r.status = static_cast<int>(*status);
  if (rest.size() > 4) r.reason = std::string(trim(rest.substr(4)));

  pos += 1;
  while (pos < head.size()) {
    const size_t nl = head.find('\n', pos);
    const std::string_view line =
        trim(head.substr(pos, nl == std::string_view::npos ? head.npos : nl - pos));
    pos = nl == std::string_view::npos ? head.size() : nl + 1;
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // not a header: skipped
    if (r.headers.size() >= kMaxHeaders) return fail("too many HTTP headers");
    r.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                           std::string(trim(line.substr(colon + 1))));
  }

  const std::string_view body = bytes.substr(end);
  const auto te = r.header("Transfer-Encoding");
  if (te && contains_nocase(*te, "chunked")) {
    bool complete = false;
    r.body = dechunk(body, complete);
  } else if (const auto cl = r.header("Content-Length"); cl && parse_size(*cl, 10)) {
    r.body = std::string(body.substr(0, std::min(*parse_size(*cl, 10), body.size())));
  } else {
    r.body = std::string(body);
  }
  return r;
}

bool http_response_complete(std::string_view bytes) {
  const size_t end = header_end(bytes);
  if (end == std::string_view::npos) return false;
  const auto r = parse_http_response(bytes);
  if (!r) return true;  // headers ended but are not HTTP: more bytes will not help
  if (r->status < 200 || r->status == 204 || r->status == 304) return true;
  const std::string_view body = bytes.substr(end);
  const auto te = r->header("Transfer-Encoding");
  if (te && contains_nocase(*te, "chunked")) {
    bool complete = false;
    (void)dechunk(body, complete);
    return complete;
  }
  if (const auto cl = r->header("Content-Length")) {
    if (const auto n = parse_size(*cl, 10)) return body.size() >= *n;
  }
  return false;
}

std::vector<std::string> http_auth_schemes(const HttpResponse& response) {
  std::vector<std::string> out;
  for (const auto& value : response.headers_named("WWW-Authenticate")) {
    // A header may hold several challenges: a scheme is a token not
    // followed by '=' at the start or after a comma.
    size_t pos = 0;
    while (pos < value.size()) {
      while (pos < value.size() && (value[pos] == ' ' || value[pos] == ',')) ++pos;
      size_t end = pos;
      while (end < value.size() && value[end] != ' ' && value[end] != ',' && value[end] != '=')
        ++end;
      const bool is_param = end < value.size() && value[end] == '=';
      if (end > pos && !is_param) {
        std::string scheme = value.substr(pos, end - pos);
        for (char& c : scheme) c = lower(c);
        out.push_back(std::move(scheme));
      }
      // Skip to the next comma outside quotes.
      bool quoted = false;
      pos = end;
      while (pos < value.size() && (quoted || value[pos] != ',')) {
        if (value[pos] == '"') quoted = !quoted;
        if (value[pos] == '\\' && quoted) ++pos;
        ++pos;
      }
    }
  }
  return out;
}

bool html_has_password_input(std::string_view html) {
  size_t pos = 0;
  while (pos < html.size()) {
    // Find "<input" case-insensitively.
    size_t start = std::string_view::npos;
    for (size_t i = pos; i + 6 <= html.size(); ++i) {
      if (html[i] == '<' && equals_nocase(html.substr(i + 1, 5), "input")) {
        start = i;
        break;
      }
    }
    if (start == std::string_view::npos) return false;
    const size_t close = html.find('>', start);
    const std::string_view tag =
        html.substr(start, close == std::string_view::npos ? html.npos : close - start);
    // type=password, type="password" or type='password', any case, any spacing.
    for (size_t i = 0; i + 4 <= tag.size(); ++i) {
      if (!equals_nocase(tag.substr(i, 4), "type")) continue;
      if (i > 0 && !std::isspace(static_cast<unsigned char>(tag[i - 1]))) continue;
      size_t j = i + 4;
      while (j < tag.size() && std::isspace(static_cast<unsigned char>(tag[j]))) ++j;
      if (j >= tag.size() || tag[j] != '=') continue;
      ++j;
      while (j < tag.size() && std::isspace(static_cast<unsigned char>(tag[j]))) ++j;
      if (j < tag.size() && (tag[j] == '"' || tag[j] == '\'')) ++j;
      if (equals_nocase(tag.substr(j, 8), "password")) return true;
    }
    if (close == std::string_view::npos) return false;
    pos = close + 1;
  }
  return false;
}

}  // namespace portolan::audit
