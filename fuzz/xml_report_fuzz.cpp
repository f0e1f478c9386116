// A scan report (`portolan audit FILE.xml`) read back into the result model:
// any bytes must give a report or one error, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "portolan/results/xml_report_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto report = portolan::read_xml_report(xml, "fuzz.xml");
  if (!report) {
    // Errors are one line.
    if (report.error().message().find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  size_t ports = 0;
  for (const auto& host : report->hosts) {
    ports += host.ports.size();
    if (host.ports.size() > portolan::kMaxXmlPortsPerHost) __builtin_trap();
  }
  return ports == SIZE_MAX ? 1 : 0;
}
