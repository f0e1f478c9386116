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
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/output/report_writer.h"
#include "portolan/pipeline/scan_request.h"

namespace portolan {

class OutputSet final : public ReportWriter {
 public:
  // `terminal`: where the human-readable report goes when nothing claims
  // standard output (normally std::cout); null for none.
  // `resume`: continue files a checkpointed run left (each is cut back to
  // the recorded length and appended to; begin() writes nothing to them).
  static Result<std::unique_ptr<OutputSet>> create(
      const std::vector<OutputTarget>& targets, const OutputOptions& options,
      std::ostream* terminal,
      const std::vector<std::pair<std::string, uint64_t>>* resume = nullptr);

  // Every output file with its current length, everything written so far
  // flushed: what a checkpoint records.
  std::vector<std::pair<std::string, uint64_t>> file_lengths();

  // Called before anything is written to standard output, e.g. to erase a
  // progress line drawn on the same terminal.
  void set_before_stdout_write(std::function<void()> hook) { before_stdout_ = std::move(hook); }

  void begin(const ScanRunInfo& run) override;
  void host(const HostResult& host) override;
  void end(const ScanSummary& summary) override;

  // The first write failure (disk full, closed pipe), if any.
  Result<void> status() const;

 private:
  // Forwards to a file or stream, or swallows what is written while muted
  // (a resumed file's header is already there).
  class MutableBuf : public std::streambuf {
   public:
    explicit MutableBuf(std::streambuf* target) : target_(target) {}
    bool muted = false;

   protected:
    int_type overflow(int_type c) override {
      if (muted || traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
      return target_->sputc(traits_type::to_char_type(c));
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      return muted ? n : target_->sputn(s, n);
    }
    int sync() override { return target_->pubsync(); }

   private:
    std::streambuf* target_;
  };
  struct Sink {
    std::string path;
    std::unique_ptr<std::ofstream> file;  // null for standard output
    std::unique_ptr<MutableBuf> buf;      // over the file, for files
    std::unique_ptr<std::ostream> file_stream;
    std::ostream* stream = nullptr;
    std::unique_ptr<ReportWriter> writer;
    bool resumed = false;
  };
  OutputSet() = default;
  void check(Sink& sink);

  void write_each(const std::function<void(ReportWriter&)>& write);

  std::vector<Sink> sinks_;
  std::function<void()> before_stdout_;
  std::string write_error_;
};

}  // namespace portolan
