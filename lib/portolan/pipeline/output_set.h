// OutputSet: every report a scan writes, opened before the scan starts.
//
// Files are created up front so a bad path fails before any probe is sent.
// Each host is handed to every writer and flushed at once, so a scan that is
// interrupted leaves complete host records behind. The terminal gets the
// normal format unless some format was sent to standard output ("-"), as nmap.
#pragma once

#include <fstream>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/output/report_writer.h"
#include "portolan/pipeline/scan_request.h"

namespace portolan {

class OutputSet final : public ReportWriter {
 public:
  // `terminal`: where the human-readable report goes when nothing claims
  // standard output (normally std::cout); null for none.
  static Result<std::unique_ptr<OutputSet>> create(const std::vector<OutputTarget>& targets,
                                                   const OutputOptions& options,
                                                   std::ostream* terminal);

  // Called before anything is written to standard output, e.g. to erase a
  // progress line drawn on the same terminal.
  void set_before_stdout_write(std::function<void()> hook) { before_stdout_ = std::move(hook); }

  void begin(const ScanRunInfo& run) override;
  void host(const HostResult& host) override;
  void end(const ScanSummary& summary) override;

  // The first write failure (disk full, closed pipe), if any.
  Result<void> status() const;

 private:
  struct Sink {
    std::string path;
    std::unique_ptr<std::ofstream> file;  // null for standard output
    std::ostream* stream = nullptr;
    std::unique_ptr<ReportWriter> writer;
  };
  OutputSet() = default;
  void check(Sink& sink);

  void write_each(const std::function<void(ReportWriter&)>& write);

  std::vector<Sink> sinks_;
  std::function<void()> before_stdout_;
  std::string write_error_;
};

}  // namespace portolan
