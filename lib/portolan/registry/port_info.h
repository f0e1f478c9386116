// `portolan info`: what a port, a port range or a service is.
//
// A query ("443", "443/udp", "8000-8100", "ssh", "rdp") is resolved once into
// an InfoReport, a plain model of what the registry knows; the text and JSON
// forms are two renderings of that model, so they never disagree. The CLI
// calls describe() or describe_json() and prints the result or the error.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "portolan/core/result.h"
#include "portolan/registry/port_registry.h"
#include "portolan/results/protocol.h"

namespace portolan {

// Ranges wider than this are summarised (counts per range class and
// transport) instead of listed port by port: `info 1-65535` would otherwise
// print tens of thousands of lines.
inline constexpr size_t kInfoMaxListedPorts = 1024;

// What the registry knows about one port (port_lo == port_hi) or, for a
// service registered on a range such as x11 6000-6063, about that range.
struct PortInfo {
  uint16_t port_lo = 0;
  uint16_t port_hi = 0;
  PortRangeClass range_class = PortRangeClass::kWellKnown;  // of port_lo
  std::vector<Protocol> transports;                         // with IANA entries, tcp/udp/sctp order
  std::vector<const ServiceEntry*> entries;                 // IANA's, in IANA's order
  std::vector<const CommonPort*> common_uses;
  std::vector<std::pair<Protocol, size_t>> top_ranks;  // 1-based rank per protocol listing it
  std::vector<const SecurityNote*> notes;
};

struct InfoReport {
  enum class Kind { kPort, kRange, kService };
  Kind kind = Kind::kPort;
  std::string query;                 // as given, trimmed
  std::optional<Protocol> protocol;  // "443/udp": only that transport

  // kPort and kRange: the ports asked for (lo == hi for kPort).
  uint16_t lo = 0;
  uint16_t hi = 0;
  size_t assigned = 0;                        // ports in lo..hi with at least one IANA entry
  bool summarised = false;                    // wider than kInfoMaxListedPorts: `ports` is empty
  std::array<size_t, 3> assigned_by_class{};  // indexed by PortRangeClass
  std::array<size_t, 3> ports_by_class{};     // ports of lo..hi in each class
  std::array<size_t, kProtocolCount> assigned_by_protocol{};
  std::array<size_t, kProtocolCount> top_in_range{};  // ports of lo..hi in each top list

  // kService: the name asked for and how it was found.
  std::string service;
  bool iana_service = true;  // false: known only as a security-note alias
  const SecurityNote* service_note = nullptr;
  std::vector<const CommonPort*> service_common_ports;

  // kPort: exactly one; kRange: the ports with entries or common uses;
  // kService: each port (or registered range) the service is found on.
  std::vector<PortInfo> ports;
};

// Resolves a query. Errors are one line a user can act on:
//   ""               -> "empty query: give a port (443), a range (8000-8100) or a service (ssh)"
//   "99999", "-5"    -> "port 99999 is out of range 0-65535"
//   "2000-1000"      -> "invalid port range '2000-1000': start is greater than end"
//   "443/xyz"        -> "unknown protocol 'xyz' in '443/xyz': expected tcp, udp or sctp"
//   "nosuchservice"  -> "unknown service 'nosuchservice'" (kNotFound)
Result<InfoReport> query_info(std::string_view query, const PortRegistry& registry);

std::string render_info_text(const InfoReport& report);
nlohmann::json render_info_json(const InfoReport& report);

// query_info() then the rendering: what `portolan info [--json] QUERY` prints.
Result<std::string> describe(std::string_view query, const PortRegistry& registry);
Result<nlohmann::json> describe_json(std::string_view query, const PortRegistry& registry);

}  // namespace portolan
