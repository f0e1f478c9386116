// nmap's port syntax (-p, --exclude-ports) and the choice between -p,
// --top-ports, -F and the default.
//
// A spec is a comma-separated list of items, read left to right with one piece
// of state: the protocol scope. It starts as "every protocol the scan uses";
// a "T:", "U:" or "S:" prefix narrows it to one protocol for that item and all
// that follow, until the next prefix (nmap's "T:22,80,U:53,111" puts 80 in TCP
// and 111 in UDP). An item is a port, a range (open at either end, "-" being
// 1-65535) or a service name, with '*' and '?' wildcards. Items made only of
// digits and dashes are numbers; anything else is a name, because IANA names
// may start with digits ("3com-tsmux").
#include "portolan/ports/port_spec.h"
#include "portolan/ports/port_number.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "portolan/registry/message_text.h"
#include "portolan/registry/name_match.h"
#include "portolan/registry/port_registry.h"

namespace portolan {
namespace {

constexpr size_t kDefaultTopPorts = 1000;
constexpr size_t kFastTopPorts = 100;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Characters IANA service names use, plus the two wildcards.
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '_' ||
         c == '.' || c == '+' || c == '/' || c == '*' || c == '?';
}

Unexpected invalid_port(std::string_view text) {
  return fail(fmt::format("invalid port '{}': out of range 0-65535", printable(text)));
}

Unexpected invalid_spec(std::string_view spec, std::string_view why) {
  return fail(fmt::format("invalid port specification '{}': {}", printable(spec), why));
}

struct Range {
  uint16_t lo;
  uint16_t hi;
};

// "N", "N-M", "-M", "N-", "-". Only digits and dashes reach here.
Result<Range> parse_range(std::string_view item) {
  size_t dash = item.find('-');
  if (dash == std::string_view::npos) {
    auto port = parse_port_number(item);
    if (!port) return invalid_port(item);
    return Range{*port, *port};
  }
  std::string_view left = item.substr(0, dash);
  std::string_view right = item.substr(dash + 1);
  if (right.find('-') != std::string_view::npos) {
    return fail(fmt::format("invalid port range '{}': more than one '-'", printable(item)));
  }
  // An open start is 1, not 0: port 0 is scanned only when written out.
  uint16_t lo = 1;
  uint16_t hi = 65535;
  if (!left.empty()) {
    auto port = parse_port_number(left);
    if (!port) return invalid_port(left);
    lo = *port;
  }
  if (!right.empty()) {
    auto port = parse_port_number(right);
    if (!port) return invalid_port(right);
    hi = *port;
  }
  if (lo > hi) {
    return fail(fmt::format("invalid port range '{}': start is greater than end", printable(item)));
  }
  return Range{lo, hi};
}

// Adds every port the registry gives a matching name, within `scope`.
Result<void> add_service(std::string_view name, const std::vector<Protocol>& scope,
                         const PortRegistry& registry, PortSet& out) {
  auto matches = has_wildcard(name) ? registry.match_services(name) : registry.find_service(name);
  if (matches.empty()) {
    return fail(ErrorKind::kNotFound,
                fmt::format("unknown service '{}' in port specification", printable(name)));
  }
  for (const ServiceEntry* e : matches) {
    if (std::find(scope.begin(), scope.end(), e->protocol) != scope.end()) {
      out.add_range(e->protocol, e->port_lo, e->port_hi);
    }
  }
  return {};
}

std::optional<Protocol> prefix_protocol(char letter) {
  switch (ascii_lower(letter)) {
    case 't':
      return Protocol::kTcp;
    case 'u':
      return Protocol::kUdp;
    case 's':
      return Protocol::kSctp;
    default:
      return std::nullopt;
  }
}

}  // namespace

Result<PortSet> parse_port_spec(std::string_view spec, const std::vector<Protocol>& protocols,
                                const PortRegistry& registry) {
  if (spec.empty()) return fail("empty port specification");
  if (spec.find_first_of(" \t\r\n\v\f") != std::string_view::npos) {
    return invalid_spec(spec, "whitespace is not allowed");
  }
  if (spec.front() == '[' || spec.find(",[") != std::string_view::npos ||
      spec.find(":[") != std::string_view::npos) {
    return invalid_spec(spec,
                        "the bracket form (only ports listed in nmap-services) is not "
                        "supported; list the ports or ranges instead");
  }

  PortSet out;
  std::vector<Protocol> scope = protocols;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string_view item = spec.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    bool last = comma == std::string_view::npos;
    if (item.empty()) {
      return invalid_spec(spec, last && start > 0 ? "trailing comma" : "empty item");
    }

    if (item.size() >= 2 && item[1] == ':') {
      char letter = item[0];
      if (ascii_lower(letter) == 'p') {
        return invalid_spec(spec, "IP protocol scans (P:) are not supported");
      }
      auto p = prefix_protocol(letter);
      if (!p) {
        return invalid_spec(spec, fmt::format("unknown protocol prefix '{}:' (use T:, U: or S:)",
                                              printable(item.substr(0, 1))));
      }
      // Kept out when the scan does not use the protocol, as nmap does.
      scope.clear();
      if (std::find(protocols.begin(), protocols.end(), *p) != protocols.end()) scope.push_back(*p);
      item.remove_prefix(2);
      if (item.empty()) {
        return invalid_spec(spec, fmt::format("nothing after '{}:'", std::string_view(&letter, 1)));
      }
    }

    if (std::all_of(item.begin(), item.end(), [](char c) { return is_digit(c) || c == '-'; })) {
      auto range = parse_range(item);
      if (!range) return Unexpected(range.error());
      for (Protocol p : scope) out.add_range(p, range->lo, range->hi);
    } else {
      auto bad = std::find_if(item.begin(), item.end(), [](char c) { return !is_name_char(c); });
      if (bad != item.end()) {
        unsigned char c = static_cast<unsigned char>(*bad);
        std::string shown = (c >= 0x20 && c < 0x7f) ? fmt::format("'{}'", static_cast<char>(c))
                                                    : fmt::format("0x{:02x}", c);
        return invalid_spec(spec, fmt::format("unexpected character {}", shown));
      }
      if (auto added = add_service(item, scope, registry, out); !added) {
        return Unexpected(added.error());
      }
    }

    if (last) break;
    start = comma + 1;
  }
  return out;
}

Result<PortSet> select_ports(const PortSelection& selection, const std::vector<Protocol>& protocols,
                             const PortRegistry& registry) {
  if (selection.spec && (selection.top_ports || selection.fast)) {
    return fail("-p cannot be combined with --top-ports or -F");
  }
  if (selection.top_ports && selection.fast) return fail("-F cannot be combined with --top-ports");
  if (selection.top_ports && (*selection.top_ports < 1 || *selection.top_ports > 65536)) {
    return fail(
        fmt::format("--top-ports must be between 1 and 65536, got {}", *selection.top_ports));
  }
  if (protocols.empty()) return fail(ErrorKind::kInternal, "no scan protocols selected");

  PortSet ports;
  if (selection.spec) {
    auto parsed = parse_port_spec(*selection.spec, protocols, registry);
    if (!parsed) return Unexpected(parsed.error().with_context("-p"));
    ports = std::move(*parsed);
    if (ports.empty()) {
      return fail(fmt::format("-p '{}' selects no ports for the protocols being scanned",
                              printable(*selection.spec)));
    }
  } else {
    size_t n = selection.top_ports ? static_cast<size_t>(*selection.top_ports)
               : selection.fast    ? kFastTopPorts
                                   : kDefaultTopPorts;
    for (Protocol p : protocols) {
      auto list = registry.top_ports(p);
      // A list shorter than N (SCTP's, or N beyond our ranking) is used whole.
      for (uint16_t port : list.first(std::min(n, list.size()))) ports.add(p, port);
    }
    if (ports.empty()) return fail("no ranked ports for the protocols being scanned");
  }

  if (selection.exclude_spec) {
    auto excluded = parse_port_spec(*selection.exclude_spec, protocols, registry);
    if (!excluded) return Unexpected(excluded.error().with_context("--exclude-ports"));
    ports.subtract(*excluded);
    if (ports.empty()) return fail("no ports left to scan: --exclude-ports removes all of them");
  }
  return ports;
}

}  // namespace portolan
