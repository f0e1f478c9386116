// Reducing OS-detection replies to facts. See os_observation.h.
#include "portolan/os/os_observation.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace portolan {
namespace {

// The timestamp clocks stacks are known to use (RFC 7323 asks for 1 ms to
// 1 s per tick): old BSDs tick at 2 Hz, Linux before 4.13 at its HZ (100,
// 250, 1000), most current stacks at 1000.
constexpr std::array<int, 6> kCommonClocks = {2, 10, 100, 200, 250, 1000};

IpIdClass classify_ids(const std::vector<SynAckSample>& s) {
  if (s.size() < 3) return IpIdClass::kUnknown;
  bool all_zero = true, constant = true, incremental = true, broken = true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i].ip_id != 0) all_zero = false;
    if (i == 0) continue;
    const uint16_t step = static_cast<uint16_t>(s[i].ip_id - s[i - 1].ip_id);
    if (step != 0) constant = false;
    if (step == 0 || step > 5000) incremental = false;
    const uint16_t swapped_prev =
        static_cast<uint16_t>((s[i - 1].ip_id >> 8) | (s[i - 1].ip_id << 8));
    const uint16_t swapped = static_cast<uint16_t>((s[i].ip_id >> 8) | (s[i].ip_id << 8));
    const uint16_t swapped_step = static_cast<uint16_t>(swapped - swapped_prev);
    if (step % 256 != 0 || swapped_step == 0 || swapped_step > 5000) broken = false;
  }
  if (all_zero) return IpIdClass::kZero;
  if (constant) return IpIdClass::kConstant;
  // Steps that are all multiples of 256 are far likelier a byte-swapped
  // counter than a counter that happens to step by 256.
  if (broken) return IpIdClass::kBrokenIncremental;
  if (incremental) return IpIdClass::kIncremental;
  return IpIdClass::kRandom;
}

std::optional<int> timestamp_rate(const std::vector<SynAckSample>& s) {
  std::vector<const SynAckSample*> ts;
  for (const auto& x : s) {
    if (x.options.has_timestamp) ts.push_back(&x);
  }
  if (ts.empty()) return 0;
  if (ts.size() < 2 || ts.back()->received_ns <= ts.front()->received_ns) return std::nullopt;
  const double seconds =
      static_cast<double>(ts.back()->received_ns - ts.front()->received_ns) / 1e9;
  if (seconds < 0.2) return std::nullopt;  // too short to tell 100 Hz from 250
  // Every step must move forward at a plausible pace (RFC 7323: at most one
  // tick per millisecond, a little more for clock skew); anything else is an
  // offset drawn at random per connection.
  for (size_t i = 1; i < ts.size(); ++i) {
    const uint32_t step = ts[i]->options.tsval - ts[i - 1]->options.tsval;
    const double gap = static_cast<double>(ts[i]->received_ns - ts[i - 1]->received_ns) / 1e9;
    if (step > 0x7fffffffu || step > 2000 * gap + 50) return kRandomTimestamps;
  }
  const uint32_t ticks = ts.back()->options.tsval - ts.front()->options.tsval;
  if (ticks == 0) return 0;
  const double hz = ticks / seconds;
  int nearest = kCommonClocks.front();
  for (int c : kCommonClocks) {
    if (std::abs(std::log(hz / c)) < std::abs(std::log(hz / nearest))) nearest = c;
  }
  if (hz >= nearest * 0.75 && hz <= nearest * 1.25) return nearest;
  // A clock near no common rate: report it as measured, and no fingerprint
  // will claim it.
  return static_cast<int>(std::lround(hz));
}

std::string yes_no(bool b) {
  return b ? "1" : "0";
}

}  // namespace

std::string_view to_string(IpIdClass c) {
  switch (c) {
    case IpIdClass::kUnknown:
      return "Unknown";
    case IpIdClass::kZero:
      return "All zeros";
    case IpIdClass::kIncremental:
      return "Incremental";
    case IpIdClass::kBrokenIncremental:
      return "Broken little-endian incremental";
    case IpIdClass::kRandom:
      return "Randomized";
    case IpIdClass::kConstant:
      return "Constant";
  }
  return "Unknown";
}

std::string_view short_name(IpIdClass c) {
  switch (c) {
    case IpIdClass::kUnknown:
      return "U";
    case IpIdClass::kZero:
      return "Z";
    case IpIdClass::kIncremental:
      return "I";
    case IpIdClass::kBrokenIncremental:
      return "BI";
    case IpIdClass::kRandom:
      return "RD";
    case IpIdClass::kConstant:
      return "C";
  }
  return "U";
}

int initial_ttl(uint8_t ttl) {
  if (ttl <= 32) return 32;
  if (ttl <= 64) return 64;
  if (ttl <= 128) return 128;
  return 255;
}

OsObservation summarise(const OsProbeReplies& r) {
  OsObservation o;
  if (!r.syn_acks.empty()) {
    const SynAckSample& s = r.syn_acks.front();
    o.ttl = initial_ttl(s.ttl);
    o.hops = r.loopback ? 0 : *o.ttl - s.ttl + 1;
    o.df = s.df;
    o.window = s.window;
    o.options = option_order(s.options);
    o.wscale = s.options.has_wscale ? int{s.options.wscale} : -1;
    o.mss = s.options.has_mss ? s.options.mss : 0;
    o.timestamps = s.options.has_timestamp;
    o.ip_id = classify_ids(r.syn_acks);
    o.ts_hz = timestamp_rate(r.syn_acks);
    for (const auto& x : r.syn_acks) {
      if (x.options.has_timestamp) o.tsval = x.options.tsval;
    }
  }
  if (r.closed_rst) {
    o.rst_ttl = initial_ttl(r.closed_rst->ttl);
    o.rst_df = r.closed_rst->df;
    o.rst_window = r.closed_rst->window;
    if (o.hops < 0) o.hops = r.loopback ? 0 : *o.rst_ttl - r.closed_rst->ttl + 1;
  }
  if (r.ack_rst) o.ack_rst_window = r.ack_rst->window;
  if (r.echo) {
    o.echo_ttl = initial_ttl(r.echo->ttl);
    o.echo_df = r.echo->df;
    o.echo_code_kept = r.echo->code != 0;
  }
  if (r.unreachable) {
    o.unreachable_ttl = initial_ttl(r.unreachable->ttl);
    o.unreachable_full_quote = r.udp_sent_ip_length != 0 &&
                               r.unreachable->body_length >= r.udp_sent_ip_length &&
                               r.unreachable->quoted_ip_total_length == r.udp_sent_ip_length;
  }
  return o;
}

std::string describe(const OsObservation& o) {
  std::string out;
  if (o.ttl) {
    out += fmt::format("SYNACK ttl={} df={} win={} ops={} ws={} mss={}\n", *o.ttl, yes_no(*o.df),
                       *o.window, o.options->empty() ? "none" : *o.options,
                       *o.wscale < 0 ? std::string("none") : std::to_string(*o.wscale), *o.mss);
    std::string ts = "none";
    if (o.ts_hz && *o.ts_hz > 0) ts = fmt::format("{}HZ", *o.ts_hz);
    if (!o.ts_hz && *o.timestamps) ts = "unmeasured";
    if (o.ts_hz == kRandomTimestamps) ts = "random";
    if (o.ts_hz == 0 && *o.timestamps) ts = "constant";
    out += fmt::format("SEQ ipid={} ts={}\n", short_name(o.ip_id), ts);
  } else {
    out += "SYNACK none\n";
  }
  if (o.rst_ttl) {
    out += fmt::format("RST ttl={} df={} win={}\n", *o.rst_ttl, yes_no(*o.rst_df), *o.rst_window);
  } else {
    out += "RST none\n";
  }
  out += o.ack_rst_window ? fmt::format("ACKRST win={}\n", *o.ack_rst_window) : "ACKRST none\n";
  if (o.echo_ttl) {
    out += fmt::format("ECHO ttl={} df={} code={}\n", *o.echo_ttl, yes_no(*o.echo_df),
                       *o.echo_code_kept ? "kept" : "zero");
  } else {
    out += "ECHO none\n";
  }
  if (o.unreachable_ttl) {
    out += fmt::format("UNREACH ttl={} quote={}\n", *o.unreachable_ttl,
                       *o.unreachable_full_quote ? "full" : "partial");
  } else {
    out += "UNREACH none\n";
  }
  return out;
}

}  // namespace portolan
