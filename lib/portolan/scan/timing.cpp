// nmap's timing templates and its time-value syntax.
//
// The template values are the ones nmap documents in "Timing and Performance"
// (-T0 paranoid .. -T5 insane). A template is only a starting point: the
// caller applies explicit options (--max-retries, --scan-delay, ...) on top.
#include "portolan/scan/timing.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace portolan {

namespace {

constexpr Micros kMs{1'000};
constexpr Micros kSecond{1'000'000};
constexpr Micros kMinute = 60 * kSecond;

}  // namespace

Result<TimingParams> timing_template(int level) {
  if (level < 0 || level > 5) {
    return fail("invalid timing template -T" + std::to_string(level) + ": expected 0 to 5");
  }
  TimingParams t;  // the defaults are -T3 "normal"
  t.level = level;
  switch (level) {
    case 0:  // paranoid: serial, five minutes between probes
      t.scan_delay = 5 * kMinute;
      t.initial_rtt_timeout = 5 * kMinute;
      t.max_parallelism = 1;
      break;
    case 1:  // sneaky: serial, 15 seconds between probes
      t.scan_delay = 15 * kSecond;
      t.initial_rtt_timeout = 15 * kSecond;
      t.max_parallelism = 1;
      break;
    case 2:  // polite: serial, 0.4 seconds between probes
      t.scan_delay = 400 * kMs;
      t.max_parallelism = 1;
      break;
    case 3:
      break;
    case 4:  // aggressive
      t.max_rtt_timeout = 1250 * kMs;
      t.min_rtt_timeout = 100 * kMs;
      t.initial_rtt_timeout = 500 * kMs;
      t.max_retries = 6;
      t.max_scan_delay = 10 * kMs;
      break;
    case 5:  // insane
      t.max_rtt_timeout = 300 * kMs;
      t.min_rtt_timeout = 50 * kMs;
      t.initial_rtt_timeout = 250 * kMs;
      t.max_retries = 2;
      t.host_timeout = 15 * kMinute;
      t.max_scan_delay = 5 * kMs;
      break;
    default:
      break;
  }
  return t;
}

Result<Micros> parse_time_value(std::string_view text) {
  auto bad = [&](const char* why) {
    return fail("invalid time value '" + std::string(text) + "': " + why);
  };
  if (text.empty()) return bad("empty");

  // Digits with an optional fraction, then an optional unit. Parsed by hand:
  // strtod would also take signs, exponents, "inf" and leading blanks.
  size_t i = 0;
  uint64_t whole = 0;
  size_t whole_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > (std::numeric_limits<uint64_t>::max() - 9) / 10) return bad("too large");
    whole = whole * 10 + static_cast<uint64_t>(text[i] - '0');
    ++i;
    ++whole_digits;
  }
  double fraction = 0;
  size_t fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    double scale = 0.1;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      fraction += scale * (text[i] - '0');
      scale /= 10;
      ++i;
      ++fraction_digits;
    }
  }
  if (whole_digits + fraction_digits == 0) {
    return bad(text[0] == '-' ? "must not be negative" : "expected a number");
  }

  std::string_view unit = text.substr(i);
  double micros_per_unit;
  if (unit.empty() || unit == "s") {
    micros_per_unit = 1e6;
  } else if (unit == "ms") {
    micros_per_unit = 1e3;
  } else if (unit == "m") {
    micros_per_unit = 60e6;
  } else if (unit == "h") {
    micros_per_unit = 3600e6;
  } else {
    return bad("unknown unit (use ms, s, m or h)");
  }

  double micros = (static_cast<double>(whole) + fraction) * micros_per_unit;
  // A year is far beyond any sensible timeout and far below int64 overflow.
  constexpr double kLimit = 366.0 * 24 * 3600e6;
  if (!(micros <= kLimit)) return bad("too large");
  return Micros{static_cast<int64_t>(std::llround(micros))};
}

}  // namespace portolan
