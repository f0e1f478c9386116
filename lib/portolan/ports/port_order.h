// The order in which a scan visits its ports.
//
// By default ports are shuffled, as nmap does, so a scan does not walk a host
// in the ascending order that IDSs and rate limiters key on, and so that
// filtering that starts part-way through a scan is spread across the list. The
// shuffle takes an explicit seed, so a test (or a rerun with the same seed)
// sees the same order. `-r` asks for ascending order instead.
//
// Like nmap, the random order puts a few of the most popular ports first
// (`early`, normally the head of our top-ports ranking, in ranking order):
// open ports answer sooner and the scan's timing estimates warm up on real
// replies, and a user watching the output sees 22/80/443 straight away.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "portolan/results/protocol.h"

namespace portolan {

class PortRegistry;
class PortSet;

enum class PortOrder { kRandom, kSequential };

// How many ports of the ranking go first in a random order.
inline constexpr size_t kEarlyPortCount = 16;

// Returns `ports` in scan order. kSequential: ascending, `seed` and `early`
// ignored. kRandom: the ports that are also in `early` first, in `early`'s
// order, then the rest in a uniform shuffle driven by std::mt19937_64(seed).
// The shuffle does not use std::shuffle or std::uniform_int_distribution,
// whose output differs between standard libraries, so a seed gives the same
// order everywhere. Duplicates in `ports` are kept.
std::vector<uint16_t> order_ports(std::vector<uint16_t> ports, PortOrder order, uint64_t seed,
                                  std::span<const uint16_t> early = {});

// The scan order for one protocol of a PortSet, with the first
// kEarlyPortCount ports of the registry's ranking for that protocol as `early`.
std::vector<uint16_t> scan_order(const PortSet& ports, Protocol protocol, PortOrder order,
                                 uint64_t seed, const PortRegistry& registry);

}  // namespace portolan
