// The registry of report formats: name, -oA extension, factory.
#include "portolan/output/output_registry.h"

#include <fmt/format.h>

namespace portolan {

const std::vector<ReportFormat>& report_formats() {
  // Order is -oA's order of files, then formats outside -oA.
  static const std::vector<ReportFormat> formats = {
      {"normal", "nmap", make_normal_writer},
      {"xml", "xml", make_xml_writer},
      {"grepable", "gnmap", make_grepable_writer},
      {"json", "", make_json_writer},
  };
  return formats;
}

Result<const ReportFormat*> find_report_format(std::string_view name) {
  std::string known;
  for (const auto& f : report_formats()) {
    if (f.name == name) return &f;
    known += known.empty() ? f.name : ", " + f.name;
  }
  return fail(ErrorKind::kInvalidArgument,
              fmt::format("unknown output format '{}' (known: {})", name, known));
}

}  // namespace portolan
