// parse_port_number: one decimal port number, as typed in a spec or a query.
//
// A leaf header shared by the port-spec parser and `portolan info`, so both
// read numbers the same way: digits only, no sign, no spaces, 0-65535.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace portolan {

// nullopt when `digits` is not entirely a decimal number in 0-65535 (overlong
// input included).
inline std::optional<uint16_t> parse_port_number(std::string_view digits) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace portolan
