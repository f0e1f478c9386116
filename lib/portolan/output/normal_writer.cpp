// The normal format: nmap's human-readable report, for -oN files and the
// terminal.
//
// The layout is nmap 7.93's line for line (only "Nmap" reads "Portolan"), so
// people and scripts used to nmap's text read ours unchanged. The one idea:
// a host's block is "report line, Host is up, then either 'Not shown: ...'
// or a blank line, then the PORT table and a blank line", and every
// exception (down, listed, timed out, all ports folded) is a shorter prefix
// of that block. The terminal variant differs only in its first and last
// lines.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "portolan/output/finding_text.h"
#include "portolan/output/host_naming.h"
#include "portolan/output/output_registry.h"
#include "portolan/output/port_grouping.h"
#include "portolan/output/report_rules.h"
#include "portolan/output/service_text.h"
#include "portolan/output/text_escape.h"
#include "portolan/output/time_format.h"

namespace portolan {
namespace {

std::string reason_text(Reason reason, uint8_t ttl) {
  std::string text(to_string(reason));
  if (ttl != 0) text += fmt::format(" ttl {}", ttl);
  return text;
}

std::string service_cell(const PortResult& p) {
  if (!p.service || p.service->name.empty()) return "unknown";
  std::string name = plain_text(p.service->name);
  if (!p.service->tunnel.empty()) name = plain_text(p.service->tunnel) + "/" + name;
  return name;
}

// "SimpleHTTPServer 0.6 (Python 3.11.7)".
std::string version_cell(const PortResult& p) {
  return p.service ? plain_text(version_summary(*p.service)) : "";
}

// "Not shown: 604 closed tcp ports (conn-refused), 410 filtered tcp ports
// (no-response)": one clause per (state, protocol, reason).
std::string not_shown_text(const PortGrouping& grouping) {
  std::string text;
  for (const auto& fs : grouping.folded) {
    for (const auto& r : fs.reasons) {
      text += text.empty() ? "Not shown: " : ", ";
      text +=
          fmt::format("{} {} {} port{} ({})", r.ports.size(), to_string(fs.state),
                      to_string(r.protocol), r.ports.size() == 1 ? "" : "s", to_string(r.reason));
    }
  }
  return text;
}

// Columns padded to their widest cell, one space apart, the last unpadded.
// `after[i]`, when present, are lines printed under row i (a script block).
void write_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                 const std::vector<std::vector<std::string>>& after = {}) {
  if (rows.empty()) return;
  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line;
    // Trailing empty cells (a closed port has no VERSION) add no spaces.
    size_t last = row.size();
    while (last > 1 && row[last - 1].empty()) --last;
    for (size_t c = 0; c < last; ++c) {
      line += row[c];
      if (c + 1 < last) line.append(widths[c] - row[c].size() + 1, ' ');
    }
    out << line << '\n';
    const size_t i = static_cast<size_t>(&row - rows.data());
    if (i < after.size()) {
      for (const auto& extra : after[i]) out << extra << '\n';
    }
  }
}

// nmap's script block: "| id: first", "| more", "|_last".
std::vector<std::string> script_block(std::string_view id, const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string text = plain_text(lines[i]);
    if (i == 0) text = fmt::format("{}: {}", id, text);
    out.push_back((i + 1 == lines.size() ? "|_" : "| ") + text);
  }
  return out;
}

// The OS guess, as nmap words it.
void write_os(std::ostream& out, const OsResult& os) {
  if (os.matches.empty()) {
    out << "No OS matches for host\n";
    if (!os.fingerprint.empty())
      out << "TCP/IP fingerprint:\n" << plain_text(os.fingerprint) << '\n';
  } else {
    std::vector<std::string> types, running, cpes;
    auto add = [](std::vector<std::string>& v, const std::string& x) {
      if (!x.empty() && std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
    };
    for (const auto& m : os.matches) {
      for (const auto& c : m.classes) {
        add(types, c.type);
        add(running, c.generation.empty() ? c.family : c.family + " " + c.generation);
        for (const auto& cpe : c.cpe) add(cpes, cpe);
      }
    }
    if (!types.empty())
      out << "Device type: " << plain_text(fmt::format("{}", fmt::join(types, "|"))) << '\n';
    if (!running.empty()) {
      out << "Running" << (os.matches.front().accuracy < 100 ? " (JUST GUESSING)" : "") << ": "
          << plain_text(fmt::format("{}", fmt::join(running, ", "))) << '\n';
    }
    if (!cpes.empty())
      out << "OS CPE: " << plain_text(fmt::format("{}", fmt::join(cpes, " "))) << '\n';
    if (os.matches.front().accuracy >= 100) {
      std::vector<std::string> names;
      for (const auto& m : os.matches) {
        if (m.accuracy >= 100) names.push_back(m.name);
      }
      out << "OS details: " << plain_text(fmt::format("{}", fmt::join(names, ", "))) << '\n';
    } else {
      std::vector<std::string> guesses;
      for (const auto& m : os.matches)
        guesses.push_back(fmt::format("{} ({}%)", m.name, m.accuracy));
      out << "Aggressive OS guesses: " << plain_text(fmt::format("{}", fmt::join(guesses, ", ")))
          << '\n';
    }
  }
  if (os.uptime_seconds >= 0) {
    out << fmt::format("Uptime guess: {:.3f} days\n",
                       static_cast<double>(os.uptime_seconds) / 86400.0);
  }
  if (os.distance >= 0) {
    out << "Network Distance: " << os.distance << (os.distance == 1 ? " hop" : " hops") << '\n';
  }
}

void write_trace(std::ostream& out, const TraceResult& t) {
  if (t.protocol == "icmp") {
    out << "\nTRACEROUTE (using proto 1/icmp)\n";
  } else {
    out << "\nTRACEROUTE (using port " << t.port << '/' << t.protocol << ")\n";
  }
  std::vector<std::vector<std::string>> rows = {{"HOP", "RTT", "ADDRESS"}};
  int expected = 1;
  for (const auto& h : t.hops) {
    if (h.ttl > expected) {
      rows.push_back({h.ttl == expected + 1 ? std::to_string(expected)
                                            : fmt::format("{}-{}", expected, h.ttl - 1),
                      "...", ""});
    }
    std::string addr = h.host.empty() ? h.address.to_string()
                                      : fmt::format("{} ({})", h.host, h.address.to_string());
    rows.push_back({std::to_string(h.ttl), fmt::format("{:.2f} ms", h.rtt_ms), plain_text(addr)});
    expected = h.ttl + 1;
  }
  write_table(out, rows);
}

// "Service Info: OS: Linux; CPE: cpe:/o:linux:linux_kernel", from what
// version detection found on the listed ports; empty when it found nothing.
std::string service_info_line(const PortGrouping& grouping) {
  std::vector<std::string> oses;
  std::vector<std::string> cpes;
  for (const PortResult* p : grouping.shown) {
    if (!p->service) continue;
    const auto& s = *p->service;
    if (!s.os_type.empty() && std::find(oses.begin(), oses.end(), s.os_type) == oses.end()) {
      oses.push_back(s.os_type);
    }
    for (const auto& cpe : s.cpe) {
      if (cpe.rfind("cpe:/o", 0) == 0 && std::find(cpes.begin(), cpes.end(), cpe) == cpes.end()) {
        cpes.push_back(cpe);
      }
    }
  }
  std::vector<std::string> parts;
  std::vector<std::string> hosts, devices;
  for (const PortResult* p : grouping.shown) {
    if (!p->service) continue;
    const auto& s = *p->service;
    if (!s.host_name.empty() && std::find(hosts.begin(), hosts.end(), s.host_name) == hosts.end()) {
      hosts.push_back(s.host_name);
    }
    if (!s.device_type.empty() &&
        std::find(devices.begin(), devices.end(), s.device_type) == devices.end()) {
      devices.push_back(s.device_type);
    }
  }
  if (!hosts.empty()) {
    parts.push_back(
        fmt::format("{}: {}", hosts.size() == 1 ? "Host" : "Hosts", fmt::join(hosts, ", ")));
  }
  if (!oses.empty()) {
    parts.push_back(fmt::format("{}: {}", oses.size() == 1 ? "OS" : "OSs", fmt::join(oses, ", ")));
  }
  if (!devices.empty()) {
    parts.push_back(fmt::format("{}: {}", devices.size() == 1 ? "Device" : "Devices",
                                fmt::join(devices, ", ")));
  }
  if (!cpes.empty()) parts.push_back(fmt::format("CPE: {}", fmt::join(cpes, ", ")));
  if (parts.empty()) return "";
  return plain_text(fmt::format("Service Info: {}", fmt::join(parts, "; ")));
}

class NormalWriter final : public ReportWriter {
 public:
  NormalWriter(std::ostream& out, const OutputOptions& options) : out_(out), options_(options) {}

  void begin(const ScanRunInfo& run) override {
    run_ = run;
    if (options_.terminal) {
      out_ << "Starting Portolan " << plain_text(run.version) << " at "
           << banner_date(run.start_time) << '\n';
    } else {
      out_ << "# Portolan " << plain_text(run.version) << " scan initiated "
           << report_date(run.start_time) << " as: " << plain_text(run.args) << '\n';
    }
    out_.flush();
  }

  void host(const HostResult& host) override {
    if (!shows_host(host, run_, options_)) return;
    const std::string title = report_title(host);
    const bool reason = shows_reason(options_);
    if (is_listed_only(host, run_)) {
      out_ << "Portolan scan report for " << title << '\n';
    } else if (host.state != HostState::kUp) {
      out_ << "Portolan scan report for " << title << " [host " << to_string(host.state);
      if (reason) out_ << ", received " << reason_text(host.reason, host.reason_ttl);
      out_ << "]\n";
    } else {
      write_up_host(host, title, reason);
    }
    out_.flush();
  }

  void end(const ScanSummary& summary) override {
    if (!summary.success) {
      out_ << (options_.terminal ? "" : "# ")
           << "Portolan stopped early: " << plain_text(summary.error_message) << '\n';
    }
    if (run_.version_detect || run_.os_detect) {
      out_ << (options_.terminal ? "" : "# ")
           << (run_.os_detect && run_.version_detect ? "OS and Service detection"
               : run_.os_detect                      ? "OS detection"
                                                     : "Service detection")
           << " performed. Wrong or missing results: see docs/service-detection.md.\n";
    }
    if (options_.terminal) {
      if (summary.hosts_total == 1 && summary.hosts_up == 0 && !run_.list_scan) {
        out_ << "Note: Host seems down. If it is really up, but blocking our ping probes, try "
                "-Pn\n";
      }
      out_ << "Portolan done: " << run_summary_phrase(summary) << '\n';
    } else {
      out_ << "# Portolan done at " << report_date(summary.end_time) << " -- "
           << run_summary_phrase(summary) << '\n';
    }
    out_.flush();
  }

 private:
  void write_up_host(const HostResult& host, const std::string& title, bool reason) {
    out_ << "Portolan scan report for " << title << '\n';
    out_ << "Host is up";
    if (reason) out_ << ", received " << reason_text(host.reason, host.reason_ttl);
    if (host.latency) out_ << " (" << latency_seconds(*host.latency) << "s latency)";
    out_ << ".\n";
    if (const std::string* rdns = differing_rdns(host)) {
      out_ << "rDNS record for " << host.address.to_string() << ": " << plain_text(*rdns) << '\n';
    }
    if (host.timed_out) {
      out_ << "Skipping host " << title << " due to host timeout\n";
      return;
    }
    if (!has_port_section(host, run_) || host.ports.empty()) return;
    write_ports(host, title, reason);
  }

  void write_ports(const HostResult& host, const std::string& title, bool reason) {
    const PortGrouping grouping = group_ports(host.ports, options_);
    if (options_.verbosity >= 2 || options_.debugging >= 1) {
      const auto secs =
          std::chrono::duration_cast<std::chrono::seconds>(host.end_time - host.start_time);
      out_ << "Scanned at " << scanned_at_date(host.start_time) << " for "
           << std::max<int64_t>(secs.count(), 0) << "s\n";
    }
    const std::string not_shown = not_shown_text(grouping);
    if (grouping.shown.empty()) {
      out_ << "All " << grouping.total << " scanned ports on " << title
           << " are in ignored states.\n";
      if (!not_shown.empty()) out_ << not_shown << '\n';
      write_detection(host);
      out_ << '\n';
      return;
    }
    out_ << (not_shown.empty() ? "" : not_shown) << '\n';

    const bool version = std::any_of(grouping.shown.begin(), grouping.shown.end(),
                                     [](const PortResult* p) { return !version_cell(*p).empty(); });
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = {"PORT", "STATE", "SERVICE"};
    if (reason) header.emplace_back("REASON");
    if (version) header.emplace_back("VERSION");
    rows.push_back(std::move(header));
    std::vector<std::vector<std::string>> after(1);
    std::vector<std::pair<std::string, std::string>> unrecognised;
    for (const PortResult* p : grouping.shown) {
      std::vector<std::string> row = {fmt::format("{}/{}", p->port, to_string(p->protocol)),
                                      std::string(to_string(p->state)), service_cell(*p)};
      if (reason) row.push_back(reason_text(p->reason, p->reason_ttl));
      if (version) row.push_back(version_cell(*p));
      rows.push_back(std::move(row));
      after.emplace_back();
      if (p->service && p->service->tls)
        after.back() = script_block("ssl-cert", tls_lines(*p->service->tls));
      if (p->service && !p->service->fingerprint.empty()) {
        unrecognised.emplace_back(fmt::format("{}/{}", p->port, to_string(p->protocol)),
                                  p->service->fingerprint);
      }
    }
    write_table(out_, rows, after);
    if (!unrecognised.empty()) {
      out_ << unrecognised.size() << (unrecognised.size() == 1 ? " service" : " services")
           << " unrecognized despite returning data (probe:answer, escaped):\n";
      for (const auto& [port, fp] : unrecognised)
        out_ << "  " << port << ' ' << plain_text(fp) << '\n';
    }
    const std::string info = service_info_line(grouping);
    if (!info.empty()) out_ << info << '\n';
    write_detection(host);
    out_ << '\n';
  }

  void write_detection(const HostResult& host) {
    if (host.os) write_os(out_, *host.os);
    if (host.trace) write_trace(out_, *host.trace);
    if (run_.audit) write_findings(host);
  }

  // --audit: the host's findings, most severe first (the auditor sorted them).
  void write_findings(const HostResult& host) {
    out_ << "\nAUDIT (" << findings_summary(host.findings) << ")\n";
    for (const auto& f : host.findings) {
      const std::string where =
          f.port == 0 ? "host" : fmt::format("{}/{}", f.port, to_string(f.protocol));
      out_ << fmt::format("{:<9}{:<10}{}: {}\n", severity_label(f.severity), where,
                          plain_text(f.id), plain_text(f.title));
      const auto lines = finding_lines(f);
      for (size_t i = 1; i < lines.size(); ++i) out_ << "  " << plain_text(lines[i]) << '\n';
    }
  }

  std::ostream& out_;
  OutputOptions options_;
  ScanRunInfo run_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_normal_writer(std::ostream& out, const OutputOptions& options) {
  return std::make_unique<NormalWriter>(out, options);
}

}  // namespace portolan
