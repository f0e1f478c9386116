#include "portolan/audit/check.h"

#include <algorithm>

#include <fmt/format.h>

namespace portolan::audit {

std::string_view to_string(Category c) {
  switch (c) {
    case Category::kCleartext:
      return "cleartext";
    case Category::kUnauthenticated:
      return "unauthenticated";
    case Category::kTls:
      return "tls";
    case Category::kSsh:
      return "ssh";
    case Category::kExposure:
      return "exposure";
    case Category::kVulnerability:
      return "vulnerability";
  }
  return "exposure";
}

Finding make_finding(const CheckInfo& check, const PortContext& ctx, Severity severity,
                     std::string title, std::string evidence, std::string remediation,
                     std::string_view subject) {
  Finding f;
  f.check = check.id;
  f.id = subject.empty() ? check.id : fmt::format("{}:{}", check.id, subject);
  f.severity = severity;
  f.protocol = ctx.port.protocol;
  f.port = ctx.port.port;
  f.title = std::move(title);
  f.evidence = std::move(evidence);
  f.remediation = std::move(remediation);
  return f;
}

std::string printable_evidence(std::string_view bytes, size_t max) {
  std::string out;
  for (unsigned char c : bytes) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool service_or_port(const PortContext& ctx, std::initializer_list<std::string_view> names,
                     std::initializer_list<uint16_t> ports, Protocol protocol) {
  if (ctx.port.protocol != protocol) return false;
  if (!ctx.service.name.empty()) {
    return std::find(names.begin(), names.end(), ctx.service.name) != names.end();
  }
  return std::find(ports.begin(), ports.end(), ctx.port.port) != ports.end();
}

}  // namespace portolan::audit
