// PortRegistry over the generated tables (registry_data.h).
//
// The registry has no state of its own: every query reads constexpr arrays
// built by tools/gen_registry, so builtin() is free to call from anywhere and
// lookups are an index read (ports) or a binary search (names).
#include "portolan/registry/port_registry.h"

#include <algorithm>

#include "portolan/registry/name_match.h"
#include "portolan/registry/registry_data.h"
#include "portolan/registry/security_notes.h"

namespace portolan {

std::string_view to_string(PortRangeClass c) {
  switch (c) {
    case PortRangeClass::kWellKnown:
      return "well-known";
    case PortRangeClass::kRegistered:
      return "registered";
    case PortRangeClass::kDynamic:
      return "dynamic/private";
  }
  return "well-known";
}

PortRangeClass classify_port(uint16_t port) {
  if (port <= 1023) return PortRangeClass::kWellKnown;
  if (port <= 49151) return PortRangeClass::kRegistered;
  return PortRangeClass::kDynamic;
}

const PortRegistry& PortRegistry::builtin() {
  static const PortRegistry registry;
  return registry;
}

std::span<const ServiceEntry> PortRegistry::entries() const {
  return registry_data::entries();
}

std::vector<const ServiceEntry*> PortRegistry::lookup(uint16_t port,
                                                      std::optional<Protocol> protocol) const {
  auto all = registry_data::entries();
  auto start = registry_data::port_start();
  auto index = registry_data::port_entries();
  std::vector<const ServiceEntry*> out;
  for (size_t i = start[port]; i < start[size_t{port} + 1]; ++i) {
    const ServiceEntry& e = all[index[i]];
    if (!protocol || e.protocol == *protocol) out.push_back(&e);
  }
  return out;
}

std::string_view PortRegistry::service_name(uint16_t port, Protocol protocol) const {
  auto all = registry_data::entries();
  auto start = registry_data::port_start();
  auto index = registry_data::port_entries();
  std::string_view first;
  for (size_t i = start[port]; i < start[size_t{port} + 1]; ++i) {
    const ServiceEntry& e = all[index[i]];
    if (e.protocol != protocol) continue;
    if (!e.description.empty()) return e.name;
    if (first.empty()) first = e.name;
  }
  return first;
}

std::vector<const ServiceEntry*> PortRegistry::find_service(std::string_view name) const {
  auto all = registry_data::entries();
  auto order = registry_data::name_order();
  auto less = [&](uint16_t entry, std::string_view key) {
    return compare_names(all[entry].name, key) < 0;
  };
  auto it = std::lower_bound(order.begin(), order.end(), name, less);
  std::vector<const ServiceEntry*> out;
  for (; it != order.end() && names_equal(all[*it].name, name); ++it) out.push_back(&all[*it]);
  return out;
}

std::vector<const ServiceEntry*> PortRegistry::match_services(std::string_view pattern) const {
  auto all = registry_data::entries();
  auto order = registry_data::name_order();
  std::string_view prefix = pattern.substr(0, pattern.find_first_of("*?"));
  auto less = [&](uint16_t entry, std::string_view key) {
    return compare_names(all[entry].name, key) < 0;
  };
  std::vector<const ServiceEntry*> out;
  for (auto it = std::lower_bound(order.begin(), order.end(), prefix, less); it != order.end();
       ++it) {
    std::string_view name = all[*it].name;
    if (name.size() < prefix.size() || !names_equal(name.substr(0, prefix.size()), prefix)) break;
    if (glob_match(pattern, name)) out.push_back(&all[*it]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::span<const uint16_t> PortRegistry::top_ports(Protocol protocol) const {
  return registry_data::top_ports(protocol);
}

std::optional<size_t> PortRegistry::top_port_rank(uint16_t port, Protocol protocol) const {
  auto list = registry_data::top_ports(protocol);
  auto it = std::find(list.begin(), list.end(), port);
  if (it == list.end()) return std::nullopt;
  return static_cast<size_t>(it - list.begin()) + 1;
}

std::span<const SecurityNote> PortRegistry::security_notes() const {
  return builtin_security_notes();
}

const SecurityNote* PortRegistry::security_note(std::string_view service) const {
  if (service.empty()) return nullptr;
  for (const SecurityNote& note : builtin_security_notes()) {
    if (names_equal(note.service, service)) return &note;
    std::string_view rest = note.aliases;
    while (!rest.empty()) {
      size_t space = rest.find(' ');
      if (names_equal(rest.substr(0, space), service)) return &note;
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
  }
  return nullptr;
}

std::vector<const SecurityNote*> PortRegistry::security_notes_for_port(
    uint16_t port, std::optional<Protocol> protocol) const {
  std::vector<const SecurityNote*> found;
  auto add = [&](const SecurityNote* note) {
    if (note && std::find(found.begin(), found.end(), note) == found.end()) found.push_back(note);
  };
  for (const ServiceEntry* e : lookup(port, protocol)) add(security_note(e->name));
  for (const CommonPort* c : common_uses(port, protocol)) add(security_note(c->note));
  // Table order, so output does not depend on which lookup found a note first.
  auto notes = builtin_security_notes();
  std::sort(found.begin(), found.end(), [&](const SecurityNote* a, const SecurityNote* b) {
    return a - notes.data() < b - notes.data();
  });
  return found;
}

std::span<const CommonPort> PortRegistry::common_ports() const {
  return builtin_common_ports();
}

std::vector<const CommonPort*> PortRegistry::common_uses(uint16_t port,
                                                         std::optional<Protocol> protocol) const {
  std::vector<const CommonPort*> out;
  for (const CommonPort& c : builtin_common_ports()) {
    if (port >= c.port_lo && port <= c.port_hi && (!protocol || c.protocol == *protocol)) {
      out.push_back(&c);
    }
  }
  return out;
}

}  // namespace portolan
