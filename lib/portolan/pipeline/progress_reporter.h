// ProgressReporter: tells a person how far a long scan has got.
//
// A background thread samples ScanProgress. On a terminal it redraws one line
// ("\r" + erase) about four times a second; with --stats-every it also prints
// a full line at that interval, to any stream, as nmap's --stats-every does.
// The line itself comes from format_progress(), a pure function, so tests
// check the text without waiting for the thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "portolan/scan/scan_progress.h"
#include "portolan/scan/timing.h"

namespace portolan {

struct ProgressSnapshot {
  uint64_t ports_total = 0;
  uint64_t ports_done = 0;
  uint64_t probes_sent = 0;
  uint64_t open_found = 0;
  uint64_t hosts_total = 0;
  uint64_t hosts_done = 0;
  uint64_t services_total = 0;  // -sV
  uint64_t services_done = 0;
  uint64_t audit_total = 0;
  uint64_t audit_done = 0;
};

ProgressSnapshot snapshot(const ScanProgress& progress);

// "Connect scan: 42.1% done (27,561 of 65,535 ports), 12,345 probes/s, ETA 0:03, 2 open"
// `elapsed` is time since the scan started; `rate` probes per second.
std::string format_progress(const ProgressSnapshot& s, std::chrono::duration<double> elapsed,
                            double rate);

class ProgressReporter {
 public:
  // `live`: redraw a status line (stderr is a terminal). `every`: --stats-every.
  ProgressReporter(const ScanProgress& progress, FILE* out, bool live, std::optional<Micros> every);
  ~ProgressReporter();  // stops the thread and erases the live line

  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  void stop();

  // Erases the live line so other output to the same terminal starts on a
  // clean line; the next tick draws it again below that output.
  void clear_line();

 private:
  void run();

  const ScanProgress& progress_;
  FILE* out_;
  bool live_;
  std::optional<Micros> every_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool drew_line_ = false;
  std::thread thread_;
};

}  // namespace portolan
