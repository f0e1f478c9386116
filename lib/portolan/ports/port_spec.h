// Port selection from nmap's options: -p, --top-ports, -F, --exclude-ports.
//
// -p syntax: "22,80,1000-2000", "-" (1-65535), "-1024", "60000-", "T:22,U:53",
// service names "http,ssh" (all ports the registry gives that name), and
// "[1-1024]" is not supported (nmap's bracket form means "only ports in
// nmap-services"; we reject it with a clear error). Port 0 is accepted only
// when written explicitly, as nmap does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/ports/port_set.h"
#include "portolan/results/protocol.h"

namespace portolan {

class PortRegistry;

// Parses one -p / --exclude-ports expression. `protocols` are the protocols the
// scan uses; unprefixed ports apply to each of them. Prefixed ports (T:, U:, S:)
// for protocols the scan does not use are kept out (nmap warns and ignores).
Result<PortSet> parse_port_spec(std::string_view spec, const std::vector<Protocol>& protocols,
                                const PortRegistry& registry);

struct PortSelection {
  std::optional<std::string> spec;          // -p
  std::optional<int> top_ports;             // --top-ports N
  bool fast = false;                        // -F: top 100
  std::optional<std::string> exclude_spec;  // --exclude-ports
};

// The ports to scan: -p, else --top-ports N, else -F (top 100), else the
// default top 1000, minus --exclude-ports. Fails on conflicts (-p with -F or
// --top-ports), on N outside 1..65536, and on an empty result.
Result<PortSet> select_ports(const PortSelection& selection, const std::vector<Protocol>& protocols,
                             const PortRegistry& registry);

}  // namespace portolan
