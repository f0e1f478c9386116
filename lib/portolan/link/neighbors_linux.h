// The kernel's neighbour table (ARP for IPv4, NDP for IPv6): the MAC address
// a frame to an on-link host or gateway is sent to.
//
// The engine asks here first; only when the kernel knows no usable entry
// does it send its own ARP request or neighbour solicitation (and reading the
// reply is the engine's job, not this file's).
#pragma once

#include <optional>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"

namespace portolan {

// The link-layer address of `addr` on interface `ifindex` (one RTM_GETNEIGH
// query). nullopt when the kernel has no entry, or none in a state whose
// address can be used now: REACHABLE, STALE, DELAY, PROBE, PERMANENT or
// NOARP. (INCOMPLETE and FAILED entries have no address worth using.) An
// error only when the kernel cannot be asked.
Result<std::optional<MacAddress>> lookup_neighbor(int ifindex, const IpAddress& addr);

}  // namespace portolan
