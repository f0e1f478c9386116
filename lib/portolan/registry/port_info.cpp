// `portolan info`: query parsing, the InfoReport model and its two renderings.
//
// Parsing order matters because IANA names can look like other things:
// "3com-tsmux" starts with digits and "cl/1" contains a slash. So the whole
// query is first tried as a service name, then as "<what>/<protocol>", and
// only then as a port or range.
#include "portolan/registry/port_info.h"
#include "portolan/ports/port_number.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "portolan/registry/message_text.h"
#include "portolan/registry/name_match.h"

namespace portolan {
namespace {

constexpr std::array<Protocol, kProtocolCount> kAllProtocols = {Protocol::kTcp, Protocol::kUdp,
                                                                Protocol::kSctp};

bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Unexpected out_of_range(std::string_view text) {
  return fail(fmt::format("port {} is out of range 0-65535", printable(text)));
}

size_t class_index(PortRangeClass c) {
  return static_cast<size_t>(c);
}

PortInfo make_port_info(uint16_t lo, uint16_t hi, std::optional<Protocol> protocol,
                        const PortRegistry& registry) {
  PortInfo info;
  info.port_lo = lo;
  info.port_hi = hi;
  info.range_class = classify_port(lo);
  info.entries = registry.lookup(lo, protocol);
  if (lo != hi) {
    // A registered range: only the entries spanning all of it describe it.
    std::erase_if(info.entries,
                  [&](const ServiceEntry* e) { return e->port_lo > lo || e->port_hi < hi; });
  }
  for (Protocol p : kAllProtocols) {
    bool has = std::any_of(info.entries.begin(), info.entries.end(),
                           [&](const ServiceEntry* e) { return e->protocol == p; });
    if (has) info.transports.push_back(p);
  }
  if (lo == hi) {
    info.common_uses = registry.common_uses(lo, protocol);
    for (Protocol p : kAllProtocols) {
      if (protocol && p != *protocol) continue;
      if (auto rank = registry.top_port_rank(lo, p)) info.top_ranks.emplace_back(p, *rank);
    }
  }
  info.notes = registry.security_notes_for_port(lo, protocol);
  return info;
}

void add_range_summary(InfoReport& report, const PortRegistry& registry) {
  std::array<std::vector<bool>, kProtocolCount> top_sets;
  for (Protocol p : kAllProtocols) {
    auto& set = top_sets[static_cast<size_t>(p)];
    set.assign(65536, false);
    for (uint16_t port : registry.top_ports(p)) set[port] = true;
  }
  for (uint32_t port = report.lo; port <= report.hi; ++port) {
    auto p16 = static_cast<uint16_t>(port);
    size_t cls = class_index(classify_port(p16));
    ++report.ports_by_class[cls];
    auto entries = registry.lookup(p16, report.protocol);
    if (!entries.empty()) {
      ++report.assigned;
      ++report.assigned_by_class[cls];
    }
    for (Protocol p : kAllProtocols) {
      if (report.protocol && p != *report.protocol) continue;
      size_t pi = static_cast<size_t>(p);
      if (std::any_of(entries.begin(), entries.end(),
                      [&](const ServiceEntry* e) { return e->protocol == p; })) {
        ++report.assigned_by_protocol[pi];
      }
      if (top_sets[pi][port]) ++report.top_in_range[pi];
    }
    if (!report.summarised &&
        (!entries.empty() || !registry.common_uses(p16, report.protocol).empty())) {
      report.ports.push_back(make_port_info(p16, p16, report.protocol, registry));
    }
  }
}

// Service lookup: IANA names, else the aliases of our security notes.
Result<InfoReport> service_report(InfoReport report, std::string_view name,
                                  const PortRegistry& registry) {
  report.kind = InfoReport::Kind::kService;
  report.service = std::string(name);
  std::vector<std::pair<uint16_t, uint16_t>> spans;
  auto add_entries = [&](std::string_view n) {
    for (const ServiceEntry* e : registry.find_service(n)) {
      if (report.protocol && e->protocol != *report.protocol) continue;
      spans.emplace_back(e->port_lo, e->port_hi);
    }
  };
  add_entries(name);
  if (!spans.empty()) {
    report.service_note = registry.security_note(name);
  } else if (const SecurityNote* note = registry.security_note(name)) {
    report.iana_service = false;
    report.service_note = note;
    add_entries(note->service);
    std::string_view rest = note->aliases;
    while (!rest.empty()) {
      size_t space = rest.find(' ');
      add_entries(rest.substr(0, space));
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
    for (const CommonPort& c : registry.common_ports()) {
      if (c.note != note->service || (report.protocol && c.protocol != *report.protocol)) continue;
      report.service_common_ports.push_back(&c);
      if (c.port_lo == c.port_hi) spans.emplace_back(c.port_lo, c.port_hi);
    }
  }
  if (spans.empty()) {
    bool known = !registry.find_service(name).empty() || registry.security_note(name);
    if (known && report.protocol) {
      return fail(ErrorKind::kNotFound, fmt::format("service '{}' has no {} port", printable(name),
                                                    to_string(*report.protocol)));
    }
    return fail(ErrorKind::kNotFound, fmt::format("unknown service '{}'", printable(name)));
  }
  std::sort(spans.begin(), spans.end());
  spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
  for (auto [lo, hi] : spans) {
    report.ports.push_back(make_port_info(lo, hi, report.protocol, registry));
  }
  return report;
}

std::string protocol_list(const std::vector<Protocol>& protocols) {
  std::string out;
  for (Protocol p : protocols) {
    if (!out.empty()) out += ", ";
    out += to_string(p);
  }
  return out;
}

std::string_view class_bounds(PortRangeClass c) {
  switch (c) {
    case PortRangeClass::kWellKnown:
      return "0-1023";
    case PortRangeClass::kRegistered:
      return "1024-49151";
    case PortRangeClass::kDynamic:
      return "49152-65535";
  }
  return "";
}

std::string span_text(uint16_t lo, uint16_t hi) {
  return lo == hi ? std::to_string(lo) : fmt::format("{}-{}", lo, hi);
}

void render_note(std::string& out, const SecurityNote& note) {
  out += fmt::format("  security [{}]: {}, {}\n", note.service,
                     note.encrypted ? "encrypted" : "not encrypted", note.summary);
  out += fmt::format("    risks: {}\n", note.risks);
  if (!note.alternative.empty()) out += fmt::format("    instead: {}\n", note.alternative);
  out += fmt::format("    internet-facing: {}\n", note.internet_exposure_ok
                                                      ? "acceptable when maintained"
                                                      : "no, keep it on trusted networks");
}

void render_port(std::string& out, const PortInfo& info) {
  out += fmt::format("{} {} ({}, {})\n", info.port_lo == info.port_hi ? "Port" : "Ports",
                     span_text(info.port_lo, info.port_hi), to_string(info.range_class),
                     class_bounds(info.range_class));
  if (info.entries.empty()) {
    out += "  no IANA assignment\n";
  } else {
    out += fmt::format("  transports: {}\n", protocol_list(info.transports));
    size_t width = 0;
    for (const ServiceEntry* e : info.entries) width = std::max(width, e->name.size());
    width = std::min<size_t>(width, 24);
    for (const ServiceEntry* e : info.entries) {
      std::string line = fmt::format("  {:<5} {:<{}}", to_string(e->protocol), e->name, width);
      if (!e->description.empty()) line += fmt::format("  {}", e->description);
      out += line + "\n";
    }
  }
  for (const CommonPort* c : info.common_uses) {
    out += fmt::format("  commonly ({}): {}\n", to_string(c->protocol), c->use);
  }
  if (!info.top_ranks.empty()) {
    std::string ranks;
    for (auto [p, rank] : info.top_ranks) {
      if (!ranks.empty()) ranks += ", ";
      ranks += fmt::format("{} #{}", to_string(p), rank);
    }
    out += fmt::format("  top-ports rank: {}\n", ranks);
  }
  for (const SecurityNote* note : info.notes) render_note(out, *note);
}

nlohmann::json note_json(const SecurityNote& note) {
  return {{"service", note.service},         {"encrypted", note.encrypted},
          {"summary", note.summary},         {"risks", note.risks},
          {"alternative", note.alternative}, {"internet_exposure_ok", note.internet_exposure_ok}};
}

nlohmann::json port_json(const PortInfo& info) {
  nlohmann::json j;
  j["port"] = info.port_lo;
  if (info.port_hi != info.port_lo) j["port_end"] = info.port_hi;
  j["range_class"] = to_string(info.range_class);
  j["transports"] = nlohmann::json::array();
  for (Protocol p : info.transports) j["transports"].push_back(to_string(p));
  j["services"] = nlohmann::json::array();
  for (const ServiceEntry* e : info.entries) {
    j["services"].push_back(
        {{"name", e->name}, {"protocol", to_string(e->protocol)}, {"description", e->description}});
  }
  j["common_uses"] = nlohmann::json::array();
  for (const CommonPort* c : info.common_uses) {
    j["common_uses"].push_back({{"protocol", to_string(c->protocol)}, {"use", c->use}});
  }
  j["top_ports_rank"] = nlohmann::json::object();
  for (auto [p, rank] : info.top_ranks) j["top_ports_rank"][std::string(to_string(p))] = rank;
  j["security_notes"] = nlohmann::json::array();
  for (const SecurityNote* n : info.notes) j["security_notes"].push_back(note_json(*n));
  return j;
}

constexpr std::array<PortRangeClass, 3> kClasses = {
    PortRangeClass::kWellKnown, PortRangeClass::kRegistered, PortRangeClass::kDynamic};

}  // namespace

Result<InfoReport> query_info(std::string_view query, const PortRegistry& registry) {
  InfoReport report;
  std::string_view q = trim(query);
  report.query = std::string(q);
  if (q.empty()) {
    return fail("empty query: give a port (443), a range (8000-8100) or a service (ssh)");
  }
  if (!registry.find_service(q).empty()) return service_report(std::move(report), q, registry);

  std::string_view what = q;
  if (size_t slash = q.rfind('/'); slash != std::string_view::npos) {
    std::string_view proto = q.substr(slash + 1);
    std::string lowered;
    for (char c : proto) lowered += ascii_lower(c);
    report.protocol = parse_protocol(lowered);
    if (!report.protocol) {
      return fail(fmt::format("unknown protocol '{}' in '{}': expected tcp, udp or sctp",
                              printable(proto), printable(q)));
    }
    what = q.substr(0, slash);
    if (what.empty())
      return fail(fmt::format("missing port or service before '/' in '{}'", printable(q)));
  }

  if (all_digits(what)) {
    auto port = parse_port_number(what);
    if (!port) return out_of_range(what);
    report.kind = InfoReport::Kind::kPort;
    report.lo = report.hi = *port;
    report.ports.push_back(make_port_info(*port, *port, report.protocol, registry));
    report.assigned = report.ports.front().entries.empty() ? 0 : 1;
    return report;
  }
  if ((what[0] == '-' || what[0] == '+') && all_digits(what.substr(1))) return out_of_range(what);
  if (size_t dash = what.find('-'); dash != std::string_view::npos &&
                                    all_digits(what.substr(0, dash)) &&
                                    all_digits(what.substr(dash + 1))) {
    auto lo = parse_port_number(what.substr(0, dash));
    auto hi = parse_port_number(what.substr(dash + 1));
    if (!lo) return out_of_range(what.substr(0, dash));
    if (!hi) return out_of_range(what.substr(dash + 1));
    if (*lo > *hi) {
      return fail(
          fmt::format("invalid port range '{}': start is greater than end", printable(what)));
    }
    report.kind = InfoReport::Kind::kRange;
    report.lo = *lo;
    report.hi = *hi;
    report.summarised = size_t{*hi} - *lo + 1 > kInfoMaxListedPorts;
    add_range_summary(report, registry);
    return report;
  }
  if (std::all_of(what.begin(), what.end(),
                  [](char c) { return c == '-' || (c >= '0' && c <= '9'); })) {
    return fail(fmt::format("invalid port range '{}'", printable(what)));
  }
  return service_report(std::move(report), what, registry);
}

std::string render_info_text(const InfoReport& report) {
  std::string out;
  std::string filter = report.protocol ? fmt::format(" {}", to_string(*report.protocol)) : "";
  switch (report.kind) {
    case InfoReport::Kind::kPort:
      render_port(out, report.ports.front());
      break;
    case InfoReport::Kind::kRange: {
      size_t total = size_t{report.hi} - report.lo + 1;
      out += fmt::format("Ports {}-{}: {} ports, {} with{} registry entries, {} unassigned\n",
                         report.lo, report.hi, total, report.assigned, filter,
                         total - report.assigned);
      if (report.summarised) {
        for (PortRangeClass c : kClasses) {
          size_t i = class_index(c);
          if (report.ports_by_class[i] == 0) continue;
          out += fmt::format("  {} ({}): {} ports, {} assigned\n", to_string(c), class_bounds(c),
                             report.ports_by_class[i], report.assigned_by_class[i]);
        }
        std::string by_proto;
        std::string top;
        for (Protocol p : kAllProtocols) {
          if (report.protocol && p != *report.protocol) continue;
          size_t i = static_cast<size_t>(p);
          by_proto += fmt::format("{}{} {}", by_proto.empty() ? "" : ", ", to_string(p),
                                  report.assigned_by_protocol[i]);
          top +=
              fmt::format("{}{} {}", top.empty() ? "" : ", ", to_string(p), report.top_in_range[i]);
        }
        out += fmt::format("  assigned by transport: {}\n", by_proto);
        out += fmt::format("  in our top-ports lists: {}\n", top);
        out += fmt::format(
            "  ranges wider than {} ports are summarised; ask for a narrower range to list "
            "each port\n",
            kInfoMaxListedPorts);
      }
      for (const PortInfo& info : report.ports) {
        out += "\n";
        render_port(out, info);
      }
      break;
    }
    case InfoReport::Kind::kService: {
      if (report.iana_service) {
        std::string where;
        for (const PortInfo& info : report.ports) {
          for (const ServiceEntry* e : info.entries) {
            if (!names_equal(e->name, report.service)) continue;
            where += fmt::format("{}{}/{}", where.empty() ? "" : ", ",
                                 span_text(e->port_lo, e->port_hi), to_string(e->protocol));
          }
        }
        out += fmt::format("Service {}: IANA registers it on {}\n", report.service, where);
      } else {
        std::string_view known = report.service_note->service;
        bool iana_calls_it =
            !names_equal(known, report.service) && !report.ports.empty() &&
            std::any_of(report.ports.begin(), report.ports.end(), [&](const PortInfo& info) {
              return std::any_of(
                  info.entries.begin(), info.entries.end(),
                  [&](const ServiceEntry* e) { return names_equal(e->name, known); });
            });
        out += iana_calls_it ? fmt::format(
                                   "Service {}: not an IANA service name; IANA calls it "
                                   "'{}'\n",
                                   report.service, known)
                             : fmt::format(
                                   "Service {}: not an IANA service name; ports from "
                                   "common use\n",
                                   report.service);
        for (const CommonPort* c : report.service_common_ports) {
          out += fmt::format("  commonly on {}/{}: {}\n", span_text(c->port_lo, c->port_hi),
                             to_string(c->protocol), c->use);
        }
      }
      for (const PortInfo& info : report.ports) {
        out += "\n";
        render_port(out, info);
      }
      break;
    }
  }
  return out;
}

nlohmann::json render_info_json(const InfoReport& report) {
  nlohmann::json j;
  j["query"] = report.query;
  j["protocol"] = report.protocol ? nlohmann::json(to_string(*report.protocol)) : nlohmann::json();
  switch (report.kind) {
    case InfoReport::Kind::kPort:
      j["kind"] = "port";
      break;
    case InfoReport::Kind::kRange: {
      j["kind"] = "range";
      size_t total = size_t{report.hi} - report.lo + 1;
      nlohmann::json r = {{"start", report.lo},
                          {"end", report.hi},
                          {"ports", total},
                          {"assigned", report.assigned},
                          {"unassigned", total - report.assigned},
                          {"summarised", report.summarised}};
      for (PortRangeClass c : kClasses) {
        size_t i = class_index(c);
        r["by_class"][std::string(to_string(c))] = {{"ports", report.ports_by_class[i]},
                                                    {"assigned", report.assigned_by_class[i]}};
      }
      for (Protocol p : kAllProtocols) {
        if (report.protocol && p != *report.protocol) continue;
        size_t i = static_cast<size_t>(p);
        r["assigned_by_transport"][std::string(to_string(p))] = report.assigned_by_protocol[i];
        r["in_top_ports"][std::string(to_string(p))] = report.top_in_range[i];
      }
      j["range"] = r;
      break;
    }
    case InfoReport::Kind::kService: {
      j["kind"] = "service";
      nlohmann::json s = {{"name", report.service}, {"iana", report.iana_service}};
      s["security_note"] = report.service_note ? note_json(*report.service_note) : nlohmann::json();
      s["common_ports"] = nlohmann::json::array();
      for (const CommonPort* c : report.service_common_ports) {
        nlohmann::json cj = {
            {"port", c->port_lo}, {"protocol", to_string(c->protocol)}, {"use", c->use}};
        if (c->port_hi != c->port_lo) cj["port_end"] = c->port_hi;
        s["common_ports"].push_back(cj);
      }
      j["service"] = s;
      break;
    }
  }
  j["ports"] = nlohmann::json::array();
  for (const PortInfo& info : report.ports) j["ports"].push_back(port_json(info));
  return j;
}

Result<std::string> describe(std::string_view query, const PortRegistry& registry) {
  auto report = query_info(query, registry);
  if (!report) return Unexpected(report.error());
  return render_info_text(*report);
}

Result<nlohmann::json> describe_json(std::string_view query, const PortRegistry& registry) {
  auto report = query_info(query, registry);
  if (!report) return Unexpected(report.error());
  return render_info_json(*report);
}

}  // namespace portolan
