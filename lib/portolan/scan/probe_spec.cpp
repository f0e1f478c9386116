#include "portolan/scan/probe_spec.h"

#include <fmt/format.h>

#include "portolan/ports/port_number.h"

namespace portolan {

Result<std::vector<ProbeSpec>> parse_discovery_probe(const std::string& flag,
                                                     const std::string& ports) {
  std::vector<ProbeSpec> out;
  if (flag == "PE") return std::vector<ProbeSpec>{{ProbeKind::kIcmpEcho, 0}};
  if (flag == "PP") return std::vector<ProbeSpec>{{ProbeKind::kIcmpTimestamp, 0}};
  ProbeKind kind;
  uint16_t default_port;
  if (flag == "PS") {
    kind = ProbeKind::kTcpSyn;
    default_port = 80;
  } else if (flag == "PA") {
    kind = ProbeKind::kTcpAck;
    default_port = 80;
  } else if (flag == "PU") {
    kind = ProbeKind::kUdp;
    default_port = 40125;
  } else {
    return fail(fmt::format("-{} is not supported (use -PE, -PP, -PS, -PA, -PU or -PR)", flag));
  }
  if (ports.empty()) return std::vector<ProbeSpec>{{kind, default_port}};
  size_t start = 0;
  while (start <= ports.size()) {
    size_t comma = ports.find(',', start);
    if (comma == std::string::npos) comma = ports.size();
    const std::string item = ports.substr(start, comma - start);
    const size_t dash = item.find('-');
    auto first = parse_port_number(item.substr(0, dash));
    auto last = dash == std::string::npos ? first : parse_port_number(item.substr(dash + 1));
    if (!first || !last || *first > *last || *first == 0) {
      return fail(fmt::format("-{}: invalid port list '{}'", flag, ports.substr(0, 64)));
    }
    for (uint32_t p = *first; p <= *last; ++p) {
      ProbeSpec s{kind, static_cast<uint16_t>(p)};
      bool dup = false;
      for (const auto& o : out) dup = dup || o == s;
      if (!dup) out.push_back(s);
      if (out.size() > 1024) {
        return fail(fmt::format("-{}: more than 1024 discovery ports", flag));
      }
    }
    start = comma + 1;
  }
  return out;
}

std::vector<ProbeSpec> default_discovery_probes(bool ipv6) {
  std::vector<ProbeSpec> probes = {
      {ProbeKind::kIcmpEcho, 0}, {ProbeKind::kTcpSyn, 443}, {ProbeKind::kTcpAck, 80}};
  if (!ipv6) probes.push_back({ProbeKind::kIcmpTimestamp, 0});
  return probes;
}

}  // namespace portolan
