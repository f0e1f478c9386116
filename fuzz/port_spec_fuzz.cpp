// Fuzz target for nmap port syntax: parse_port_spec and select_ports.
//
// Input: "<-p spec>\n<--exclude-ports spec>" (the exclude part optional). Both
// are untrusted command-line text. Besides "no crash, no UB", it checks that
// errors stay one line and that a parsed set survives the round trip through
// its compressed form (what -oX writes in <scaninfo services=...>).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "portolan/ports/port_order.h"
#include "portolan/ports/port_spec.h"
#include "portolan/registry/port_registry.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// Errors reach the terminal as one line: no newline, no control characters
// (user input inside them is escaped), and short even for huge input.
void check_error(const portolan::Error& e) {
  const std::string& m = e.message();
  check(!m.empty() && m.size() < 512);
  for (char c : m) check(c >= 0x20 && c < 0x7f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace portolan;
  const auto& registry = PortRegistry::builtin();
  const std::vector<Protocol> protocols = {Protocol::kTcp, Protocol::kUdp};
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view spec = input.substr(0, newline);

  auto parsed = parse_port_spec(spec, protocols, registry);
  if (!parsed) {
    check_error(parsed.error());
  } else {
    for (Protocol p : protocols) {
      std::string text = parsed->compressed(p);
      if (text.empty()) continue;
      auto again = parse_port_spec(text, {p}, registry);
      check(again.has_value());
      check(again->compressed(p) == text);
    }
    // Shuffling -p- costs ~1 ms under the sanitizers; ordering is not parsing,
    // so only small sets go through it to keep the fuzzer fast.
    if (parsed->count(Protocol::kTcp) <= 4096) {
      auto order = scan_order(*parsed, Protocol::kTcp, PortOrder::kRandom, size, registry);
      check(order.size() == parsed->count(Protocol::kTcp));
    }
  }

  PortSelection selection;
  selection.spec = std::string(spec);
  if (newline != std::string_view::npos)
    selection.exclude_spec = std::string(input.substr(newline + 1));
  auto selected = select_ports(selection, protocols, registry);
  if (!selected) {
    check_error(selected.error());
  } else {
    check(!selected->empty());
    check(parsed.has_value());
  }
  return 0;
}
