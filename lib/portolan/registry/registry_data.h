// The compiled-in registry tables, generated at build time by
// tools/gen_registry.cpp from data/iana and data/top-ports.
//
// Internal to the registry module: PortRegistry is the interface everything
// else uses. The port index is in compressed-sparse-row form: the entry numbers
// covering port p are port_entries()[port_start()[p] .. port_start()[p + 1]).
#pragma once

#include <cstdint>
#include <span>

#include "portolan/registry/port_registry.h"

namespace portolan::registry_data {

// Every IANA record, in IANA's order (ascending port; the first name listed
// for a port first).
std::span<const ServiceEntry> entries();
// 65537 offsets into port_entries().
std::span<const uint16_t> port_start();
std::span<const uint16_t> port_entries();
// Entry numbers sorted by ASCII-lower-cased name (ties in entry order).
std::span<const uint16_t> name_order();
// Our ranking after the fill rule; empty for a protocol without a list.
std::span<const uint16_t> top_ports(Protocol p);

}  // namespace portolan::registry_data
