// Transport protocols a port belongs to.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace portolan {

enum class Protocol : uint8_t { kTcp = 0, kUdp = 1, kSctp = 2 };
inline constexpr int kProtocolCount = 3;

// "tcp", "udp", "sctp".
std::string_view to_string(Protocol p);
std::optional<Protocol> parse_protocol(std::string_view text);

}  // namespace portolan
