// Timing: nmap's -T0..-T5 templates and the options that override them.
//
// The meanings follow nmap's documentation: a template sets the RTT timeout
// bounds, retries, scan delay and parallelism; explicit options
// (--max-retries, --scan-delay, --min-rate, ...) override what a template set.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "portolan/core/result.h"

namespace portolan {

using Micros = std::chrono::microseconds;

struct TimingParams {
  int level = 3;                          // the -T template
  Micros initial_rtt_timeout{1'000'000};  // before any RTT is measured
  Micros min_rtt_timeout{100'000};
  Micros max_rtt_timeout{10'000'000};
  int max_retries = 10;  // retransmissions of an unanswered probe
  Micros scan_delay{0};  // pause between probes to one host
  Micros max_scan_delay{1'000'000};
  std::optional<Micros> host_timeout;  // give up on a host after this long
  std::optional<double> min_rate;      // probes per second, whole scan
  std::optional<double> max_rate;
  int min_parallelism = 1;  // probes in flight, whole scan
  int max_parallelism = 0;  // 0: chosen by the engine
  int min_hostgroup = 1;
  int max_hostgroup = 0;  // 0: chosen by the engine
};

// The template's values; fails on a level outside 0..5.
Result<TimingParams> timing_template(int level);

// Parses nmap time values: "500ms", "2s", "1m", "1h", bare numbers are seconds.
Result<Micros> parse_time_value(std::string_view text);

}  // namespace portolan
