#include "portolan/pipeline/output_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace portolan {

Result<std::unique_ptr<OutputSet>> OutputSet::create(
    const std::vector<OutputTarget>& targets, const OutputOptions& options, std::ostream* terminal,
    const std::vector<std::pair<std::string, uint64_t>>* resume) {
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
      auto mode = std::ios::out | std::ios::trunc;
      if (resume != nullptr) {
        auto it = std::find_if(resume->begin(), resume->end(),
                               [&](const auto& r) { return r.first == t.path; });
        if (it == resume->end()) {
          return fail(fmt::format("cannot resume: the checkpoint has no record of '{}'", t.path));
        }
        std::error_code ec;
        const auto size = std::filesystem::file_size(t.path, ec);
        if (ec || size < it->second) {
          return fail(ErrorKind::kIo,
                      fmt::format("cannot resume: output file '{}' is {} than the checkpoint "
                                  "records (was it moved or edited?)",
                                  t.path, ec ? "missing or unreadable rather" : "shorter"));
        }
        std::filesystem::resize_file(t.path, it->second, ec);
        if (ec) {
          return fail(ErrorKind::kIo,
                      fmt::format("cannot resume: cannot cut '{}' back: {}", t.path, ec.message()));
        }
        mode = std::ios::out | std::ios::app;
        sink.resumed = true;
      }
      sink.file = std::make_unique<std::ofstream>(t.path, mode);
      if (!*sink.file) {
        return fail(ErrorKind::kIo,
                    fmt::format("cannot open output file '{}': {}", t.path, std::strerror(errno)));
      }
      sink.buf = std::make_unique<MutableBuf>(sink.file->rdbuf());
      sink.file_stream = std::make_unique<std::ostream>(sink.buf.get());
      sink.stream = sink.file_stream.get();
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
  if (sink.file) sink.file->flush();
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
  for (auto& s : sinks_) {
    if (s.file == nullptr && before_stdout_) before_stdout_();
    if (s.resumed) s.buf->muted = true;
    s.writer->begin(run);
    s.stream->flush();
    if (s.resumed) s.buf->muted = false;
    check(s);
  }
}

std::vector<std::pair<std::string, uint64_t>> OutputSet::file_lengths() {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (auto& s : sinks_) {
    if (s.file == nullptr) continue;
    s.stream->flush();
    s.file->flush();
    std::error_code ec;
    const auto size = std::filesystem::file_size(s.path, ec);
    out.emplace_back(s.path, ec ? 0 : static_cast<uint64_t>(size));
  }
  return out;
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
