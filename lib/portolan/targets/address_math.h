// Bit arithmetic on IpAddress values: prefix masks, block bounds, successor.
//
// Addresses are compared and incremented as unsigned big-endian integers of
// 32 or 128 bits; IpAddress keeps its bytes in network order, so byte-wise
// work on bytes() is exactly integer arithmetic. Prefix lengths are trusted:
// callers validate them (0..32 or 0..128) before calling.
#pragma once

#include <optional>

#include "portolan/net/ip_address.h"

namespace portolan {

// 32 for IPv4, 128 for IPv6.
int address_bits(IpFamily family);

// The first address of the /prefix block holding `address` (host bits cleared).
IpAddress block_first(const IpAddress& address, int prefix);

// The last address of the /prefix block holding `address` (host bits set).
IpAddress block_last(const IpAddress& address, int prefix);

// address + 1 within its family; nullopt for 255.255.255.255 and ffff:...:ffff.
std::optional<IpAddress> next_address(const IpAddress& address);

}  // namespace portolan
