#include "portolan/results/finding.h"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace portolan {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (Severity s :
       {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    if (lower == to_string(s)) return s;
  }
  return std::nullopt;
}

bool finding_before(const Finding& a, const Finding& b) {
  return std::make_tuple(-static_cast<int>(a.severity), a.port, a.protocol,
                         std::string_view(a.id)) <
         std::make_tuple(-static_cast<int>(b.severity), b.port, b.protocol, std::string_view(b.id));
}

}  // namespace portolan
