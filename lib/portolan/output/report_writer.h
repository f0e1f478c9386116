// ReportWriter: one output format (normal, XML, grepable, JSON lines).
//
// Writers read the result model and nothing else. A scan calls begin() once,
// host() once per finished target, in the order targets finish, and end()
// once. A writer streams: it may hold a host's ports while formatting that
// host, never the whole scan. Formats declare themselves in the registry
// (output_registry.h), so a new format is one file and one registration line.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/results/scan_result.h"

namespace portolan {

struct OutputOptions {
  int verbosity = 0;         // -v count
  int debugging = 0;         // -d count
  bool open_only = false;    // --open: show only (possibly) open ports
  bool show_reason = false;  // --reason (also implied by -vv and -d, as nmap)
  // Ports of one state above this count collapse into "Not shown" / <extraports>.
  // This is the base at verbosity 0; like nmap 7.93 the effective limit is
  // base * (1 + verbosity + 20 * debugging), and -ddd collapses nothing
  // (measured: 25 at -v0, 50 at -v, 75 at -vv, 550 at -d with its implied -v).
  int collapse_threshold = 25;
  // The normal format written to a terminal rather than to an -oN file: a
  // "Starting Portolan" banner and "Portolan done:" instead of the '#' lines.
  bool terminal = false;
};

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual void begin(const ScanRunInfo& run) = 0;
  virtual void host(const HostResult& host) = 0;
  virtual void end(const ScanSummary& summary) = 0;
};

// A format's factory: builds a writer over an output stream it does not own.
using ReportWriterFactory =
    std::function<std::unique_ptr<ReportWriter>(std::ostream& out, const OutputOptions& options)>;

struct ReportFormat {
  std::string name;       // "normal", "xml", "grepable", "json"
  std::string extension;  // for -oA: "nmap", "xml", "gnmap"; empty if not part of -oA
  ReportWriterFactory create;
};

// Every registered format.
const std::vector<ReportFormat>& report_formats();
Result<const ReportFormat*> find_report_format(std::string_view name);

}  // namespace portolan
