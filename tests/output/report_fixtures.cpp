// Scan fixtures and golden-file plumbing for the output tests.
#include "report_fixtures.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <sys/wait.h>

namespace portolan::testing {
namespace {

// Dates in reports are local time; pin the zone so goldens are stable.
class UtcEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};
[[maybe_unused]] const auto* const kUtc = ::testing::AddGlobalTestEnvironment(new UtcEnvironment);

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

std::shared_ptr<const ServiceInfo> table_service(std::string name) {
  auto s = std::make_shared<ServiceInfo>();
  s->name = std::move(name);
  return s;
}

HostResult up_host(const char* address, int64_t start_offset, int64_t duration) {
  HostResult h;
  h.address = ip(address);
  h.state = HostState::kUp;
  h.reason = Reason::kLocalhostResponse;
  h.start_time = at(kStartUnix + start_offset);
  h.end_time = at(kStartUnix + start_offset + duration);
  h.latency = std::chrono::microseconds(80);
  h.times = {154, 142, 100000};
  return h;
}

void add_range(HostResult& h, uint16_t first, uint16_t last, PortState state, Reason reason,
               Protocol protocol = Protocol::kTcp) {
  for (uint32_t p = first; p <= last; ++p) {
    h.ports.push_back(port(static_cast<uint16_t>(p), state, reason, "", protocol));
  }
}

Scenario basic() {
  Scenario s;
  s.name = "basic";
  s.run = connect_run("portolan -sT -p 1-1000 127.0.0.1", 1000, "1-1000");
  s.hosts = {localhost_host()};
  s.summary = summary(1, 0, 1, 0.05);
  return s;
}

// Several folded states and reasons, UDP beside TCP, -vv (reasons, "Scanned at").
Scenario mixed() {
  Scenario s;
  s.name = "mixed";
  s.run = connect_run("portolan -sT -sU -vv -p T:1000-1530,2100-2149,U:52-53 127.0.0.77", 581,
                      "1000-1530,2100-2149");
  s.run.scan_info.push_back({"udp", Protocol::kUdp, 2, "52-53"});
  s.run.verbosity = 2;
  s.options.verbosity = 2;
  HostResult h = up_host("127.0.0.77", 0, 2);
  h.latency = std::chrono::microseconds(37);
  // Engines hand ports over in completion order; the writers sort them.
  h.ports.push_back(
      port(53, PortState::kOpenFiltered, Reason::kNoResponse, "domain", Protocol::kUdp));
  add_range(h, 2100, 2149, PortState::kFiltered, Reason::kHostUnreach);
  add_range(h, 1000, 1399, PortState::kFiltered, Reason::kNoResponse);
  add_range(h, 1400, 1499, PortState::kClosed, Reason::kConnRefused);
  h.ports.push_back(port(1500, PortState::kOpen, Reason::kSynAck, "vlsi-lm"));
  add_range(h, 1501, 1530, PortState::kClosed, Reason::kConnRefused);
  auto udp_closed = port(52, PortState::kClosed, Reason::kPortUnreach, "xns-time", Protocol::kUdp);
  udp_closed.reason_ttl = 64;
  h.ports.push_back(udp_closed);
  s.hosts = {h};
  s.summary = summary(1, 0, 1, 0.74);
  return s;
}

// --open: a host without open ports disappears; closed ports below the
// threshold still fold.
Scenario open_only() {
  Scenario s;
  s.name = "open_only";
  s.run = connect_run("portolan -sT --open -p 75-85 127.0.0.1-2", 11, "75-85");
  s.options.open_only = true;
  HostResult a = up_host("127.0.0.1", 0, 0);
  a.hostnames = {{"localhost", HostName::Kind::kPtr}};
  add_range(a, 75, 79, PortState::kClosed, Reason::kConnRefused);
  a.ports.push_back(port(80, PortState::kOpen, Reason::kSynAck, "http"));
  add_range(a, 81, 85, PortState::kClosed, Reason::kConnRefused);
  HostResult b = up_host("127.0.0.2", 0, 0);
  add_range(b, 75, 85, PortState::kClosed, Reason::kConnRefused);
  s.hosts = {a, b};
  s.summary = summary(2, 0, 2, 0.04);
  return s;
}

// Every port folded: one host with one state, one with two.
Scenario all_ignored() {
  Scenario s;
  s.name = "all_ignored";
  s.run = connect_run("portolan -sT -p 1-100 127.0.0.1 127.0.0.77", 100, "1-100");
  HostResult a = up_host("127.0.0.1", 0, 0);
  a.hostnames = {{"localhost", HostName::Kind::kPtr}};
  add_range(a, 1, 100, PortState::kClosed, Reason::kConnRefused);
  HostResult b = up_host("127.0.0.77", 0, 1);
  b.latency.reset();
  add_range(b, 1, 40, PortState::kFiltered, Reason::kNoResponse);
  add_range(b, 41, 100, PortState::kClosed, Reason::kConnRefused);
  s.hosts = {a, b};
  s.summary = summary(2, 0, 2, 1.03);
  return s;
}

// IPv6, few ports (no folding: a blank line before the table), --reason.
Scenario ipv6() {
  Scenario s;
  s.name = "ipv6";
  s.run = connect_run("portolan -6 -sT --reason -p 79-81 ::1", 3, "79-81");
  s.options.show_reason = true;
  HostResult h = up_host("::1", 0, 0);
  h.latency = std::chrono::microseconds(220);
  h.ports = {port(81, PortState::kClosed, Reason::kConnRefused, "hosts2-ns"),
             port(79, PortState::kClosed, Reason::kConnRefused, "finger"),
             port(80, PortState::kOpen, Reason::kSynAck, "http")};
  s.hosts = {h};
  s.summary = summary(1, 0, 1, 0.02);
  return s;
}

HostResult ping_host(const char* address, HostState state, Reason reason) {
  HostResult h;
  h.address = ip(address);
  h.state = state;
  h.reason = reason;
  return h;
}

// -sn over three hosts, one down; `verbosity` decides whether it is shown.
Scenario ping(const std::string& name, int verbosity) {
  Scenario s;
  s.name = name;
  s.run = connect_run(verbosity > 0 ? "portolan -sn -v 127.0.0.1-3" : "portolan -sn 127.0.0.1-3", 0,
                      "");
  s.run.scan_info.clear();
  s.run.ping_scan = true;
  s.run.verbosity = verbosity;
  s.options.verbosity = verbosity;
  HostResult a = ping_host("127.0.0.1", HostState::kUp, Reason::kLocalhostResponse);
  a.hostnames = {{"localhost", HostName::Kind::kPtr}};
  HostResult b = ping_host("127.0.0.2", HostState::kDown, Reason::kNoResponse);
  HostResult c = ping_host("127.0.0.3", HostState::kUp, Reason::kEchoReply);
  c.reason_ttl = 64;
  c.latency = std::chrono::microseconds(120);
  c.times = {120, 50, 100000};
  s.hosts = {a, b, c};
  s.summary = summary(2, 1, 3, 1.52);
  return s;
}

Scenario list_scan() {
  Scenario s;
  s.name = "list";
  s.run = connect_run("portolan -sL 127.0.0.0/30", 0, "");
  s.run.scan_info.clear();
  s.run.list_scan = true;
  for (const char* a : {"127.0.0.0", "127.0.0.1", "127.0.0.2", "127.0.0.3"}) {
    s.hosts.push_back(ping_host(a, HostState::kUnknown, Reason::kUserSet));
  }
  s.hosts[1].hostnames = {{"localhost", HostName::Kind::kPtr}};
  s.summary = summary(0, 4, 4, 0.0);
  return s;
}

Scenario timeout() {
  Scenario s;
  s.name = "timeout";
  s.run = connect_run("portolan -sT -p- --host-timeout 5ms 127.0.0.1", 65535, "1-65535");
  HostResult h = localhost_host();
  h.timed_out = true;
  h.latency = std::chrono::microseconds(123);
  s.hosts = {h};
  s.summary = summary(1, 0, 1, 0.05);
  return s;
}

// Hostile names and banners: everything must stay escaped and well-formed.
Scenario odd_names() {
  Scenario s;
  s.name = "odd_names";
  s.run = connect_run("portolan -sT --reason -p 80 'a&b<c>\"d\"--e'", 1, "80");
  HostResult h = up_host("127.0.0.5", 0, 0);
  h.hostnames = {{"a&b<c>\"d\"--e", HostName::Kind::kUser},
                 {"ptr\x01name\xff.caf\xc3\xa9", HostName::Kind::kPtr}};
  auto svc = std::make_shared<ServiceInfo>();
  svc->name = "http";
  svc->method = "probed";
  svc->conf = 10;
  svc->product = "Evil/1.0 <srv>";
  svc->version = "2,3";
  svc->extra_info = "tab\there & \"quotes\"";
  svc->cpe = {"cpe:/a:evil:srv:1.0"};
  auto p = port(80, PortState::kOpen, Reason::kSynAck);
  p.service = svc;
  h.ports = {p};
  s.hosts = {h};
  s.summary = summary(1, 0, 1, 0.01);
  return s;
}

// What version detection fills: VERSION column, Service Info, tunnels, CPEs.
Scenario versions() {
  Scenario s;
  s.name = "versions";
  s.run = connect_run("portolan -sT -sV -p 22,443,8080,9999 127.0.0.1", 4, "22,443,8080,9999");
  HostResult h = up_host("127.0.0.1", 0, 7);
  h.hostnames = {{"localhost", HostName::Kind::kUser}, {"localhost", HostName::Kind::kPtr}};
  auto ssh = std::make_shared<ServiceInfo>();
  ssh->name = "ssh";
  ssh->method = "probed";
  ssh->conf = 10;
  ssh->product = "OpenSSH";
  ssh->version = "9.2p1 Debian 2+deb12u3";
  ssh->extra_info = "protocol 2.0";
  ssh->os_type = "Linux";
  ssh->cpe = {"cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel"};
  auto https = std::make_shared<ServiceInfo>();
  https->name = "http";
  https->method = "probed";
  https->conf = 10;
  https->product = "nginx";
  https->tunnel = "ssl";
  auto p22 = port(22, PortState::kOpen, Reason::kSynAck);
  p22.service = ssh;
  auto p443 = port(443, PortState::kOpen, Reason::kSynAck);
  p443.service = https;
  auto p8080 = port(8080, PortState::kOpen, Reason::kSynAck);  // no service known
  h.ports = {p22, p443, p8080, port(9999, PortState::kClosed, Reason::kConnRefused, "abyss")};
  s.hosts = {h};
  s.summary = summary(1, 0, 1, 6.53);
  return s;
}

// --audit: findings on two ports and one on the host, in every format.
Scenario audit() {
  Scenario s = versions();
  s.name = "audit";
  s.run.args = "portolan -sT -sV --audit -p 22,443,8080,9999 127.0.0.1";
  s.run.audit = true;
  HostResult& h = s.hosts[0];
  Finding anon;
  anon.id = "known-vulnerabilities:CVE-2024-6387";
  anon.check = "known-vulnerabilities";
  anon.severity = Severity::kHigh;
  anon.port = 22;
  anon.title = "CVE-2024-6387 in OpenSSH 9.2p1: signal handler race (regreSSHion)";
  anon.evidence = "OpenSSH 9.2p1 (upstream) in 8.5p1 <= v < 9.8p1";
  anon.remediation = "Upgrade OpenSSH to 9.8p1 or later";
  anon.references = {"CVE-2024-6387", "https://www.openssh.com/txt/release-9.8"};
  Finding tls;
  tls.id = "tls-old-protocols:tlsv1.0";
  tls.check = "tls-old-protocols";
  tls.severity = Severity::kMedium;
  tls.port = 443;
  tls.title = "TLS 1.0 accepted";
  tls.evidence = "handshake with TLSv1.0 <&> \"quoted\"\nsecond line";
  tls.remediation = "nginx: ssl_protocols TLSv1.2 TLSv1.3;";
  Finding host;
  host.id = "known-vulnerabilities:unconfirmed";
  host.check = "known-vulnerabilities";
  host.severity = Severity::kInfo;
  host.title = "2 CVEs match upstream versions; backport status unknown";
  h.findings = {anon, tls, host};
  std::stable_sort(h.findings.begin(), h.findings.end(), finding_before);
  s.summary.findings = 3;
  s.summary.worst_finding = Severity::kHigh;
  return s;
}

Scenario stopped() {
  Scenario s = basic();
  s.name = "stopped";
  s.summary.success = false;
  s.summary.error_message = "interrupted by signal 2";
  return s;
}

std::filesystem::path golden_path(const std::string& file) {
  return std::filesystem::path(PORTOLAN_SOURCE_DIR) / "tests" / "output" / "golden" / file;
}

}  // namespace

WallClock::time_point at(int64_t unix_seconds) {
  return WallClock::time_point(std::chrono::seconds(unix_seconds));
}

PortResult port(uint16_t number, PortState state, Reason reason, std::string service,
                Protocol protocol) {
  PortResult p;
  p.port = number;
  p.protocol = protocol;
  p.state = state;
  p.reason = reason;
  if (!service.empty()) p.service = table_service(std::move(service));
  return p;
}

ScanRunInfo connect_run(const std::string& args, uint32_t count, const std::string& services) {
  ScanRunInfo run;
  run.args = args;
  run.start_time = at(kStartUnix);
  run.version = "0.1.0";
  run.scan_info = {{"connect", Protocol::kTcp, count, services}};
  return run;
}

ScanSummary summary(uint64_t up, uint64_t down, uint64_t total, double elapsed) {
  ScanSummary s;
  s.end_time = at(kStartUnix + static_cast<int64_t>(elapsed));
  s.elapsed_seconds = elapsed;
  s.hosts_up = up;
  s.hosts_down = down;
  s.hosts_total = total;
  return s;
}

HostResult localhost_host() {
  HostResult h = up_host("127.0.0.1", 0, 0);
  h.hostnames = {{"localhost", HostName::Kind::kPtr}};
  for (uint16_t p = 1; p <= 1000; ++p) {
    if (p == 22) {
      h.ports.push_back(port(p, PortState::kOpen, Reason::kSynAck, "ssh"));
    } else if (p == 80) {
      h.ports.push_back(port(p, PortState::kOpen, Reason::kSynAck, "http"));
    } else {
      h.ports.push_back(port(p, PortState::kClosed, Reason::kConnRefused));
    }
  }
  return h;
}

std::vector<Scenario> all_scenarios() {
  return {basic(),
          mixed(),
          open_only(),
          all_ignored(),
          ipv6(),
          list_scan(),
          timeout(),
          ping("ping_quiet", 0),
          ping("ping_verbose", 1),
          odd_names(),
          versions(),
          audit(),
          stopped()};
}

const Scenario& scenario(const std::string& name) {
  static const std::vector<Scenario> scenarios = all_scenarios();
  for (const auto& s : scenarios) {
    if (s.name == name) return s;
  }
  throw std::invalid_argument("no scenario " + name);
}

std::string render(const std::string& format, const ScanRunInfo& run,
                   const std::vector<HostResult>& hosts, const ScanSummary& summary,
                   const OutputOptions& options) {
  auto f = find_report_format(format);
  if (!f) throw std::invalid_argument(f.error().message());
  std::ostringstream out;
  auto writer = (*f)->create(out, options);
  writer->begin(run);
  for (const auto& h : hosts) writer->host(h);
  writer->end(summary);
  return out.str();
}

std::string render(const std::string& format, const Scenario& s) {
  return render(format, s.run, s.hosts, s.summary, s.options);
}

std::string check_golden(const std::string& file, const std::string& actual) {
  const auto path = golden_path(file);
  const char* update = std::getenv("PORTOLAN_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(path.parent_path());
    write_file(path, actual);
    return "";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing golden file " + path.string() + " (run with PORTOLAN_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  if (expected.str() == actual) return "";
  return "output differs from " + path.string() +
         " (PORTOLAN_UPDATE_GOLDEN=1 rewrites it)\n--- expected\n" + expected.str() +
         "\n--- actual\n" + actual;
}

std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::path(PORTOLAN_BINARY_DIR) / "output_test_files" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

CommandResult run_command(const std::string& command) {
  CommandResult result;
  const std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace portolan::testing
