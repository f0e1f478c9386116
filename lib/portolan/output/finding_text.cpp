#include "portolan/output/finding_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

#include <fmt/format.h>

namespace portolan {

std::string severity_label(Severity s) {
  std::string label(to_string(s));
  std::transform(label.begin(), label.end(), label.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return label;
}

namespace {

void add_field(std::vector<std::string>& lines, std::string_view name, const std::string& text) {
  if (text.empty()) return;
  std::istringstream in(text);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    lines.push_back(first ? fmt::format("{}: {}", name, line) : fmt::format("  {}", line));
    first = false;
  }
}

}  // namespace

std::vector<std::string> finding_lines(const Finding& f) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("{}: {}", severity_label(f.severity), f.title));
  add_field(lines, "evidence", f.evidence);
  add_field(lines, "fix", f.remediation);
  if (!f.references.empty())
    lines.push_back(fmt::format("references: {}", fmt::join(f.references, ", ")));
  return lines;
}

std::string findings_summary(const std::vector<Finding>& findings) {
  if (findings.empty()) return "no findings";
  std::array<size_t, 5> count{};
  for (const auto& f : findings) ++count[static_cast<size_t>(f.severity)];
  std::vector<std::string> parts;
  for (int s = 4; s >= 0; --s) {
    if (count[static_cast<size_t>(s)] != 0) {
      parts.push_back(
          fmt::format("{} {}", count[static_cast<size_t>(s)], to_string(static_cast<Severity>(s))));
    }
  }
  return fmt::format("{} finding{}: {}", findings.size(), findings.size() == 1 ? "" : "s",
                     fmt::join(parts, ", "));
}

}  // namespace portolan
