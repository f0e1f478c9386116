// MacAddress: one 48-bit Ethernet address, value type.
//
// The raw-packet engine writes it into frame headers and learns it from ARP,
// neighbour discovery and the kernel's neighbour table. The loopback device
// carries an Ethernet header too, with all-zero addresses.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "portolan/core/result.h"

namespace portolan {

struct MacAddress {
  std::array<uint8_t, 6> bytes{};  // in wire order

  static MacAddress broadcast() { return MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  // Parses "aa:bb:cc:dd:ee:ff" (colons or dashes, either case).
  static Result<MacAddress> parse(std::string_view text);

  bool is_zero() const { return bytes == std::array<uint8_t, 6>{}; }
  // Lower-case, colon-separated: "02:00:5e:10:00:01".
  std::string to_string() const;

  auto operator<=>(const MacAddress&) const = default;
  bool operator==(const MacAddress&) const = default;
};

}  // namespace portolan
