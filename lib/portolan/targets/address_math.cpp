// Bit arithmetic on IpAddress values; see address_math.h.
#include "portolan/targets/address_math.h"

#include <array>
#include <cstdint>

namespace portolan {
namespace {

// Clears (set_host_bits == false) or sets the host bits after `prefix`.
IpAddress with_host_bits(const IpAddress& address, int prefix, bool set_host_bits) {
  if (address.is_v4()) {
    const uint32_t host_mask = prefix >= 32 ? 0u : (~uint32_t{0} >> prefix);
    const uint32_t value = address.v4_host_order();
    return IpAddress::v4(set_host_bits ? (value | host_mask) : (value & ~host_mask));
  }
  std::array<uint8_t, 16> bytes = address.bytes();
  for (int i = 0; i < 16; ++i) {
    const int network_bits = prefix - i * 8;  // bits of byte i that belong to the network
    uint8_t host_mask = 0xff;
    if (network_bits >= 8) {
      host_mask = 0;
    } else if (network_bits > 0) {
      host_mask = static_cast<uint8_t>(0xffu >> network_bits);
    }
    bytes[i] = set_host_bits ? static_cast<uint8_t>(bytes[i] | host_mask)
                             : static_cast<uint8_t>(bytes[i] & ~host_mask);
  }
  return IpAddress::v6(bytes);
}

}  // namespace

int address_bits(IpFamily family) {
  return family == IpFamily::kV4 ? 32 : 128;
}

IpAddress block_first(const IpAddress& address, int prefix) {
  return with_host_bits(address, prefix, false);
}

IpAddress block_last(const IpAddress& address, int prefix) {
  return with_host_bits(address, prefix, true);
}

std::optional<IpAddress> next_address(const IpAddress& address) {
  if (address.is_v4()) {
    const uint32_t value = address.v4_host_order();
    if (value == UINT32_MAX) return std::nullopt;
    return IpAddress::v4(value + 1);
  }
  std::array<uint8_t, 16> bytes = address.bytes();
  for (int i = 15; i >= 0; --i) {
    if (bytes[i] != 0xff) {
      ++bytes[i];
      return IpAddress::v6(bytes);
    }
    bytes[i] = 0;  // carry into the next byte up
  }
  return std::nullopt;
}

}  // namespace portolan
