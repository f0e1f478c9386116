// Scan fixtures for the output tests: fixed results rendered by every format.
//
// Each Scenario is one complete scan (run info, hosts, summary, options) with
// fixed timestamps, so its rendering is byte-stable and can be compared with
// a golden file (tests/output/golden/<scenario>.<ext>). Set
// PORTOLAN_UPDATE_GOLDEN=1 to rewrite the golden files from the current
// writers, then review the diff.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "portolan/output/report_writer.h"
#include "portolan/results/scan_result.h"

namespace portolan::testing {

inline constexpr int64_t kStartUnix = 1700000000;  // Tue Nov 14 22:13:20 2023 UTC

WallClock::time_point at(int64_t unix_seconds);

PortResult port(uint16_t number, PortState state, Reason reason, std::string service = "",
                Protocol protocol = Protocol::kTcp);

// A connect scan of `services` ("1-1000"), `count` ports, typed as `args`.
ScanRunInfo connect_run(const std::string& args, uint32_t count, const std::string& services);
ScanSummary summary(uint64_t up, uint64_t down, uint64_t total, double elapsed);

// 127.0.0.1 "localhost" (PTR), up, ports 1-1000: 22/ssh and 80/http open,
// the rest closed (conn-refused).
HostResult localhost_host();

struct Scenario {
  std::string name;
  ScanRunInfo run;
  OutputOptions options;
  std::vector<HostResult> hosts;
  ScanSummary summary;
};

// Every golden scenario.
std::vector<Scenario> all_scenarios();
const Scenario& scenario(const std::string& name);

// Renders `s` with the registered format `format`.
std::string render(const std::string& format, const Scenario& s);
std::string render(const std::string& format, const ScanRunInfo& run,
                   const std::vector<HostResult>& hosts, const ScanSummary& summary,
                   const OutputOptions& options);

// Compares `actual` with tests/output/golden/<file>, or rewrites it when
// PORTOLAN_UPDATE_GOLDEN=1. Returns a gtest failure message, empty on match.
std::string check_golden(const std::string& file, const std::string& actual);

// A fresh directory for files handed to external tools.
std::filesystem::path scratch_dir(const std::string& name);
void write_file(const std::filesystem::path& path, const std::string& text);

// Runs a shell command; returns its exit status and captures stdout+stderr.
struct CommandResult {
  int status = -1;
  std::string output;
};
CommandResult run_command(const std::string& command);

}  // namespace portolan::testing
