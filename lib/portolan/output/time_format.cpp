// Time and duration text for reports.
#include "portolan/output/time_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace portolan {
namespace {

std::string local_strftime(WallClock::time_point t, const char* pattern) {
  const std::time_t secs = static_cast<std::time_t>(unix_seconds(t));
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[128];
  const size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

}  // namespace

int64_t unix_seconds(WallClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Zero-padded day ("Nov 01"), not ctime's space padding: what ndiff prints
// for the same field, so its banner and ours agree.
std::string report_date(WallClock::time_point t) {
  return local_strftime(t, "%a %b %d %H:%M:%S %Y");
}

std::string banner_date(WallClock::time_point t) {
  return local_strftime(t, "%Y-%m-%d %H:%M %Z");
}

std::string scanned_at_date(WallClock::time_point t) {
  return local_strftime(t, "%Y-%m-%d %H:%M:%S %Z");
}

std::string elapsed_seconds(double seconds) {
  return fmt::format("{:.2f}", seconds < 0 ? 0.0 : seconds);
}

std::string latency_seconds(std::chrono::microseconds latency) {
  const double secs = static_cast<double>(latency.count()) / 1e6;
  if (secs <= 0) return "0.0";
  // Round to two significant digits first, then choose the decimals from the
  // rounded value, so 0.000995 prints "0.0010" and not "0.00100".
  int exponent = static_cast<int>(std::floor(std::log10(secs)));
  const double scale = std::pow(10.0, 1 - exponent);
  const double rounded = std::round(secs * scale) / scale;
  exponent = static_cast<int>(std::floor(std::log10(rounded)));
  const int decimals = std::max(0, 1 - exponent);
  return fmt::format("{:.{}f}", rounded, decimals);
}

}  // namespace portolan
