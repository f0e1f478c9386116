// PortRegistry: what IANA says each port is, and our own top-ports ranking.
//
// Compiled into the binary from data/iana (IANA's Service Name and Transport
// Protocol Port Number Registry; provenance in data/iana/README.md) and from
// data/top-ports (our ranking; rationale in docs/top-ports.md). Lookups never
// touch the filesystem.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/results/protocol.h"

namespace portolan {

struct ServiceEntry {
  std::string_view name;         // IANA service name, e.g. "https"
  uint16_t port_lo = 0;          // a single port has port_lo == port_hi
  uint16_t port_hi = 0;
  Protocol protocol = Protocol::kTcp;
  std::string_view description;  // IANA's description
};

enum class PortRangeClass { kWellKnown, kRegistered, kDynamic };  // 0-1023, 1024-49151, 49152-65535
std::string_view to_string(PortRangeClass c);  // "well-known", "registered", "dynamic/private"
PortRangeClass classify_port(uint16_t port);

// Our security knowledge of a common service.
struct SecurityNote {
  std::string_view service;      // the service it applies to
  bool encrypted = false;        // traffic is encrypted by default
  std::string_view summary;      // "cleartext remote shell: passwords and sessions readable on the path"
  std::string_view risks;        // typical risks
  std::string_view alternative;  // "ssh", "" when none applies
  bool internet_exposure_ok = true;  // false for SMB, RDP, databases...
};

class PortRegistry {
 public:
  static const PortRegistry& builtin();

  // Every entry covering `port` for `protocol` (or for any protocol if nullopt).
  std::vector<const ServiceEntry*> lookup(uint16_t port, std::optional<Protocol> protocol) const;
  // The name nmap's SERVICE column would show: the first IANA name for the
  // port/protocol, or "" when the registry has none.
  std::string_view service_name(uint16_t port, Protocol protocol) const;
  // Every entry with this service name (case-insensitive).
  std::vector<const ServiceEntry*> find_service(std::string_view name) const;

  // Our ranking, most likely open first; its size is the list length (>= 1000 for TCP).
  std::span<const uint16_t> top_ports(Protocol protocol) const;

  const SecurityNote* security_note(std::string_view service) const;

  std::span<const ServiceEntry> entries() const;
};

}  // namespace portolan
