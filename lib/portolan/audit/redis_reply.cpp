// RESP2 reply parsing; see redis_reply.h.
#include "portolan/audit/redis_reply.h"

#include <charconv>

namespace portolan::audit {
namespace {

constexpr int kMaxDepth = 8;
constexpr int64_t kMaxElements = 10000;
constexpr int64_t kMaxBulk = 16 * 1024 * 1024;
constexpr std::string_view kIncomplete = "incomplete Redis reply";

Result<RedisReply> parse_at(std::string_view bytes, size_t& pos, int depth) {
  if (depth > kMaxDepth) return fail("Redis reply nested too deep");
  if (pos >= bytes.size()) return fail(std::string(kIncomplete));
  const size_t eol = bytes.find("\r\n", pos);
  if (eol == std::string_view::npos) return fail(std::string(kIncomplete));
  const char kind = bytes[pos];
  const std::string_view line = bytes.substr(pos + 1, eol - pos - 1);
  pos = eol + 2;
  RedisReply r;
  switch (kind) {
    case '+':
      r.type = RedisReply::Type::kSimple;
      r.text = std::string(line);
      return r;
    case '-':
      r.type = RedisReply::Type::kError;
      r.text = std::string(line);
      return r;
    case ':':
    case '$':
    case '*':
      break;
    default:
      return fail("not a Redis reply");
  }
  int64_t n = 0;
  const auto conv = std::from_chars(line.data(), line.data() + line.size(), n);
  if (conv.ec != std::errc() || conv.ptr != line.data() + line.size())
    return fail("bad number in Redis reply");
  if (kind == ':') {
    r.type = RedisReply::Type::kInteger;
    r.integer = n;
    return r;
  }
  if (n < 0) {
    r.type = RedisReply::Type::kNull;
    return r;
  }
  if (kind == '$') {
    if (n > kMaxBulk) return fail("Redis bulk string too long");
    const auto len = static_cast<size_t>(n);
    if (bytes.size() - pos < len + 2) return fail(std::string(kIncomplete));
    if (bytes.substr(pos + len, 2) != "\r\n") return fail("Redis bulk string not terminated");
    r.type = RedisReply::Type::kBulk;
    r.text = std::string(bytes.substr(pos, len));
    pos += len + 2;
    return r;
  }
  if (n > kMaxElements) return fail("Redis array too long");
  r.type = RedisReply::Type::kArray;
  for (int64_t i = 0; i < n; ++i) {
    auto e = parse_at(bytes, pos, depth + 1);
    if (!e) return e;
    r.elements.push_back(std::move(*e));
  }
  return r;
}

}  // namespace

Result<RedisReply> parse_redis_reply(std::string_view bytes, size_t* consumed) {
  size_t pos = 0;
  auto r = parse_at(bytes, pos, 0);
  if (r && consumed) *consumed = pos;
  return r;
}

bool redis_reply_complete(std::string_view bytes) {
  const auto r = parse_redis_reply(bytes);
  return r || r.error().message() != kIncomplete;
}

std::optional<std::string> redis_info_field(std::string_view info, std::string_view key) {
  size_t pos = 0;
  while (pos < info.size()) {
    size_t nl = info.find('\n', pos);
    if (nl == std::string_view::npos) nl = info.size();
    std::string_view line = info.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':') {
      return std::string(line.substr(key.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace portolan::audit
