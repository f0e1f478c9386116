// Shard parsing and the shard cursor; see shard.h.
#include "portolan/sweep/shard.h"

#include <cassert>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "portolan/registry/message_text.h"

namespace portolan {
namespace {

// A plain decimal number: digits only, so "+1", " 1" and "0x1" are refused
// rather than half-understood.
std::optional<uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;  // 19 digits always fit
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

std::string Shard::to_string() const {
  return fmt::format("{}/{}", index, count);
}

Result<Shard> parse_shard(std::string_view text) {
  const std::string quoted = printable(text);
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return fail(fmt::format("invalid --shard '{}': expected I/N, e.g. 1/4", quoted));
  }
  auto index = parse_decimal(text.substr(0, slash));
  auto count = parse_decimal(text.substr(slash + 1));
  if (!index || !count) {
    return fail(fmt::format("invalid --shard '{}': expected I/N, e.g. 1/4", quoted));
  }
  constexpr uint64_t kMax = std::numeric_limits<uint32_t>::max();
  if (*count == 0 || *count > kMax) {
    return fail(fmt::format("invalid --shard '{}': N must be between 1 and {}", quoted, kMax));
  }
  if (*index == 0 || *index > *count) {
    return fail(fmt::format("invalid --shard '{}': I must be between 1 and N", quoted));
  }
  return Shard{static_cast<uint32_t>(*index), static_cast<uint32_t>(*count)};
}

SweepCursor::SweepCursor(const Permutation& permutation, Shard shard, uint64_t done)
    : permutation_(permutation),
      first_(shard.index - 1u),
      stride_(shard.count == 0 ? 1 : shard.count) {
  assert(shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count);
  const uint64_t size = permutation.size();
  total_ = size > first_ ? (size - first_ - 1) / stride_ + 1 : 0;
  done_ = done < total_ ? done : total_;
}

}  // namespace portolan
