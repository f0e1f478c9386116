// The JSON lines format (--json): one self-contained JSON object per line.
//
// Line types, in order: one "scan_start", one "host" per reported host, one
// "summary". Field names are stable and documented in docs/output-formats.md.
// The one idea: a host line follows exactly the rules of the other formats
// (which hosts, which ports are listed, which are folded), so it stays as
// small as the normal report, yet loses nothing: folded ports are counted
// per state and reason and their port numbers given as a compressed list.
// Strings that are not valid UTF-8 are written with U+FFFD replacements
// rather than failing the scan.
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

#include "portolan/output/host_naming.h"
#include "portolan/output/output_registry.h"
#include "portolan/output/port_grouping.h"
#include "portolan/output/report_rules.h"
#include "portolan/output/time_format.h"

namespace portolan {
namespace {

using json = nlohmann::ordered_json;

std::string sv(std::string_view s) {
  return std::string(s);
}

json service_json(const ServiceInfo& s) {
  json j = {{"name", s.name}, {"method", s.method}, {"conf", s.conf}};
  if (!s.product.empty()) j["product"] = s.product;
  if (!s.version.empty()) j["version"] = s.version;
  if (!s.extra_info.empty()) j["extrainfo"] = s.extra_info;
  if (!s.host_name.empty()) j["hostname"] = s.host_name;
  if (!s.os_type.empty()) j["ostype"] = s.os_type;
  if (!s.device_type.empty()) j["devicetype"] = s.device_type;
  if (!s.tunnel.empty()) j["tunnel"] = s.tunnel;
  if (!s.cpe.empty()) j["cpe"] = s.cpe;
  if (!s.fingerprint.empty()) j["fingerprint"] = s.fingerprint;
  if (s.tls) {
    const TlsInfo& t = *s.tls;
    j["tls"] = {{"versions", t.versions},
                {"negotiated", t.negotiated},
                {"cipher", t.cipher},
                {"subject", t.subject},
                {"issuer", t.issuer},
                {"not_before", t.not_before},
                {"not_after", t.not_after},
                {"sans", t.sans},
                {"key_type", t.key_type},
                {"key_bits", t.key_bits},
                {"signature_algorithm", t.signature_algorithm},
                {"sha256", t.sha256},
                {"self_signed", t.self_signed},
                {"starttls", t.starttls}};
  }
  return j;
}

json os_json(const OsResult& os) {
  json matches = json::array();
  for (const auto& m : os.matches) {
    json classes = json::array();
    for (const auto& c : m.classes) {
      classes.push_back({{"type", c.type},
                         {"vendor", c.vendor},
                         {"family", c.family},
                         {"generation", c.generation},
                         {"accuracy", c.accuracy},
                         {"cpe", c.cpe}});
    }
    matches.push_back({{"name", m.name}, {"accuracy", m.accuracy}, {"classes", classes}});
  }
  json used = json::array();
  for (const auto& u : os.ports_used) {
    used.push_back({{"port", u.port},
                    {"protocol", sv(to_string(u.protocol))},
                    {"state", sv(to_string(u.state))}});
  }
  json j = {{"matches", std::move(matches)}, {"ports_used", std::move(used)}};
  if (os.matches.empty() && !os.fingerprint.empty()) j["fingerprint"] = os.fingerprint;
  if (os.distance >= 0) j["distance"] = os.distance;
  if (os.uptime_seconds >= 0) j["uptime_seconds"] = os.uptime_seconds;
  if (!os.ip_id_sequence.empty()) j["ip_id_sequence"] = os.ip_id_sequence;
  if (!os.tcp_ts_sequence.empty()) j["tcp_ts_sequence"] = os.tcp_ts_sequence;
  return j;
}

class JsonWriter final : public ReportWriter {
 public:
  JsonWriter(std::ostream& out, const OutputOptions& options) : out_(out), options_(options) {}

  void begin(const ScanRunInfo& run) override {
    run_ = run;
    json scaninfo = json::array();
    for (const auto& si : run.scan_info) {
      scaninfo.push_back({{"type", si.type},
                          {"protocol", sv(to_string(si.protocol))},
                          {"numservices", si.num_services},
                          {"services", si.services}});
    }
    write({{"type", "scan_start"},
           {"scanner", "portolan"},
           {"version", run.version},
           {"args", run.args},
           {"start", unix_seconds(run.start_time)},
           {"startstr", report_date(run.start_time)},
           {"scaninfo", std::move(scaninfo)},
           {"verbose", options_.verbosity},
           {"debugging", options_.debugging},
           {"list_scan", run.list_scan},
           {"ping_scan", run.ping_scan}});
  }

  void host(const HostResult& host) override {
    if (!shows_host(host, run_, options_)) return;
    const bool listed = is_listed_only(host, run_);
    json hostnames = json::array();
    for (const auto& n : host.hostnames) {
      hostnames.push_back(
          {{"name", n.name}, {"type", n.kind == HostName::Kind::kPtr ? "PTR" : "user"}});
    }
    json j = {{"type", "host"},
              {"address", host.address.to_string()},
              {"addrtype", address_type(host.address)},
              {"hostnames", std::move(hostnames)},
              {"state", listed ? "unknown" : sv(to_string(host.state))},
              {"reason", sv(to_string(host.reason))},
              {"reason_ttl", host.reason_ttl},
              {"timed_out", host.timed_out}};
    if (scans_ports(run_) && host.state == HostState::kUp) {
      j["start"] = unix_seconds(host.start_time);
      j["end"] = unix_seconds(host.end_time);
    }
    if (host.latency && !listed) j["latency_us"] = host.latency->count();
    if (!listed && host.times.srtt_us >= 0) {
      j["times"] = {{"srtt", host.times.srtt_us},
                    {"rttvar", host.times.rttvar_us},
                    {"to", host.times.timeout_us}};
    }
    if (!listed && has_port_section(host, run_)) add_ports(j, host);
    if (!listed && host.os) j["os"] = os_json(*host.os);
    if (!listed && run_.audit) j["findings"] = findings_json(host.findings);
    if (!listed && host.trace) {
      json hops = json::array();
      for (const auto& h : host.trace->hops) {
        json hop = {{"ttl", h.ttl}, {"address", h.address.to_string()}, {"rtt_ms", h.rtt_ms}};
        if (!h.host.empty()) hop["host"] = h.host;
        hops.push_back(std::move(hop));
      }
      j["trace"] = {{"protocol", host.trace->protocol},
                    {"port", host.trace->port},
                    {"hops", std::move(hops)}};
    }
    write(j);
  }

  void end(const ScanSummary& summary) override {
    json j = {
        {"type", "summary"},
        {"end", unix_seconds(summary.end_time)},
        {"endstr", report_date(summary.end_time)},
        {"elapsed", summary.elapsed_seconds},
        {"hosts",
         {{"up", summary.hosts_up}, {"down", summary.hosts_down}, {"total", summary.hosts_total}}},
        {"exit", summary.success ? "success" : "error"}};
    if (!summary.success) j["errormsg"] = summary.error_message;
    if (run_.audit) {
      j["findings"] = summary.findings;
      if (summary.worst_finding) j["worst_severity"] = sv(to_string(*summary.worst_finding));
    }
    write(j);
  }

 private:
  // --audit: one object per finding; `id` is stable across runs.
  static json findings_json(const std::vector<Finding>& findings) {
    json out = json::array();
    for (const auto& f : findings) {
      json j = {{"id", f.id},
                {"check", f.check},
                {"severity", sv(to_string(f.severity))},
                {"title", f.title},
                {"evidence", f.evidence},
                {"remediation", f.remediation},
                {"references", f.references}};
      if (f.port != 0) {
        j["port"] = f.port;
        j["protocol"] = sv(to_string(f.protocol));
      }
      out.push_back(std::move(j));
    }
    return out;
  }

  void add_ports(json& j, const HostResult& host) {
    const PortGrouping grouping = group_ports(host.ports, options_);
    json ports = json::array();
    for (const PortResult* p : grouping.shown) {
      json port = {{"port", p->port},
                   {"protocol", sv(to_string(p->protocol))},
                   {"state", sv(to_string(p->state))},
                   {"reason", sv(to_string(p->reason))},
                   {"reason_ttl", p->reason_ttl}};
      if (p->service) port["service"] = service_json(*p->service);
      ports.push_back(std::move(port));
    }
    json extraports = json::array();
    for (const auto& fs : grouping.folded) {
      json reasons = json::array();
      for (const auto& r : fs.reasons) {
        reasons.push_back({{"reason", sv(to_string(r.reason))},
                           {"protocol", sv(to_string(r.protocol))},
                           {"count", r.ports.size()},
                           {"ports", compress_port_list(r.ports)}});
      }
      extraports.push_back({{"state", sv(to_string(fs.state))},
                            {"count", fs.count},
                            {"reasons", std::move(reasons)}});
    }
    j["ports"] = std::move(ports);
    j["extraports"] = std::move(extraports);
  }

  void write(const json& j) {
    out_ << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    out_.flush();
  }

  std::ostream& out_;
  OutputOptions options_;
  ScanRunInfo run_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_json_writer(std::ostream& out, const OutputOptions& options) {
  return std::make_unique<JsonWriter>(out, options);
}

}  // namespace portolan
