// The built-in OS fingerprints and the scorer. See os_fingerprints.h; the
// reasoning behind every value is in docs/os-detection.md.
#include "portolan/os/os_fingerprints.h"

#include <fmt/format.h>

#include <algorithm>

namespace portolan {
namespace {

// What each test is worth. The option order and initial TTL are chosen by
// the stack's code and survive the path; the window follows buffer sysctls;
// the rest are single bits a firewall or a sysctl can flip.
struct Weights {
  static constexpr int kTtl = 20;
  static constexpr int kDf = 8;
  static constexpr int kWindow = 12;
  static constexpr int kOptions = 25;
  static constexpr int kWscale = 10;
  static constexpr int kIpId = 8;
  static constexpr int kTsHz = 8;
  static constexpr int kRstTtl = 5;
  static constexpr int kRstDf = 3;
  static constexpr int kRstWindow = 3;
  static constexpr int kAckRstWindow = 3;
  static constexpr int kEchoTtl = 8;
  static constexpr int kEchoDf = 3;
  static constexpr int kEchoCode = 4;
  static constexpr int kUnreachableQuote = 3;
};

OsClass os_class(std::string type, std::string vendor, std::string family, std::string generation,
                 std::vector<std::string> cpe) {
  OsClass c;
  c.type = std::move(type);
  c.vendor = std::move(vendor);
  c.family = std::move(family);
  c.generation = std::move(generation);
  c.cpe = std::move(cpe);
  return c;
}

std::vector<OsFingerprint> make_set() {
  std::vector<OsFingerprint> set;
  const std::string gp = "general purpose";

  // Linux since 4.13: timestamps in milliseconds from a random offset per
  // connection (so they jump between our SYNs); the initial receive window
  // of 4.19+ (tcp_rmem default 131072) gives 65160 for a 1460 MSS with
  // timestamps, 64240 without, and 65483 on loopback (MSS 65495 minus the 12
  // timestamp bytes).
  set.push_back(OsFingerprint{
      .name = "Linux 4.15 - 6.x",
      .classes = {os_class(gp, "Linux", "Linux", "4.X", {"cpe:/o:linux:linux_kernel:4"}),
                  os_class(gp, "Linux", "Linux", "5.X", {"cpe:/o:linux:linux_kernel:5"}),
                  os_class(gp, "Linux", "Linux", "6.X", {"cpe:/o:linux:linux_kernel:6"})},
      .ttl = {64},
      .df = true,
      .window = {{64240, 64240},
                 {65160, 65160},
                 {65483, 65483},
                 {43690, 43690},
                 {42340, 42340},
                 {28960, 29200}},
      .options = {"MSS,SACK,TS,NOP,WS"},
      .wscale = {7, 8, 9, 10, 11, 12, 13, 14},
      .ip_id = {IpIdClass::kZero},
      .ts_hz = {kRandomTimestamps},
      .rst_df = true,
      .rst_window = {0},
      .ack_rst_window = {0},
      .echo_ttl = {64},
      .echo_df = {},
      .echo_code_kept = true,
      .unreachable_full_quote = true,
      .random_ts_offset = true,
  });
  // Linux 2.6.32 - 4.12: smaller initial windows (10 x MSS before tcp_rmem
  // grew: 14480/14600, or 20 x: 28960/29200; 5792/5840 on older 2.6), the
  // timestamp clock at the kernel's HZ (100, 250 or 1000) from boot.
  set.push_back(OsFingerprint{
      .name = "Linux 2.6.32 - 4.12",
      .classes = {os_class(gp, "Linux", "Linux", "2.6.X", {"cpe:/o:linux:linux_kernel:2.6"}),
                  os_class(gp, "Linux", "Linux", "3.X", {"cpe:/o:linux:linux_kernel:3"}),
                  os_class(gp, "Linux", "Linux", "4.X", {"cpe:/o:linux:linux_kernel:4"})},
      .ttl = {64},
      .df = true,
      .window = {{5792, 5840}, {14480, 14600}, {28960, 29200}},
      .options = {"MSS,SACK,TS,NOP,WS"},
      .wscale = {2, 3, 4, 5, 6, 7, 8, 9},
      .ip_id = {IpIdClass::kZero},
      .ts_hz = {100, 250, 1000},
      .rst_df = true,
      .rst_window = {0},
      .ack_rst_window = {0},
      .echo_ttl = {64},
      .echo_df = {},
      .echo_code_kept = true,
      .unreachable_full_quote = true,
      .random_ts_offset = false,
  });
  // Windows Vista and later share one stack: TTL 128, window scale 8, a
  // global incrementing IP id, and timestamps only when Tcp1323Opts allows
  // them (off by default on clients), so both option layouts occur.
  const std::vector<std::string> windows_options = {"MSS,NOP,WS,NOP,NOP,SACK",
                                                    "MSS,NOP,WS,SACK,TS"};
  set.push_back(OsFingerprint{
      .name = "Microsoft Windows 10 - 11 / Server 2016 - 2022",
      .classes = {os_class(gp, "Microsoft", "Windows", "10", {"cpe:/o:microsoft:windows_10"}),
                  os_class(gp, "Microsoft", "Windows", "11", {"cpe:/o:microsoft:windows_11"}),
                  os_class(gp, "Microsoft", "Windows", "2016",
                           {"cpe:/o:microsoft:windows_server_2016"})},
      .ttl = {128},
      .df = true,
      .window = {{64240, 64240}, {65535, 65535}},
      .options = windows_options,
      .wscale = {8},
      .ip_id = {IpIdClass::kIncremental},
      .ts_hz = {},
      .rst_df = {},
      .rst_window = {0},
      .ack_rst_window = {0},
      .echo_ttl = {128},
      .echo_df = {},
      .echo_code_kept = false,
      .unreachable_full_quote = {},
      .random_ts_offset = false,
  });
  set.push_back(OsFingerprint{
      .name = "Microsoft Windows 7 / Server 2008 R2 - 2012",
      .classes = {os_class(gp, "Microsoft", "Windows", "7", {"cpe:/o:microsoft:windows_7"}),
                  os_class(gp, "Microsoft", "Windows", "2008",
                           {"cpe:/o:microsoft:windows_server_2008:r2"}),
                  os_class(gp, "Microsoft", "Windows", "2012",
                           {"cpe:/o:microsoft:windows_server_2012"})},
      .ttl = {128},
      .df = true,
      .window = {{8192, 8192}},
      .options = windows_options,
      .wscale = {8},
      .ip_id = {IpIdClass::kIncremental},
      .ts_hz = {},
      .rst_df = {},
      .rst_window = {0},
      .ack_rst_window = {0},
      .echo_ttl = {128},
      .echo_df = {},
      .echo_code_kept = false,
      .unreachable_full_quote = {},
      .random_ts_offset = false,
  });
  // FreeBSD's tcp_addoptions() writes MSS, NOP+WS, SACK-permitted, TS in
  // that order; the window is 65535 with scale 6 (2 MB kern.ipc.maxsockbuf);
  // since 12.0 atomic datagrams carry IP id 0 (net.inet.ip.rfc6864) and
  // timestamps get a per-connection offset (net.inet.tcp.ts_offset_per_conn).
  set.push_back(OsFingerprint{
      .name = "FreeBSD 12.0 - 14.x",
      .classes = {os_class(gp, "FreeBSD", "FreeBSD", "12.X", {"cpe:/o:freebsd:freebsd:12"}),
                  os_class(gp, "FreeBSD", "FreeBSD", "13.X", {"cpe:/o:freebsd:freebsd:13"}),
                  os_class(gp, "FreeBSD", "FreeBSD", "14.X", {"cpe:/o:freebsd:freebsd:14"})},
      .ttl = {64},
      .df = true,
      .window = {{65535, 65535}},
      .options = {"MSS,NOP,WS,SACK,TS"},
      .wscale = {6},
      .ip_id = {IpIdClass::kZero},
      .ts_hz = {kRandomTimestamps},
      .rst_df = {},
      .rst_window = {0},
      .ack_rst_window = {0},
      .echo_ttl = {64},
      .echo_df = {},
      .echo_code_kept = {},
      .unreachable_full_quote = {},
      .random_ts_offset = true,
  });
  // OpenBSD pads each option to a 4-byte boundary on its own (NOP,NOP,SACK
  // and NOP,NOP,TS), keeps a 16384-byte initial window, randomises IP ids
  // and timestamp offsets.
  set.push_back(OsFingerprint{
      .name = "OpenBSD 6.x - 7.x",
      .classes = {os_class(gp, "OpenBSD", "OpenBSD", "6.X", {"cpe:/o:openbsd:openbsd:6"}),
                  os_class(gp, "OpenBSD", "OpenBSD", "7.X", {"cpe:/o:openbsd:openbsd:7"})},
      .ttl = {64},
      .df = true,
      .window = {{16384, 16384}},
      .options = {"MSS,NOP,NOP,SACK,NOP,WS,NOP,NOP,TS"},
      .wscale = {},
      .ip_id = {IpIdClass::kRandom},
      .ts_hz = {kRandomTimestamps},
      .rst_df = {},
      .rst_window = {0},
      .ack_rst_window = {0},
      .echo_ttl = {},
      .echo_df = {},
      .echo_code_kept = {},
      .unreachable_full_quote = {},
      .random_ts_offset = true,
  });
  // Apple's XNU (a FreeBSD descendant) lays its SYN-ACK out as MSS, NOP+WS,
  // NOP+NOP+TS, SACK-permitted and an EOL, with a 65535 window.
  set.push_back(OsFingerprint{
      .name = "Apple macOS 11 - 15 / iOS 14 - 18",
      .classes = {os_class(gp, "Apple", "macOS", "", {"cpe:/o:apple:macos"}),
                  os_class("phone", "Apple", "iOS", "", {"cpe:/o:apple:iphone_os"})},
      .ttl = {64},
      .df = true,
      .window = {{65535, 65535}},
      .options = {"MSS,NOP,WS,NOP,NOP,TS,SACK,EOL"},
      .wscale = {5, 6},
      .ip_id = {},
      .ts_hz = {},
      .rst_df = {},
      .rst_window = {0},
      .ack_rst_window = {0},
      .echo_ttl = {64},
      .echo_df = {},
      .echo_code_kept = {},
      .unreachable_full_quote = {},
      .random_ts_offset = true,
  });
  // Cisco IOS answers from a small embedded stack: initial TTL 255 for
  // everything, a 4128-byte window, the MSS option alone, no DF, a plain
  // IP id counter.
  set.push_back(OsFingerprint{
      .name = "Cisco IOS 12.x - 15.x",
      .classes = {os_class("router", "Cisco", "IOS", "12.X", {"cpe:/o:cisco:ios:12"}),
                  os_class("router", "Cisco", "IOS", "15.X", {"cpe:/o:cisco:ios:15"})},
      .ttl = {255},
      .df = false,
      .window = {{4128, 4128}},
      .options = {"MSS"},
      .wscale = {-1},
      .ip_id = {IpIdClass::kIncremental},
      .ts_hz = {0},
      .rst_df = false,
      .rst_window = {},
      .ack_rst_window = {},
      .echo_ttl = {255},
      .echo_df = false,
      .echo_code_kept = {},
      .unreachable_full_quote = {},
      .random_ts_offset = false,
  });
  return set;
}

template <typename T, typename V>
bool contains(const std::vector<T>& list, const V& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Adds `weight` to `total` when both sides have the test, and to `agreed`
// too when they agree.
struct Tally {
  int agreed = 0;
  int total = 0;
  void test(bool specified, bool observed, bool agrees, int weight) {
    if (!specified || !observed) return;
    total += weight;
    if (agrees) agreed += weight;
  }
};

std::string ts_sequence(const OsObservation& o) {
  if (!o.timestamps) return "";
  if (!*o.timestamps) return "none returned (unsupported)";
  if (!o.ts_hz) return "other";
  if (*o.ts_hz == 0) return "zero";
  if (*o.ts_hz == kRandomTimestamps) return "randomized";
  return fmt::format("{}HZ", *o.ts_hz);
}

}  // namespace

std::span<const OsFingerprint> builtin_fingerprints() {
  static const std::vector<OsFingerprint> set = make_set();
  return set;
}

int score(const OsObservation& o, const OsFingerprint& fp) {
  if (!o.ttl) return 0;
  Tally t;
  using W = Weights;
  t.test(!fp.ttl.empty(), true, contains(fp.ttl, *o.ttl), W::kTtl);
  t.test(fp.df.has_value(), o.df.has_value(), fp.df == o.df, W::kDf);
  const bool window_agrees =
      o.window && std::any_of(fp.window.begin(), fp.window.end(), [&](const auto& r) {
        return *o.window >= r.first && *o.window <= r.second;
      });
  t.test(!fp.window.empty(), o.window.has_value(), window_agrees, W::kWindow);
  t.test(!fp.options.empty(), o.options.has_value(), o.options && contains(fp.options, *o.options),
         W::kOptions);
  t.test(!fp.wscale.empty(), o.wscale.has_value(), o.wscale && contains(fp.wscale, *o.wscale),
         W::kWscale);
  t.test(!fp.ip_id.empty(), o.ip_id != IpIdClass::kUnknown, contains(fp.ip_id, o.ip_id), W::kIpId);
  t.test(!fp.ts_hz.empty(), o.ts_hz.has_value(), o.ts_hz && contains(fp.ts_hz, *o.ts_hz), W::kTsHz);
  t.test(!fp.ttl.empty(), o.rst_ttl.has_value(), o.rst_ttl && contains(fp.ttl, *o.rst_ttl),
         W::kRstTtl);
  t.test(fp.rst_df.has_value(), o.rst_df.has_value(), fp.rst_df == o.rst_df, W::kRstDf);
  t.test(!fp.rst_window.empty(), o.rst_window.has_value(),
         o.rst_window && contains(fp.rst_window, *o.rst_window), W::kRstWindow);
  t.test(!fp.ack_rst_window.empty(), o.ack_rst_window.has_value(),
         o.ack_rst_window && contains(fp.ack_rst_window, *o.ack_rst_window), W::kAckRstWindow);
  t.test(!fp.echo_ttl.empty(), o.echo_ttl.has_value(),
         o.echo_ttl && contains(fp.echo_ttl, *o.echo_ttl), W::kEchoTtl);
  t.test(fp.echo_df.has_value(), o.echo_df.has_value(), fp.echo_df == o.echo_df, W::kEchoDf);
  t.test(fp.echo_code_kept.has_value(), o.echo_code_kept.has_value(),
         fp.echo_code_kept == o.echo_code_kept, W::kEchoCode);
  t.test(fp.unreachable_full_quote.has_value(), o.unreachable_full_quote.has_value(),
         fp.unreachable_full_quote == o.unreachable_full_quote, W::kUnreachableQuote);
  if (t.total == 0) return 0;
  return t.agreed * 100 / t.total;
}

void match_os(const OsObservation& o, std::span<const OsFingerprint> set, OsResult& out) {
  out.matches.clear();
  out.fingerprint = describe(o);
  out.distance = o.hops;
  out.ip_id_sequence = o.ip_id == IpIdClass::kUnknown ? "" : std::string(to_string(o.ip_id));
  out.tcp_ts_sequence = ts_sequence(o);
  out.uptime_seconds = -1;

  std::vector<std::pair<int, size_t>> ranked;  // accuracy, index in set
  for (size_t i = 0; i < set.size(); ++i) {
    const int accuracy = score(o, set[i]);
    if (accuracy >= kMatchThreshold) ranked.emplace_back(accuracy, i);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (ranked.size() > kMaxMatches) ranked.resize(kMaxMatches);
  for (const auto& [accuracy, i] : ranked) {
    OsMatch m;
    m.name = set[i].name;
    m.accuracy = accuracy;
    m.classes = set[i].classes;
    for (auto& c : m.classes) c.accuracy = accuracy;
    out.matches.push_back(std::move(m));
  }

  if (!ranked.empty() && !set[ranked.front().second].random_ts_offset && o.ts_hz && *o.ts_hz > 0 &&
      o.tsval) {
    const int64_t seconds = int64_t{*o.tsval} / *o.ts_hz;
    constexpr int64_t kTenYears = int64_t{10} * 365 * 24 * 3600;
    if (seconds < kTenYears) out.uptime_seconds = seconds;
  }
}

}  // namespace portolan
