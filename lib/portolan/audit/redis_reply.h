// Redis replies (RESP2, https://redis.io/docs/reference/protocol-spec/), as
// the redis-noauth check reads them.
//
// The check sends "INFO server" and reads one reply: a bulk string with the
// server's facts when no password is needed, an error ("-NOAUTH ...",
// "-DENIED ...") otherwise. Pure functions over bytes that came off the wire:
// lengths are bounds-checked, nesting is limited, malformed input is an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

struct RedisReply {
  enum class Type : uint8_t { kSimple, kError, kInteger, kBulk, kNull, kArray };
  Type type = Type::kNull;
  std::string text;  // simple string, error or bulk string
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray
};

// Parses the first reply in `bytes`; `consumed`, when given, is set to the
// bytes it used. Errors: "incomplete Redis reply" when more bytes may finish
// it, otherwise what is malformed.
Result<RedisReply> parse_redis_reply(std::string_view bytes, size_t* consumed = nullptr);

// Whether `bytes` holds a whole reply or can never become one.
bool redis_reply_complete(std::string_view bytes);

// The value of `key` in an INFO answer ("redis_version:7.0.15" lines).
std::optional<std::string> redis_info_field(std::string_view info, std::string_view key);

}  // namespace portolan::audit
