#include "portolan/pipeline/progress_reporter.h"

#include <fmt/format.h>

#include <cmath>

namespace portolan {
namespace {

std::string grouped(uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  int n = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (n > 0 && n % 3 == 0) out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    ++n;
  }
  return out;
}

std::string clock_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  auto total = static_cast<uint64_t>(seconds + 0.5);
  if (total >= 3600)
    return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

}  // namespace

ProgressSnapshot snapshot(const ScanProgress& p) {
  ProgressSnapshot s;
  s.ports_total = p.ports_total.load(std::memory_order_relaxed);
  s.ports_done = p.ports_done.load(std::memory_order_relaxed);
  s.probes_sent = p.probes_sent.load(std::memory_order_relaxed);
  s.open_found = p.open_found.load(std::memory_order_relaxed);
  s.hosts_total = p.hosts_total.load(std::memory_order_relaxed);
  s.hosts_done = p.hosts_done.load(std::memory_order_relaxed);
  s.services_total = p.services_total.load(std::memory_order_relaxed);
  s.services_done = p.services_done.load(std::memory_order_relaxed);
  s.audit_total = p.audit_total.load(std::memory_order_relaxed);
  s.audit_done = p.audit_done.load(std::memory_order_relaxed);
  return s;
}

std::string format_progress(const ProgressSnapshot& s, std::chrono::duration<double> elapsed,
                            double rate) {
  if (s.audit_done < s.audit_total) {
    // The audit runs after service detection.
    return fmt::format("Audit: {} of {} ports done", grouped(s.audit_done), grouped(s.audit_total));
  }
  if (s.services_done < s.services_total) {
    // Service detection runs after a group's port scan.
    return fmt::format("Service scan: {} of {} services done, {} open ports found",
                       grouped(s.services_done), grouped(s.services_total), grouped(s.open_found));
  }
  const uint64_t done = std::min(s.ports_done, s.ports_total);
  const double fraction =
      s.ports_total ? static_cast<double>(done) / static_cast<double>(s.ports_total) : 0.0;
  std::string eta = "?";
  if (done > 0 && done < s.ports_total) {
    eta = clock_text(elapsed.count() * static_cast<double>(s.ports_total - done) /
                     static_cast<double>(done));
  } else if (s.ports_total > 0 && done == s.ports_total) {
    eta = "0:00";
  }
  std::string hosts;
  if (s.hosts_total > 1) {
    hosts = fmt::format(", {} of {} hosts done", grouped(s.hosts_done), grouped(s.hosts_total));
  }
  return fmt::format("Connect scan: {:.1f}% done ({} of {} ports{}), {} probes/s, ETA {}, {} open",
                     fraction * 100.0, grouped(done), grouped(s.ports_total), hosts,
                     grouped(static_cast<uint64_t>(rate + 0.5)), eta, grouped(s.open_found));
}

ProgressReporter::ProgressReporter(const ScanProgress& progress, FILE* out, bool live,
                                   std::optional<Micros> every)
    : progress_(progress),
      out_(out),
      live_(live),
      every_(every),
      start_(std::chrono::steady_clock::now()) {
  if (live_ || every_) thread_ = std::thread([this] { run(); });
}

ProgressReporter::~ProgressReporter() {
  stop();
}

void ProgressReporter::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (drew_line_) {
    std::fputs("\r\x1b[K", out_);
    std::fflush(out_);
  }
}

void ProgressReporter::clear_line() {
  std::lock_guard lock(mu_);
  if (!drew_line_) return;
  std::fputs("\r\x1b[K", out_);
  std::fflush(out_);
  drew_line_ = false;
}

void ProgressReporter::run() {
  using namespace std::chrono;
  const auto tick = milliseconds(250);
  auto next_stats = every_ ? steady_clock::now() + *every_ : steady_clock::time_point::max();
  uint64_t last_probes = 0;
  auto last_time = start_;
  double rate = 0;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, tick, [this] { return stopping_; });
    if (stopping_) break;
    const auto now = steady_clock::now();
    const ProgressSnapshot s = snapshot(progress_);
    const double dt = duration<double>(now - last_time).count();
    if (dt > 0) {
      // Exponential smoothing keeps the rate readable when probes come in bursts.
      const double instant = static_cast<double>(s.probes_sent - last_probes) / dt;
      rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
    }
    last_probes = s.probes_sent;
    last_time = now;
    const std::string line = format_progress(s, now - start_, rate);
    if (now >= next_stats) {
      std::fprintf(out_, "%sStats: %s elapsed; %s\n", live_ && drew_line_ ? "\r\x1b[K" : "",
                   clock_text(duration<double>(now - start_).count()).c_str(), line.c_str());
      next_stats = now + *every_;
    }
    if (live_) {
      std::fprintf(out_, "\r\x1b[K%s", line.c_str());
      drew_line_ = true;
    }
    std::fflush(out_);
  }
}

}  // namespace portolan
