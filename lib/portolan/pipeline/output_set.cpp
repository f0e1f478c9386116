#include "portolan/pipeline/output_set.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace portolan {

Result<std::unique_ptr<OutputSet>> OutputSet::create(const std::vector<OutputTarget>& targets,
                                                     const OutputOptions& options,
                                                     std::ostream* terminal) {
  std::unique_ptr<OutputSet> set(new OutputSet());
  bool stdout_claimed = false;
  for (const auto& t : targets) {
    auto format = find_report_format(t.format);
    if (!format) return Unexpected(format.error());
    Sink sink;
    sink.path = t.path;
    if (t.path == "-") {
      sink.stream = &std::cout;
      stdout_claimed = true;
    } else {
      sink.file = std::make_unique<std::ofstream>(t.path, std::ios::out | std::ios::trunc);
      if (!*sink.file) {
        return fail(ErrorKind::kIo,
                    fmt::format("cannot open output file '{}': {}", t.path, std::strerror(errno)));
      }
      sink.stream = sink.file.get();
    }
    sink.writer = (*format)->create(*sink.stream, options);
    set->sinks_.push_back(std::move(sink));
  }
  if (!stdout_claimed && terminal != nullptr) {
    auto format = find_report_format("normal");
    if (!format) return Unexpected(format.error());
    Sink sink;
    sink.path = "-";
    sink.stream = terminal;
    OutputOptions terminal_options = options;
    terminal_options.terminal = true;
    sink.writer = (*format)->create(*terminal, terminal_options);
    set->sinks_.push_back(std::move(sink));
  }
  return set;
}

void OutputSet::check(Sink& sink) {
  sink.stream->flush();
  if (!*sink.stream && write_error_.empty()) {
    write_error_ =
        fmt::format("cannot write to '{}': {}", sink.path == "-" ? "standard output" : sink.path,
                    std::strerror(errno));
  }
}

void OutputSet::write_each(const std::function<void(ReportWriter&)>& write) {
  for (auto& s : sinks_) {
    if (s.file == nullptr && before_stdout_) before_stdout_();
    write(*s.writer);
    check(s);
  }
}

void OutputSet::begin(const ScanRunInfo& run) {
  write_each([&](ReportWriter& w) { w.begin(run); });
}

void OutputSet::host(const HostResult& host) {
  write_each([&](ReportWriter& w) { w.host(host); });
}

void OutputSet::end(const ScanSummary& summary) {
  write_each([&](ReportWriter& w) { w.end(summary); });
}

Result<void> OutputSet::status() const {
  if (!write_error_.empty()) return fail(ErrorKind::kIo, write_error_);
  return {};
}

}  // namespace portolan
