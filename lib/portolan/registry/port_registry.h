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
  std::string_view name;  // IANA service name, e.g. "https"
  uint16_t port_lo = 0;   // a single port has port_lo == port_hi
  uint16_t port_hi = 0;
  Protocol protocol = Protocol::kTcp;
  std::string_view description;  // IANA's description
};

enum class PortRangeClass { kWellKnown, kRegistered, kDynamic };  // 0-1023, 1024-49151, 49152-65535
std::string_view to_string(PortRangeClass c);  // "well-known", "registered", "dynamic/private"
PortRangeClass classify_port(uint16_t port);

// Our security knowledge of a common service.
struct SecurityNote {
  std::string_view service;  // the service it applies to
  bool encrypted = false;    // traffic is encrypted by default
  // "cleartext remote shell: passwords and sessions readable on the path"
  std::string_view summary;
  std::string_view risks;            // typical risks
  std::string_view alternative;      // "ssh", "" when none applies
  bool internet_exposure_ok = true;  // false for SMB, RDP, databases...
  // Other names this note answers to, space-separated: further IANA names for
  // the same service and the names people and -sV use ("rdp" for ms-wbt-server).
  std::string_view aliases;
};

// A port a service commonly runs on although IANA assigns it to something
// else or to nothing (9200 is IANA's wap-wsp but in practice Elasticsearch).
struct CommonPort {
  uint16_t port_lo = 0;
  uint16_t port_hi = 0;
  Protocol protocol = Protocol::kTcp;
  std::string_view use;   // "Elasticsearch REST API"
  std::string_view note;  // SecurityNote::service that applies, or ""
};

class PortRegistry {
 public:
  static const PortRegistry& builtin();

  // Every entry covering `port` for `protocol` (or for any protocol if nullopt).
  std::vector<const ServiceEntry*> lookup(uint16_t port, std::optional<Protocol> protocol) const;
  // The name nmap's SERVICE column would show: the first IANA name for the
  // port/protocol, or "" when the registry has none. A name IANA lists
  // without a description yields to a later one with a description (2049/tcp
  // is "nfs", not the description-less "shilp" listed before it).
  std::string_view service_name(uint16_t port, Protocol protocol) const;
  // Every entry with this service name (case-insensitive).
  std::vector<const ServiceEntry*> find_service(std::string_view name) const;
  // Every entry whose name matches a case-insensitive glob ('*' any run, '?'
  // one character), as nmap's -p 'http*'; entry order. A literal prefix
  // ("http" in "http*") narrows the search through the name index.
  std::vector<const ServiceEntry*> match_services(std::string_view pattern) const;

  // Our ranking, most likely open first; its size is the list length (>= 1000
  // for TCP and UDP; SCTP has under 100, all IANA knows of).
  std::span<const uint16_t> top_ports(Protocol protocol) const;
  // 1-based position of `port` in top_ports(protocol), or nullopt if absent.
  std::optional<size_t> top_port_rank(uint16_t port, Protocol protocol) const;

  // The note for a service name or alias (case-insensitive), or nullptr.
  const SecurityNote* security_note(std::string_view service) const;
  // The notes that apply to a port, through its IANA names and its common
  // uses (1521/tcp -> oracle-tns), without duplicates, in table order.
  std::vector<const SecurityNote*> security_notes_for_port(uint16_t port,
                                                           std::optional<Protocol> protocol) const;
  std::span<const SecurityNote> security_notes() const;

  // Common uses of `port` that IANA does not record (see CommonPort).
  std::vector<const CommonPort*> common_uses(uint16_t port, std::optional<Protocol> protocol) const;
  std::span<const CommonPort> common_ports() const;

  // Every IANA record, ascending by port, in IANA's order within a port.
  std::span<const ServiceEntry> entries() const;
};

}  // namespace portolan
