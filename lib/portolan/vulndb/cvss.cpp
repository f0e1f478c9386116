// CVSS v3.x base score; see cvss.h. The metric weights are the constants of
// the CVSS v3.1 specification, section 7.4.
#include "portolan/vulndb/cvss.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>

namespace portolan::vulndb {
namespace {

// Roundup (Appendix A of v3.1): the smallest number with one decimal equal to
// or higher than its input, computed on integers to avoid 4.000000001 -> 4.1.
double roundup(double value) {
  const auto scaled = static_cast<int64_t>(std::llround(value * 100000.0));
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return (std::floor(static_cast<double>(scaled) / 10000.0) + 1.0) / 10.0;
}

// The weight of `value` for `metric`, or a negative number when invalid.
double weight(std::string_view metric, char value, bool scope_changed) {
  if (metric == "AV") {
    switch (value) {
      case 'N':
        return 0.85;
      case 'A':
        return 0.62;
      case 'L':
        return 0.55;
      case 'P':
        return 0.2;
      default:
        return -1;
    }
  }
  if (metric == "AC") {
    switch (value) {
      case 'L':
        return 0.77;
      case 'H':
        return 0.44;
      default:
        return -1;
    }
  }
  if (metric == "PR") {
    switch (value) {
      case 'N':
        return 0.85;
      case 'L':
        return scope_changed ? 0.68 : 0.62;
      case 'H':
        return scope_changed ? 0.5 : 0.27;
      default:
        return -1;
    }
  }
  if (metric == "UI") {
    switch (value) {
      case 'N':
        return 0.85;
      case 'R':
        return 0.62;
      default:
        return -1;
    }
  }
  // C, I, A
  switch (value) {
    case 'H':
      return 0.56;
    case 'L':
      return 0.22;
    case 'N':
      return 0.0;
    default:
      return -1;
  }
}

}  // namespace

Result<double> cvss3_base_score(std::string_view vector) {
  std::string_view rest = vector;
  if (rest.starts_with("CVSS:3.1/") || rest.starts_with("CVSS:3.0/")) {
    rest.remove_prefix(9);
  } else if (rest.starts_with("CVSS:")) {
    return fail("unsupported CVSS version in '" + std::string(vector.substr(0, 16)) + "'");
  }
  static constexpr std::string_view kBase[] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
  std::map<std::string, char, std::less<>> metrics;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 2 != part.size()) {
      return fail(fmt::format("malformed CVSS metric '{}'", part));
    }
    const std::string name(part.substr(0, colon));
    if (!metrics.emplace(name, part[colon + 1]).second) {
      return fail(fmt::format("CVSS metric {} given twice", name));
    }
  }
  for (std::string_view m : kBase) {
    if (metrics.find(m) == metrics.end()) return fail(fmt::format("CVSS vector lacks {}", m));
  }
  const char scope = metrics.find("S")->second;
  if (scope != 'U' && scope != 'C') return fail(fmt::format("invalid CVSS value S:{}", scope));
  const bool changed = scope == 'C';
  double w[8] = {};
  for (size_t k = 0; k < 8; ++k) {
    if (k == 4) continue;  // S
    const char value = metrics.find(kBase[k])->second;
    w[k] = weight(kBase[k], value, changed);
    if (w[k] < 0) return fail(fmt::format("invalid CVSS value {}:{}", kBase[k], value));
  }
  const double iss = 1.0 - (1.0 - w[5]) * (1.0 - w[6]) * (1.0 - w[7]);
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * w[0] * w[1] * w[2] * w[3];
  if (impact <= 0) return 0.0;
  if (changed) return roundup(std::min(1.08 * (impact + exploitability), 10.0));
  return roundup(std::min(impact + exploitability, 10.0));
}

Severity severity_from_score(double score) {
  if (score >= 9.0) return Severity::kCritical;
  if (score >= 7.0) return Severity::kHigh;
  if (score >= 4.0) return Severity::kMedium;
  if (score >= 0.1) return Severity::kLow;
  return Severity::kInfo;
}

}  // namespace portolan::vulndb
