// The grepable format (-oG): nmap 7.93's one-line-per-host text.
//
// Every host line is "Host: <ip> (<ptr name>)<TAB><field>: <value>", fields
// separated by tabs, ports by ", ", and a port's fields by '/':
// port/state/protocol/owner/service/rpc-info/version/. Since '/' and ','
// delimit, nmap writes '/' inside a value as '|' ("ssl|http"); we do the
// same, and escape tabs and newlines, so `cut -f` and `awk -F/` keep working
// whatever a remote service put in its banner. Like nmap, "Ignored State"
// appears only when exactly one state was folded.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ostream>
#include <string>

#include "portolan/output/host_naming.h"
#include "portolan/output/output_registry.h"
#include "portolan/output/port_grouping.h"
#include "portolan/output/report_rules.h"
#include "portolan/output/service_text.h"
#include "portolan/output/text_escape.h"
#include "portolan/output/time_format.h"

namespace portolan {
namespace {

std::string field_text(std::string_view text) {
  std::string out = plain_text(text);
  std::replace(out.begin(), out.end(), '/', '|');
  return out;
}

std::string service_field(const PortResult& p) {
  if (!p.service) return "";
  std::string name = field_text(p.service->name);
  if (!p.service->tunnel.empty() && !name.empty())
    name = field_text(p.service->tunnel) + "|" + name;
  return name;
}

std::string version_field(const PortResult& p) {
  return p.service ? field_text(version_summary(*p.service)) : "";
}

class GrepableWriter final : public ReportWriter {
 public:
  GrepableWriter(std::ostream& out, const OutputOptions& options) : out_(out), options_(options) {}

  void begin(const ScanRunInfo& run) override {
    run_ = run;
    out_ << "# Portolan " << plain_text(run.version) << " scan initiated "
         << report_date(run.start_time) << " as: " << plain_text(run.args) << '\n';
    if (options_.verbosity >= 1) write_ports_scanned(run);
    out_.flush();
  }

  void host(const HostResult& host) override {
    if (!shows_host(host, run_, options_)) return;
    const std::string prefix = "Host: " + host.address.to_string() + " (" +
                               field_text(ptr_name(host) ? *ptr_name(host) : "") + ")\t";
    if (is_listed_only(host, run_)) {
      out_ << prefix << "Status: Unknown\n";
    } else if (host.state != HostState::kUp) {
      out_ << prefix << "Status: " << (host.state == HostState::kDown ? "Down" : "Skipped") << '\n';
    } else {
      out_ << prefix << "Status: Up\n";
      if (host.timed_out) {
        out_ << prefix << "Status: Timeout\n";
      } else if (has_port_section(host, run_) && !host.ports.empty()) {
        write_ports(prefix, host);
      }
    }
    out_.flush();
  }

  void end(const ScanSummary& summary) override {
    if (!summary.success) {
      out_ << "# Portolan stopped early: " << plain_text(summary.error_message) << '\n';
    }
    out_ << "# Portolan done at " << report_date(summary.end_time) << " -- "
         << run_summary_phrase(summary) << '\n';
    out_.flush();
  }

 private:
  // "# Ports scanned: TCP(50;1-50) UDP(0;) SCTP(0;) PROTOCOLS(0;)", written
  // by nmap at -v.
  void write_ports_scanned(const ScanRunInfo& run) {
    struct Entry {
      uint64_t count = 0;
      std::string list;
    };
    std::array<Entry, kProtocolCount> per{};
    for (const auto& si : run.scan_info) {
      auto& e = per[static_cast<size_t>(si.protocol)];
      e.count += si.num_services;
      if (!si.services.empty()) e.list += (e.list.empty() ? "" : ",") + si.services;
    }
    out_ << "# Ports scanned:";
    static constexpr std::array<const char*, kProtocolCount> kLabels = {"TCP", "UDP", "SCTP"};
    for (size_t i = 0; i < per.size(); ++i) {
      out_ << ' ' << kLabels[i] << '(' << per[i].count << ';' << plain_text(per[i].list) << ')';
    }
    out_ << " PROTOCOLS(0;)\n";
  }

  void write_ports(const std::string& prefix, const HostResult& host) {
    const PortGrouping grouping = group_ports(host.ports, options_);
    out_ << prefix << "Ports: ";
    bool first = true;
    for (const PortResult* p : grouping.shown) {
      if (!first) out_ << ", ";
      first = false;
      out_ << p->port << '/' << to_string(p->state) << '/' << to_string(p->protocol) << "//"
           << service_field(*p) << "//" << version_field(*p) << '/';
    }
    if (grouping.folded.size() == 1) {
      out_ << "\tIgnored State: " << to_string(grouping.folded.front().state) << " ("
           << grouping.folded.front().count << ')';
    }
    out_ << '\n';
  }

  std::ostream& out_;
  OutputOptions options_;
  ScanRunInfo run_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_grepable_writer(std::ostream& out,
                                                   const OutputOptions& options) {
  return std::make_unique<GrepableWriter>(out, options);
}

}  // namespace portolan
