// Reads nmap-format XML reports (ours and nmap's) into the result model; see
// the header for what is read and what is an error.
//
// The one idea: the DOM pugixml builds is walked once, element by element,
// and every value that reaches the model is checked on the way (numbers in
// range, addresses parsed, states known). Errors carry the line of the
// element they are about, computed from pugixml's byte offset into the
// buffer, which is why the document is parsed as UTF-8 without conversion.
#include "portolan/results/xml_report_reader.h"

#include <fmt/format.h>

#include <sys/stat.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <pugixml.hpp>

namespace portolan {
namespace {

// Unix seconds beyond this do not fit system_clock's nanoseconds (year 2262).
constexpr int64_t kMaxUnixSeconds = 9'000'000'000;

bool is(const pugi::xml_node& n, std::string_view name) {
  return name == n.name();
}

std::string_view attr(const pugi::xml_node& n, const char* name) {
  return n.attribute(name).value();
}

// A value from the file inside an error message: quoted, control bytes
// escaped (an attribute may hold "&#10;") and long values cut, so the
// message stays one short line.
std::string quoted(std::string_view value) {
  constexpr size_t kShown = 64;
  std::string out = "'";
  for (size_t i = 0; i < value.size() && i < kShown; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + (value.size() > kShown ? "'..." : "'");
}

template <typename T>
std::optional<T> parse_number(std::string_view text, T lo, T hi) {
  T v{};
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end || v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<double> parse_seconds(std::string_view text) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end || !std::isfinite(v) || v < 0 || v > 1e12) {
    return std::nullopt;
  }
  return v;
}

std::optional<PortState> parse_port_state(std::string_view s) {
  for (PortState st :
       {PortState::kOpen, PortState::kClosed, PortState::kFiltered, PortState::kUnfiltered,
        PortState::kOpenFiltered, PortState::kClosedFiltered}) {
    if (s == to_string(st)) return st;
  }
  return std::nullopt;
}

std::optional<HostState> parse_host_state(std::string_view s) {
  for (HostState st :
       {HostState::kUp, HostState::kDown, HostState::kUnknown, HostState::kSkipped}) {
    if (s == to_string(st)) return st;
  }
  return std::nullopt;
}

// nmap knows more reasons than the model (e.g. "proto-response"): those
// become kUnknown rather than an error.
Reason parse_reason(std::string_view s) {
  for (int i = 0; i <= static_cast<int>(Reason::kTimestampReply); ++i) {
    const auto r = static_cast<Reason>(i);
    if (s == to_string(r)) return r;
  }
  return Reason::kUnknown;
}

// The direct <elem key="..."> child's text; empty when absent.
std::string elem_text(const pugi::xml_node& parent, std::string_view key) {
  for (const auto& e : parent.children("elem")) {
    if (attr(e, "key") == key) return e.child_value();
  }
  return {};
}

pugi::xml_node table(const pugi::xml_node& parent, std::string_view key) {
  for (const auto& t : parent.children("table")) {
    if (attr(t, "key") == key) return t;
  }
  return {};
}

std::vector<std::string> table_values(const pugi::xml_node& t) {
  std::vector<std::string> out;
  for (const auto& e : t.children("elem")) out.emplace_back(e.child_value());
  return out;
}

// nmap's ssl-cert names attributes by their long OpenSSL names; the model
// holds RFC 2253 lines as OpenSSL prints them ("CN=host,O=Org,C=DE").
struct DnAttribute {
  std::string_view long_name;
  std::string_view short_name;
};
constexpr std::array<DnAttribute, 9> kDnAttributes{{
    // In RFC 2253 order for the usual certificate (reverse of C, ST, L, O, OU, CN).
    {"commonName", "CN"},
    {"organizationalUnitName", "OU"},
    {"organizationName", "O"},
    {"streetAddress", "STREET"},
    {"localityName", "L"},
    {"stateOrProvinceName", "ST"},
    {"countryName", "C"},
    {"domainComponent", "DC"},
    {"userId", "UID"},
}};

std::string rfc2253_escape(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool special = std::string_view(",+\"\\<>;").find(c) != std::string_view::npos;
    const bool edge = (i == 0 && (c == '#' || c == ' ')) || (i + 1 == value.size() && c == ' ');
    if (special || edge) out += '\\';
    out += c;
  }
  return out;
}

// nmap's table loses the certificate's attribute order, so the line uses the
// usual order: attributes nmap names but we do not know (emailAddress, which
// usually follows CN in the certificate) first, then kDnAttributes' order.
std::string dn_line(const pugi::xml_node& t) {
  std::vector<std::pair<int, std::string>> parts;
  auto add = [&](std::string_view key, std::string_view value) {
    int rank = -1;
    std::string name(key);
    for (size_t i = 0; i < kDnAttributes.size(); ++i) {
      if (kDnAttributes[i].long_name == key) {
        rank = static_cast<int>(i);
        name = kDnAttributes[i].short_name;
      }
    }
    parts.emplace_back(rank, name + "=" + rfc2253_escape(value));
  };
  for (const auto& child : t.children()) {
    if (is(child, "elem")) {
      add(attr(child, "key"), child.child_value());
    } else if (is(child, "table")) {  // a repeated attribute: several values
      for (const auto& e : child.children("elem")) add(attr(child, "key"), e.child_value());
    }
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string line;
  for (const auto& [rank, part] : parts) {
    if (!line.empty()) line += ',';
    line += part;
  }
  return line;
}

// nmap writes validity without a zone ("2026-01-01T00:00:00"); it is UTC.
std::string utc_time(std::string text) {
  if (text.size() == 19 && text[10] == 'T') text += 'Z';
  return text;
}

// nmap's ssl-cert gives SANs only as the extension's text:
// "DNS:localhost, IP Address:127.0.0.1".
std::vector<std::string> sans_from_extension(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t comma = text.find(", ");
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 2);
    if (item.substr(0, 11) == "IP Address:") {
      out.push_back("IP:" + std::string(item.substr(11)));
    } else if (!item.empty()) {
      out.emplace_back(item);
    }
  }
  return out;
}

// The oldest first, as TlsInfo::versions.
int version_rank(std::string_view v) {
  constexpr std::array<std::string_view, 6> kOrder{"SSLv2",   "SSLv3",   "TLSv1.0",
                                                   "TLSv1.1", "TLSv1.2", "TLSv1.3"};
  for (size_t i = 0; i < kOrder.size(); ++i) {
    if (kOrder[i] == v) return static_cast<int>(i);
  }
  return static_cast<int>(kOrder.size());
}

// ssl-cert, in Portolan's shape (flat elems) or nmap's (subject, issuer,
// pubkey, validity tables).
void read_ssl_cert(const pugi::xml_node& script, TlsInfo& tls) {
  const pugi::xml_node subject = table(script, "subject");
  const bool nmap_shape = static_cast<bool>(subject);
  if (nmap_shape) {
    tls.subject = dn_line(subject);
    tls.issuer = dn_line(table(script, "issuer"));
    tls.self_signed = !tls.subject.empty() && tls.subject == tls.issuer;
    const pugi::xml_node validity = table(script, "validity");
    tls.not_before = utc_time(elem_text(validity, "notBefore"));
    tls.not_after = utc_time(elem_text(validity, "notAfter"));
    const pugi::xml_node pubkey = table(script, "pubkey");
    tls.key_type = elem_text(pubkey, "type");
    tls.key_bits = parse_number<int>(elem_text(pubkey, "bits"), 0, 1 << 20).value_or(0);
    for (const auto& ext : table(script, "extensions").children("table")) {
      if (elem_text(ext, "name") == "X509v3 Subject Alternative Name") {
        tls.sans = sans_from_extension(elem_text(ext, "value"));
      }
    }
  } else {
    tls.subject = elem_text(script, "subject");
    tls.issuer = elem_text(script, "issuer");
    tls.self_signed = elem_text(script, "selfSigned") == "true";
    tls.not_before = elem_text(script, "notBefore");
    tls.not_after = elem_text(script, "notAfter");
    tls.key_type = elem_text(script, "pubkeyType");
    tls.key_bits = parse_number<int>(elem_text(script, "pubkeyBits"), 0, 1 << 20).value_or(0);
    tls.sans = table_values(table(script, "sans"));
    if (auto versions = table_values(table(script, "versions")); !versions.empty()) {
      tls.versions = std::move(versions);
    }
  }
  tls.signature_algorithm = elem_text(script, "sig_algo");
  tls.sha256 = elem_text(script, "sha256");
  tls.negotiated = elem_text(script, "negotiated");
  tls.cipher = elem_text(script, "cipher");
  tls.starttls = elem_text(script, "starttls") == "true";
}

// ssl-enum-ciphers: one table per accepted version, keyed "TLSv1.2".
std::vector<std::string> enum_cipher_versions(const pugi::xml_node& script) {
  std::vector<std::string> out;
  for (const auto& t : script.children("table")) {
    const std::string_view key = attr(t, "key");
    if (key.substr(0, 4) == "SSLv" || key.substr(0, 4) == "TLSv") out.emplace_back(key);
  }
  std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return version_rank(a) < version_rank(b);
  });
  return out;
}

bool is_finding_script(const pugi::xml_node& script) {
  bool id = false;
  bool severity = false;
  for (const auto& e : script.children("elem")) {
    id = id || attr(e, "key") == "finding";
    severity = severity || attr(e, "key") == "severity";
  }
  return id && severity;
}

// The run's options, from the command line the report records. nmap allows
// combined scan types ("-sSV"); -A means -sV -O (and, for Portolan, --audit).
void flags_from_args(std::string_view args, bool portolan, ScanRunInfo& run) {
  while (!args.empty()) {
    const size_t space = args.find(' ');
    const std::string_view tok = args.substr(0, space);
    args = space == std::string_view::npos ? std::string_view() : args.substr(space + 1);
    if (tok == "-A") {
      run.version_detect = run.os_detect = true;
      if (portolan) run.audit = true;
    } else if (tok == "-O") {
      run.os_detect = true;
    } else if (tok == "--audit" || tok.substr(0, 8) == "--audit=") {
      run.audit = true;
    } else if (tok.size() > 2 && tok.substr(0, 2) == "-s") {
      if (tok == "-sL") run.list_scan = true;
      if (tok == "-sn" || tok == "-sP") run.ping_scan = true;
      if (tok.find('V') != std::string_view::npos) run.version_detect = true;
    }
  }
}

class ReportParser {
 public:
  ReportParser(std::string_view xml, const std::string& origin) : xml_(xml), origin_(origin) {}

  Result<ParsedReport> parse() {
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(
        xml_.data(), xml_.size(), pugi::parse_default | pugi::parse_comments, pugi::encoding_utf8);
    if (!parsed) {
      if (parsed.status == pugi::status_no_document_element) {
        return error_at(parsed.offset, "no XML element: not an XML report");
      }
      return error_at(parsed.offset, fmt::format("not well-formed XML: {}", parsed.description()));
    }
    const pugi::xml_node root = doc.document_element();
    if (!is(root, "nmaprun")) {
      return error(root, fmt::format("root element is <{}>, not <nmaprun>",
                                     std::string_view(root.name()).substr(0, 64)));
    }

    ParsedReport report;
    // Portolan's leading comment: "Portolan 0.1.0 scan initiated ... as: ...".
    for (const auto& n : doc.children()) {
      if (n.type() != pugi::node_comment) continue;
      std::string_view text = n.value();
      text.remove_prefix(std::min(text.find_first_not_of(' '), text.size()));
      if (text.substr(0, 9) == "Portolan ") {
        report.scanner = "portolan";
        text.remove_prefix(9);
        report.run.version = std::string(text.substr(0, text.find(' ')));
      }
    }
    if (report.scanner.empty()) {
      report.scanner = attr(root, "scanner").empty() ? "nmap" : attr(root, "scanner");
      report.run.version = attr(root, "version");
    }
    report.run.args = attr(root, "args");
    if (auto t = time_attr(root, "start"); !t) {
      return Unexpected(t.error());
    } else {
      report.run.start_time = *t;
    }
    flags_from_args(report.run.args, report.scanner == "portolan", report.run);

    for (const auto& n : root.children()) {
      Result<void> ok;
      if (is(n, "scaninfo")) {
        ok = read_scaninfo(n, report.run);
      } else if (is(n, "verbose")) {
        ok = level(n, report.run.verbosity);
      } else if (is(n, "debugging")) {
        ok = level(n, report.run.debugging);
      } else if (is(n, "host")) {
        HostResult host;
        ok = read_host(n, host);
        if (ok) {
          if (!host.findings.empty()) report.run.audit = true;
          count_findings(report.summary, host);
          if (host.os) report.run.os_detect = true;
          report.hosts.push_back(std::move(host));
        }
      } else if (is(n, "runstats")) {
        ok = read_runstats(n, report.summary);
      }
      if (!ok) return Unexpected(ok.error());
    }
    return report;
  }

 private:
  Unexpected error_at(ptrdiff_t offset, std::string_view what) const {
    // An error at the end of the input (a truncated file) is on its last line,
    // not on the empty line after its final newline.
    const size_t last = xml_.empty() ? 0 : xml_.size() - 1;
    const size_t end = offset < 0 ? 0 : std::min(static_cast<size_t>(offset), last);
    const auto line =
        1 + std::count(xml_.begin(), xml_.begin() + static_cast<ptrdiff_t>(end), '\n');
    return fail(fmt::format("{}: line {}: {}", origin_, line, what));
  }
  Unexpected error(const pugi::xml_node& n, std::string_view what) const {
    return error_at(n.offset_debug(), what);
  }

  // An optional Unix-seconds attribute; absent gives the epoch.
  Result<WallClock::time_point> time_attr(const pugi::xml_node& n, const char* name) const {
    const pugi::xml_attribute a = n.attribute(name);
    if (!a) return WallClock::time_point{};
    const auto v = parse_number<int64_t>(a.value(), 0, kMaxUnixSeconds);
    if (!v) return error(n, fmt::format("bad {} time {}", name, quoted(a.value())));
    return WallClock::time_point(std::chrono::seconds(*v));
  }

  Result<void> level(const pugi::xml_node& n, int& out) const {
    const auto v = parse_number<int>(attr(n, "level"), 0, 1000);
    if (!v) return error(n, fmt::format("bad <{}> level {}", n.name(), quoted(attr(n, "level"))));
    out = *v;
    return {};
  }

  Result<void> read_scaninfo(const pugi::xml_node& n, ScanRunInfo& run) const {
    ScanInfo si;
    const auto protocol = parse_protocol(attr(n, "protocol"));
    if (!protocol) return {};  // -sO's "ip": not a protocol the model has
    si.protocol = *protocol;
    si.type = attr(n, "type");
    if (n.attribute("numservices")) {  // masscan writes none
      const auto count = parse_number<uint32_t>(attr(n, "numservices"), 0, 1u << 20);
      if (!count)
        return error(n, fmt::format("bad numservices {}", quoted(attr(n, "numservices"))));
      si.num_services = *count;
    }
    si.services = attr(n, "services");
    run.scan_info.push_back(std::move(si));
    return {};
  }

  Result<void> read_runstats(const pugi::xml_node& n, ScanSummary& summary) const {
    if (const pugi::xml_node f = n.child("finished")) {
      auto t = time_attr(f, "time");
      if (!t) return Unexpected(t.error());
      summary.end_time = *t;
      if (f.attribute("elapsed")) {
        const auto e = parse_seconds(attr(f, "elapsed"));
        if (!e) return error(f, fmt::format("bad elapsed time {}", quoted(attr(f, "elapsed"))));
        summary.elapsed_seconds = *e;
      }
      summary.success = attr(f, "exit") != "error";
      summary.error_message = attr(f, "errormsg");
    }
    if (const pugi::xml_node h = n.child("hosts")) {
      for (auto [name, out] :
           {std::pair{"up", &summary.hosts_up}, std::pair{"down", &summary.hosts_down},
            std::pair{"total", &summary.hosts_total}}) {
        if (!h.attribute(name)) continue;
        const auto v = parse_number<uint64_t>(attr(h, name), 0, uint64_t{1} << 48);
        if (!v) return error(h, fmt::format("bad hosts {} count {}", name, quoted(attr(h, name))));
        *out = *v;
      }
    }
    return {};
  }

  Result<void> read_host(const pugi::xml_node& n, HostResult& host) const {
    if (auto t = time_attr(n, "starttime"); !t) {
      return Unexpected(t.error());
    } else {
      host.start_time = *t;
    }
    if (auto t = time_attr(n, "endtime"); !t) {
      return Unexpected(t.error());
    } else {
      host.end_time = *t;
    }
    host.timed_out = attr(n, "timedout") == "true";

    bool has_status = false;
    bool has_address = false;
    for (const auto& c : n.children()) {
      Result<void> ok;
      if (is(c, "status")) {
        has_status = true;
        ok = read_status(c, host);
      } else if (is(c, "address")) {
        ok = read_address(c, host, has_address);
      } else if (is(c, "hostnames")) {
        for (const auto& h : c.children("hostname")) {
          host.hostnames.push_back(
              HostName{h.attribute("name").value(),
                       attr(h, "type") == "PTR" ? HostName::Kind::kPtr : HostName::Kind::kUser});
        }
      } else if (is(c, "ports")) {
        ok = read_ports(c, host);
      } else if (is(c, "hostscript")) {
        for (const auto& s : c.children("script")) {
          if (!is_finding_script(s)) continue;
          ok = read_finding(s, Protocol::kTcp, 0, host);
          if (!ok) break;
        }
      } else if (is(c, "times")) {
        ok = read_times(c, host.times);
      } else if (is(c, "os")) {
        host.os.emplace();  // the audit needs only to know that -O ran
      }
      if (!ok) return Unexpected(ok.error());
    }
    if (!has_address) return error(n, "host without an IPv4 or IPv6 address");
    // masscan writes no <status>: every host it lists answered.
    if (!has_status) host.state = host.ports.empty() ? HostState::kUnknown : HostState::kUp;
    std::stable_sort(host.findings.begin(), host.findings.end(), finding_before);
    return {};
  }

  Result<void> read_status(const pugi::xml_node& n, HostResult& host) const {
    const auto state = parse_host_state(attr(n, "state"));
    if (!state) return error(n, fmt::format("unknown host state {}", quoted(attr(n, "state"))));
    host.state = *state;
    host.reason = parse_reason(attr(n, "reason"));
    return ttl(n, host.reason_ttl);
  }

  Result<void> ttl(const pugi::xml_node& n, uint8_t& out) const {
    if (!n.attribute("reason_ttl")) return {};
    const auto v = parse_number<int>(attr(n, "reason_ttl"), 0, 255);
    if (!v) return error(n, fmt::format("bad reason_ttl {}", quoted(attr(n, "reason_ttl"))));
    out = static_cast<uint8_t>(*v);
    return {};
  }

  Result<void> read_address(const pugi::xml_node& n, HostResult& host, bool& has_address) const {
    std::string_view type = attr(n, "addrtype");
    if (type.empty()) type = "ipv4";                  // the DTD's default
    if (type != "ipv4" && type != "ipv6") return {};  // mac: not part of the model
    const std::string_view text = attr(n, "addr");
    auto address = IpAddress::parse(text);
    if (!address || address->is_v4() != (type == "ipv4")) {
      return error(n, fmt::format("bad {} address {}", type, quoted(text)));
    }
    if (!has_address) host.address = *address;  // the first is the target
    has_address = true;
    return {};
  }

  Result<void> read_times(const pugi::xml_node& n, HostTimes& times) const {
    for (auto [name, out] :
         {std::pair{"srtt", &times.srtt_us}, std::pair{"rttvar", &times.rttvar_us},
          std::pair{"to", &times.timeout_us}}) {
      const auto v = parse_number<int64_t>(attr(n, name), -1, kMaxUnixSeconds);
      if (!v) return error(n, fmt::format("bad <times> {} {}", name, quoted(attr(n, name))));
      *out = *v;
    }
    return {};
  }

  Result<void> read_ports(const pugi::xml_node& n, HostResult& host) const {
    for (const auto& p : n.children("port")) {
      if (host.ports.size() >= kMaxXmlPortsPerHost) {
        return error(p, fmt::format("more than {} ports in one host", kMaxXmlPortsPerHost));
      }
      auto ok = read_port(p, host);
      if (!ok) return ok;
    }
    return {};
  }

  Result<void> read_port(const pugi::xml_node& n, HostResult& host) const {
    const auto protocol = parse_protocol(attr(n, "protocol"));
    if (!protocol) return {};  // -sO's "ip": not a protocol the model has
    const std::string_view id = attr(n, "portid");
    const auto number = parse_number<uint32_t>(id, 0, 65535);
    if (!number) return error(n, fmt::format("port number {} out of range 0-65535", quoted(id)));

    PortResult port;
    port.protocol = *protocol;
    port.port = static_cast<uint16_t>(*number);
    const pugi::xml_node state = n.child("state");
    if (!state)
      return error(n, fmt::format("port {}/{} has no <state>", *number, to_string(*protocol)));
    const auto st = parse_port_state(attr(state, "state"));
    if (!st)
      return error(state, fmt::format("unknown port state {}", quoted(attr(state, "state"))));
    port.state = *st;
    port.reason = parse_reason(attr(state, "reason"));
    if (auto ok = ttl(state, port.reason_ttl); !ok) return ok;

    std::optional<ServiceInfo> service;
    if (const pugi::xml_node s = n.child("service")) {
      auto read = read_service(s);
      if (!read) return Unexpected(read.error());
      service = std::move(*read);
    }
    std::optional<TlsInfo> tls;
    std::vector<std::string> enum_versions;
    for (const auto& script : n.children("script")) {
      if (is_finding_script(script)) {
        if (auto ok = read_finding(script, port.protocol, port.port, host); !ok) return ok;
      } else if (attr(script, "id") == "ssl-cert") {
        read_ssl_cert(script, tls.emplace());
      } else if (attr(script, "id") == "ssl-enum-ciphers") {
        enum_versions = enum_cipher_versions(script);
      }
    }
    // ssl-enum-ciphers tried every version; ssl-cert's list is what -sV saw.
    if (!enum_versions.empty()) {
      if (!tls) tls.emplace();
      tls->versions = std::move(enum_versions);
    }
    if (tls) {
      if (!service) service.emplace();
      service->tls = std::move(tls);
    }
    if (service) port.service = std::make_shared<const ServiceInfo>(std::move(*service));
    host.ports.push_back(std::move(port));
    return {};
  }

  Result<ServiceInfo> read_service(const pugi::xml_node& n) const {
    ServiceInfo s;
    s.name = attr(n, "name");
    s.product = attr(n, "product");
    s.version = attr(n, "version");
    s.extra_info = attr(n, "extrainfo");
    s.host_name = attr(n, "hostname");
    s.os_type = attr(n, "ostype");
    s.device_type = attr(n, "devicetype");
    s.tunnel = attr(n, "tunnel");
    s.fingerprint = attr(n, "servicefp");
    if (n.attribute("method")) s.method = attr(n, "method");
    if (n.attribute("conf")) {
      const auto conf = parse_number<int>(attr(n, "conf"), 0, 10);
      if (!conf) return error(n, fmt::format("bad service conf {}", quoted(attr(n, "conf"))));
      s.conf = *conf;
    }
    for (const auto& c : n.children("cpe")) s.cpe.emplace_back(c.child_value());
    return s;
  }

  Result<void> read_finding(const pugi::xml_node& script, Protocol protocol, uint16_t port,
                            HostResult& host) const {
    Finding f;
    f.id = elem_text(script, "finding");
    if (f.id.empty()) return error(script, "finding without an id");
    const std::string severity = elem_text(script, "severity");
    const auto sev = parse_severity(severity);
    if (!sev)
      return error(script,
                   fmt::format("finding {}: unknown severity {}", quoted(f.id), quoted(severity)));
    f.severity = *sev;
    f.check = attr(script, "id");
    if (f.check.empty()) f.check = f.id.substr(0, f.id.find(':'));
    f.protocol = protocol;
    f.port = port;
    f.title = elem_text(script, "title");
    f.evidence = elem_text(script, "evidence");
    f.remediation = elem_text(script, "remediation");
    f.references = table_values(table(script, "references"));
    host.findings.push_back(std::move(f));
    return {};
  }

  std::string_view xml_;
  const std::string& origin_;
};

}  // namespace

Result<ParsedReport> read_xml_report(std::string_view xml, const std::string& origin) {
  return ReportParser(xml, origin).parse();
}

Result<ParsedReport> load_xml_report(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return fail(ErrorKind::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  struct stat st {};
  if (fstat(fileno(file), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(file);
    return fail(ErrorKind::kIo, fmt::format("{}: not a regular file", path));
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxXmlReportBytes) {
    std::fclose(file);
    return fail(ErrorKind::kResource,
                fmt::format("{}: larger than {} MiB", path, kMaxXmlReportBytes >> 20));
  }
  std::string xml(static_cast<size_t>(st.st_size), '\0');
  const size_t got = std::fread(xml.data(), 1, xml.size(), file);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return fail(ErrorKind::kIo, fmt::format("{}: read error", path));
  xml.resize(got);  // the file shrank while being read: parse what was there
  return read_xml_report(xml, path);
}

}  // namespace portolan
