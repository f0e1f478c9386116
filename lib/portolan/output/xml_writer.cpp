// The XML format (-oX): nmap 7.93's document, valid against nmap.dtd, read
// by ndiff, nmap.xsl, python-libnmap and everything else built for nmap.
//
// Streamed: begin() writes everything up to <debugging>, each host() one
// complete <host> element, end() the <runstats> and the closing tag, each
// flushed, so an interrupted scan leaves every finished host on disk (only
// the closing tags are missing, as with nmap). Line breaks follow nmap's
// byte for byte, so line-oriented tools written against nmap files work.
//
// Compatibility choice: the DTD fixes scanner="nmap", and consumers treat
// "version" as nmap's, so we write version="7.93" (the format we reproduce)
// and name Portolan and its version in the leading comment and the summary.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <string>

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

constexpr const char* kNmapCompatVersion = "7.93";
constexpr const char* kXmlOutputVersion = "1.05";
constexpr const char* kStylesheet = "file:///usr/share/nmap/nmap.xsl";

// ` name="value"` with the value escaped.
std::string attr(std::string_view name, std::string_view value) {
  return fmt::format(" {}=\"{}\"", name, xml_escape(value));
}
std::string attr(std::string_view name, int64_t value) {
  return fmt::format(" {}=\"{}\"", name, value);
}

std::string service_element(const ServiceInfo& s) {
  std::string el = "<service";
  el += attr("name", s.name.empty() ? "unknown" : s.name);
  if (!s.product.empty()) el += attr("product", s.product);
  if (!s.version.empty()) el += attr("version", s.version);
  if (!s.extra_info.empty()) el += attr("extrainfo", s.extra_info);
  // nmap's attribute order; the DTD allows only tunnel="ssl" and method="table|probed".
  if (!s.host_name.empty()) el += attr("hostname", s.host_name);
  if (!s.os_type.empty()) el += attr("ostype", s.os_type);
  if (!s.device_type.empty()) el += attr("devicetype", s.device_type);
  if (!s.fingerprint.empty()) el += attr("servicefp", s.fingerprint);
  if (s.tunnel == "ssl") el += attr("tunnel", "ssl");
  el += attr("method", s.method == "probed" ? "probed" : "table");
  el += attr("conf", std::clamp(s.conf, 0, 10));
  if (s.cpe.empty()) return el + "/>";
  el += ">";
  for (const auto& cpe : s.cpe) el += "<cpe>" + xml_escape(cpe) + "</cpe>";
  return el + "</service>";
}

// The certificate as nmap's ssl-cert script shows it, so nmap consumers
// display it: the text in output=, the facts as <elem>s.
std::string ssl_cert_script(const TlsInfo& tls) {
  std::string el = "<script" + attr("id", "ssl-cert") +
                   attr("output", fmt::format("{}", fmt::join(tls_lines(tls), "\n"))) + ">";
  auto elem = [&](std::string_view key, std::string_view value) {
    if (!value.empty()) el += "<elem" + attr("key", key) + ">" + xml_escape(value) + "</elem>";
  };
  elem("subject", tls.subject);
  elem("issuer", tls.issuer);
  elem("notBefore", tls.not_before);
  elem("notAfter", tls.not_after);
  elem("pubkeyType", tls.key_type);
  if (tls.key_bits > 0) elem("pubkeyBits", std::to_string(tls.key_bits));
  elem("sig_algo", tls.signature_algorithm);
  elem("sha256", tls.sha256);
  if (tls.self_signed) elem("selfSigned", "true");
  elem("negotiated", tls.negotiated);
  elem("cipher", tls.cipher);
  if (tls.starttls) elem("starttls", "true");
  if (!tls.sans.empty()) {
    el += "<table" + attr("key", "sans") + ">";
    for (const auto& san : tls.sans) el += "<elem>" + xml_escape(san) + "</elem>";
    el += "</table>";
  }
  if (!tls.versions.empty()) {
    el += "<table" + attr("key", "versions") + ">";
    for (const auto& v : tls.versions) el += "<elem>" + xml_escape(v) + "</elem>";
    el += "</table>";
  }
  return el + "</script>";
}

// An audit finding as an nmap script result, so nmap consumers (ndiff,
// xsltproc, libnmap, Zenmap) display it: the check's id as the script id, the
// text in output=, the fields as <elem>s (the `finding` elem is the stable id).
std::string finding_script(const Finding& f) {
  std::string el = "<script" + attr("id", f.check) +
                   attr("output", fmt::format("{}", fmt::join(finding_lines(f), "\n"))) + ">";
  auto elem = [&](std::string_view key, std::string_view value) {
    if (!value.empty()) el += "<elem" + attr("key", key) + ">" + xml_escape(value) + "</elem>";
  };
  elem("finding", f.id);
  elem("severity", to_string(f.severity));
  elem("title", f.title);
  elem("evidence", f.evidence);
  elem("remediation", f.remediation);
  if (!f.references.empty()) {
    el += "<table" + attr("key", "references") + ">";
    for (const auto& r : f.references) el += "<elem>" + xml_escape(r) + "</elem>";
    el += "</table>";
  }
  return el + "</script>";
}

// <os>, then <distance>/<uptime>/<ipidsequence>/<tcptssequence>, as nmap orders them.
std::string os_elements(const OsResult& os) {
  std::string out = "<os>";
  for (const auto& u : os.ports_used) {
    out += "<portused" + attr("state", to_string(u.state)) + attr("proto", to_string(u.protocol)) +
           attr("portid", u.port) + "/>";
  }
  int line = 0;
  for (const auto& m : os.matches) {
    out += "\n<osmatch" + attr("name", m.name) + attr("accuracy", m.accuracy) +
           attr("line", line++) + ">";
    for (const auto& c : m.classes) {
      out += "<osclass";
      if (!c.type.empty()) out += attr("type", c.type);
      out += attr("vendor", c.vendor) + attr("osfamily", c.family);
      if (!c.generation.empty()) out += attr("osgen", c.generation);
      out += attr("accuracy", c.accuracy) + ">";
      for (const auto& cpe : c.cpe) out += "<cpe>" + xml_escape(cpe) + "</cpe>";
      out += "</osclass>";
    }
    out += "</osmatch>";
  }
  if (os.matches.empty() && !os.fingerprint.empty()) {
    out += "\n<osfingerprint" + attr("fingerprint", os.fingerprint) + "/>";
  }
  out += "</os>\n";
  if (os.uptime_seconds >= 0) out += "<uptime" + attr("seconds", os.uptime_seconds) + "/>\n";
  if (os.distance >= 0) out += "<distance" + attr("value", os.distance) + "/>\n";
  if (!os.ip_id_sequence.empty()) {
    out += "<ipidsequence" + attr("class", os.ip_id_sequence) + attr("values", "") + "/>\n";
  }
  if (!os.tcp_ts_sequence.empty()) {
    out += "<tcptssequence" + attr("class", os.tcp_ts_sequence) + "/>\n";
  }
  return out;
}

std::string trace_element(const TraceResult& t) {
  std::string out = "<trace";
  if (t.port != 0) out += attr("port", t.port);
  out += attr("proto", t.protocol) + ">\n";
  for (const auto& h : t.hops) {
    out += "<hop" + attr("ttl", h.ttl) + attr("ipaddr", h.address.to_string()) +
           attr("rtt", fmt::format("{:.2f}", h.rtt_ms));
    if (!h.host.empty()) out += attr("host", h.host);
    out += "/>\n";
  }
  return out + "</trace>\n";
}

bool has_service(const PortResult& p) {
  return p.service &&
         !(p.service->name.empty() && p.service->product.empty() && p.service->version.empty());
}

class XmlWriter final : public ReportWriter {
 public:
  XmlWriter(std::ostream& out, const OutputOptions& options) : out_(out), options_(options) {}

  void begin(const ScanRunInfo& run) override {
    run_ = run;
    out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         << "<!DOCTYPE nmaprun>\n"
         << "<?xml-stylesheet href=\"" << kStylesheet << "\" type=\"text/xsl\"?>\n"
         << "<!-- Portolan " << xml_comment_text(run.version) << " scan initiated "
         << report_date(run.start_time) << " as: " << xml_comment_text(run.args) << " -->\n"
         << "<nmaprun" << attr("scanner", "nmap") << attr("args", run.args)
         << attr("start", unix_seconds(run.start_time))
         << attr("startstr", report_date(run.start_time)) << attr("version", kNmapCompatVersion)
         << attr("xmloutputversion", kXmlOutputVersion) << ">\n";
    for (const auto& si : run.scan_info) {
      out_ << "<scaninfo" << attr("type", si.type) << attr("protocol", to_string(si.protocol))
           << attr("numservices", si.num_services) << attr("services", si.services) << "/>\n";
    }
    out_ << "<verbose" << attr("level", options_.verbosity) << "/>\n"
         << "<debugging" << attr("level", options_.debugging) << "/>\n";
    out_.flush();
  }

  void host(const HostResult& host) override {
    if (!shows_host(host, run_, options_)) return;
    const bool listed = is_listed_only(host, run_);
    out_ << "<host";
    if (scans_ports(run_) && host.state == HostState::kUp) {
      out_ << attr("starttime", unix_seconds(host.start_time))
           << attr("endtime", unix_seconds(host.end_time));
    }
    if (host.timed_out) out_ << attr("timedout", "true");
    out_ << "><status" << attr("state", listed ? "unknown" : to_string(host.state))
         << attr("reason", to_string(host.reason)) << attr("reason_ttl", host.reason_ttl) << "/>\n";
    out_ << "<address" << attr("addr", host.address.to_string())
         << attr("addrtype", address_type(host.address)) << "/>\n";
    // nmap writes an empty <hostnames> for an up host it resolved without
    // result, and none for listed or down hosts without names.
    if (!host.hostnames.empty() || (host.state == HostState::kUp && !listed)) {
      out_ << "<hostnames>\n";
      for (const auto& n : host.hostnames) {
        out_ << "<hostname" << attr("name", n.name)
             << attr("type", n.kind == HostName::Kind::kPtr ? "PTR" : "user") << "/>\n";
      }
      out_ << "</hostnames>\n";
    }
    if (!listed && has_port_section(host, run_) && !host.ports.empty()) write_ports(host);
    if (!listed && host.os) out_ << os_elements(*host.os);
    if (!listed && std::any_of(host.findings.begin(), host.findings.end(),
                               [](const Finding& f) { return f.port == 0; })) {
      out_ << "<hostscript>";
      for (const auto& f : host.findings) {
        if (f.port == 0) out_ << finding_script(f);
      }
      out_ << "</hostscript>\n";
    }
    if (!listed && host.trace) out_ << trace_element(*host.trace);
    if (!listed && host.times.srtt_us >= 0 && host.times.rttvar_us >= 0 &&
        host.times.timeout_us >= 0) {
      out_ << "<times" << attr("srtt", host.times.srtt_us) << attr("rttvar", host.times.rttvar_us)
           << attr("to", host.times.timeout_us) << "/>\n";
    }
    out_ << "</host>\n";
    out_.flush();
  }

  void end(const ScanSummary& summary) override {
    const std::string date = report_date(summary.end_time);
    out_ << "<runstats><finished" << attr("time", unix_seconds(summary.end_time))
         << attr("timestr", date)
         << attr("summary", "Portolan done at " + date + "; " + run_summary_phrase(summary))
         << attr("elapsed", elapsed_seconds(summary.elapsed_seconds))
         << attr("exit", summary.success ? "success" : "error");
    if (!summary.success) out_ << attr("errormsg", summary.error_message);
    out_ << "/><hosts" << attr("up", static_cast<int64_t>(summary.hosts_up))
         << attr("down", static_cast<int64_t>(summary.hosts_down))
         << attr("total", static_cast<int64_t>(summary.hosts_total)) << "/>\n"
         << "</runstats>\n"
         << "</nmaprun>\n";
    out_.flush();
  }

 private:
  void write_ports(const HostResult& host) {
    const PortGrouping grouping = group_ports(host.ports, options_);
    out_ << "<ports>";
    for (const auto& fs : grouping.folded) {
      out_ << "<extraports" << attr("state", to_string(fs.state))
           << attr("count", static_cast<int64_t>(fs.count)) << ">\n";
      for (const auto& r : fs.reasons) {
        out_ << "<extrareasons" << attr("reason", to_string(r.reason))
             << attr("count", static_cast<int64_t>(r.ports.size()))
             << attr("proto", to_string(r.protocol)) << attr("ports", compress_port_list(r.ports))
             << "/>\n";
      }
      out_ << "</extraports>\n";
    }
    for (const PortResult* p : grouping.shown) {
      out_ << "<port" << attr("protocol", to_string(p->protocol)) << attr("portid", p->port)
           << "><state" << attr("state", to_string(p->state))
           << attr("reason", to_string(p->reason)) << attr("reason_ttl", p->reason_ttl) << "/>";
      if (has_service(*p)) out_ << service_element(*p->service);
      if (p->service && p->service->tls) out_ << ssl_cert_script(*p->service->tls);
      for (const auto& f : host.findings) {
        if (f.port == p->port && f.protocol == p->protocol) out_ << finding_script(f);
      }
      out_ << "</port>\n";
    }
    out_ << "</ports>\n";
  }

  std::ostream& out_;
  OutputOptions options_;
  ScanRunInfo run_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_xml_writer(std::ostream& out, const OutputOptions& options) {
  return std::make_unique<XmlWriter>(out, options);
}

}  // namespace portolan
