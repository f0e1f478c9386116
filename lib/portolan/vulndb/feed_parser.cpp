// OSV and NVD CVE JSON 2.0 parsing; see feed_parser.h. Every field is read
// with a type check: feeds are outside input, and one odd record must cost
// that record, never the import.
#include "portolan/vulndb/feed_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "portolan/vulndb/cvss.h"

namespace portolan::vulndb {
namespace {

using nlohmann::json;

// A record that cannot be used; the message says why.
struct SkipRecord {
  std::string why;
};

std::string str(const json& obj, std::string_view key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

const json* array_at(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_array()) return nullptr;
  return &*it;
}

// One line of at most `max` bytes, cut on a UTF-8 character boundary.
std::string one_line(std::string_view text, size_t max = 300) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_cve_id(std::string_view s) {
  return s.size() > 9 && s.starts_with("CVE-");
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

void add_score_from_vector(VulnRecord& r, const std::string& vector) {
  auto score = cvss3_base_score(vector);
  if (!score) return;
  if (!r.score || *score > *r.score) {
    r.score = *score;
    r.cvss_vector = vector;
  }
}

// ---- OSV ----

void parse_osv_affected(const json& entry, VulnRecord& r, ParseStats& stats) {
  if (!entry.is_object()) throw SkipRecord{"an affected entry is not an object"};
  auto pkg = entry.find("package");
  if (pkg == entry.end() || !pkg->is_object()) {
    // OSV allows affected entries without a package (ranges on a GIT repo).
    ++stats.skipped_ranges;
    return;
  }
  const std::string ecosystem = str(*pkg, "ecosystem");
  const std::string name = str(*pkg, "name");
  if (ecosystem.empty() || name.empty())
    throw SkipRecord{"an affected package lacks ecosystem or name"};
  auto [base, release] = split_ecosystem(ecosystem);
  bool any = false;
  if (const json* ranges = array_at(entry, "ranges")) {
    for (const json& range : *ranges) {
      const std::string type = str(range, "type");
      if (type != "ECOSYSTEM" && type != "SEMVER") {
        ++stats.skipped_ranges;  // GIT: commit hashes we cannot order against a version
        continue;
      }
      const json* events = array_at(range, "events");
      if (!events) throw SkipRecord{"a range has no events"};
      AffectedRange a{base, release, name, type, {}, {}};
      for (const json& ev : *events) {
        if (!ev.is_object()) throw SkipRecord{"a range event is not an object"};
        for (const char* kind : {"introduced", "fixed", "last_affected"}) {
          const std::string v = str(ev, kind);
          if (!v.empty()) a.events.push_back({kind, v});
        }
      }
      if (a.events.empty()) {
        ++stats.skipped_ranges;
        continue;
      }
      r.affected.push_back(std::move(a));
      any = true;
    }
  }
  if (const json* versions = array_at(entry, "versions")) {
    AffectedRange a{base, release, name, "VERSIONS", {}, {}};
    for (const json& v : *versions) {
      if (v.is_string() && !v.get_ref<const std::string&>().empty()) a.versions.push_back(v);
    }
    if (!a.versions.empty()) {
      r.affected.push_back(std::move(a));
      any = true;
    }
  }
  if (!any && !array_at(entry, "ranges") && !array_at(entry, "versions")) ++stats.skipped_ranges;
}

// Sets `is_withdrawn` for a withdrawn record, of which only the id is read.
VulnRecord parse_osv_record(const json& j, ParseStats& stats, bool& is_withdrawn) {
  if (!j.is_object()) throw SkipRecord{"a record is not an object"};
  VulnRecord r;
  r.source = "osv";
  r.id = str(j, "id");
  if (r.id.empty()) throw SkipRecord{"a record has no \"id\""};
  is_withdrawn = !str(j, "withdrawn").empty();
  if (is_withdrawn) return r;
  if (is_cve_id(r.id)) add_unique(r.cves, r.id);
  for (const char* key : {"aliases", "upstream"}) {
    if (const json* list = array_at(j, key)) {
      for (const json& a : *list) {
        if (!a.is_string()) continue;
        const std::string& s = a.get_ref<const std::string&>();
        if (std::string(key) == "aliases") add_unique(r.aliases, s);
        if (is_cve_id(s)) add_unique(r.cves, s);
      }
    }
  }
  r.summary = one_line(str(j, "summary"));
  if (r.summary.empty()) {
    const std::string details = str(j, "details");
    r.summary = one_line(details.substr(0, details.find('\n')));
  }
  r.published = str(j, "published");
  r.modified = str(j, "modified");
  if (const json* sev = array_at(j, "severity")) {
    for (const json& s : *sev) {
      const std::string type = str(s, "type");
      if (type == "CVSS_V3") add_score_from_vector(r, str(s, "score"));
    }
  }
  if (auto ds = j.find("database_specific"); ds != j.end() && ds->is_object()) {
    r.severity_text = lowercase(str(*ds, "severity"));
  }
  if (const json* refs = array_at(j, "references")) {
    for (const json& ref : *refs) {
      std::string url = str(ref, "url");
      if (!url.empty()) add_unique(r.references, std::move(url));
    }
  }
  if (auto aff = j.find("affected"); aff != j.end()) {
    if (!aff->is_array()) throw SkipRecord{"\"affected\" is not an array"};
    for (const json& entry : *aff) parse_osv_affected(entry, r, stats);
  }
  return r;
}

// ---- NVD ----

// Splits a CPE 2.3 formatted string on unescaped colons.
std::vector<std::string> split_cpe23(std::string_view cpe) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < cpe.size(); ++i) {
    if (cpe[i] == '\\' && i + 1 < cpe.size()) {
      out.back().push_back(cpe[++i]);
    } else if (cpe[i] == ':') {
      out.emplace_back();
    } else {
      out.back().push_back(cpe[i]);
    }
  }
  return out;
}

bool parse_cpe_match(const json& m, VulnRecord& r) {
  if (!m.is_object()) return false;
  auto vuln = m.find("vulnerable");
  if (vuln != m.end() && vuln->is_boolean() && !vuln->get<bool>()) return true;  // a platform
  const std::string criteria = str(m, "criteria");
  const auto f = split_cpe23(criteria);
  if (f.size() < 6 || f[0] != "cpe" || f[1] != "2.3" || f[3].empty() || f[4].empty()) return false;
  AffectedRange a;
  a.ecosystem = "cpe";
  a.package = lowercase(f[3]) + ":" + lowercase(f[4]);
  a.range_type = "CPE";
  const std::string start_in = str(m, "versionStartIncluding");
  const std::string start_ex = str(m, "versionStartExcluding");
  const std::string end_in = str(m, "versionEndIncluding");
  const std::string end_ex = str(m, "versionEndExcluding");
  if (!start_in.empty()) a.events.push_back({"introduced", start_in});
  if (!start_ex.empty()) a.events.push_back({"introduced_after", start_ex});
  if (a.events.empty() && (!end_in.empty() || !end_ex.empty())) {
    a.events.push_back({"introduced", "0"});
  }
  if (!end_ex.empty()) a.events.push_back({"fixed", end_ex});
  if (!end_in.empty()) a.events.push_back({"last_affected", end_in});
  const std::string& version = f[5];
  if (version != "*" && version != "-" && !version.empty()) {
    // NVD writes OpenSSH's "9.2p1" as version "9.2", update "p1".
    std::string v = version;
    if (f.size() > 6 && f[6] != "*" && f[6] != "-" && !f[6].empty()) v += f[6];
    a.versions.push_back(std::move(v));
    a.events.clear();
  } else if (a.events.empty()) {
    a.events.push_back({"introduced", "0"});  // every version, as NVD says
  }
  r.affected.push_back(std::move(a));
  return true;
}

void parse_nvd_metrics(const json& metrics, VulnRecord& r) {
  if (!metrics.is_object()) return;
  for (const char* key : {"cvssMetricV31", "cvssMetricV30"}) {
    const json* list = array_at(metrics, key);
    if (!list) continue;
    const json* chosen = nullptr;
    for (const json& m : *list) {
      if (!m.is_object()) continue;
      if (!chosen || str(m, "type") == "Primary") chosen = &m;
    }
    if (!chosen) continue;
    auto data = chosen->find("cvssData");
    if (data == chosen->end() || !data->is_object()) continue;
    const std::string vector = str(*data, "vectorString");
    auto base = data->find("baseScore");
    if (base != data->end() && base->is_number() && base->get<double>() >= 0 &&
        base->get<double>() <= 10) {
      r.score = base->get<double>();
      r.cvss_vector = vector;
      return;
    }
    if (!vector.empty()) add_score_from_vector(r, vector);
    if (r.score) return;
  }
  if (const json* v2 = array_at(metrics, "cvssMetricV2")) {
    for (const json& m : *v2) {
      auto data = m.is_object() ? m.find("cvssData") : m.end();
      if (!m.is_object() || data == m.end() || !data->is_object()) continue;
      auto base = data->find("baseScore");
      if (base != data->end() && base->is_number() && base->get<double>() >= 0 &&
          base->get<double>() <= 10) {
        // v2 has no "critical": cap at high rather than invent one.
        r.score = std::min(base->get<double>(), 8.9);
        r.cvss_vector = str(*data, "vectorString");
        return;
      }
    }
  }
}

VulnRecord parse_nvd_item(const json& item, ParseStats& stats) {
  if (!item.is_object()) throw SkipRecord{"a vulnerabilities[] item is not an object"};
  auto cve_it = item.find("cve");
  if (cve_it == item.end() || !cve_it->is_object())
    throw SkipRecord{"an item has no \"cve\" object"};
  const json& cve = *cve_it;
  VulnRecord r;
  r.source = "nvd";
  r.id = str(cve, "id");
  if (r.id.empty()) throw SkipRecord{"a cve has no \"id\""};
  if (is_cve_id(r.id)) r.cves.push_back(r.id);
  if (const json* desc = array_at(cve, "descriptions")) {
    for (const json& d : *desc) {
      if (str(d, "lang") == "en") {
        r.summary = one_line(str(d, "value"));
        break;
      }
    }
  }
  r.published = str(cve, "published");
  r.modified = str(cve, "lastModified");
  if (auto m = cve.find("metrics"); m != cve.end()) parse_nvd_metrics(*m, r);
  if (const json* refs = array_at(cve, "references")) {
    for (const json& ref : *refs) {
      std::string url = str(ref, "url");
      if (!url.empty()) add_unique(r.references, std::move(url));
    }
  }
  if (const json* configs = array_at(cve, "configurations")) {
    for (const json& config : *configs) {
      const json* nodes = array_at(config, "nodes");
      if (!nodes) continue;
      for (const json& node : *nodes) {
        auto negate = node.is_object() ? node.find("negate") : node.end();
        if (node.is_object() && negate != node.end() && negate->is_boolean() &&
            negate->get<bool>()) {
          ++stats.skipped_ranges;
          continue;
        }
        const json* matches = array_at(node, "cpeMatch");
        if (!matches) continue;
        for (const json& m : *matches) {
          if (!parse_cpe_match(m, r)) ++stats.skipped_ranges;
        }
      }
    }
  }
  return r;
}

template <typename Parse>
void each_record(const json& list, ParseStats& stats, Parse&& parse) {
  for (const json& item : list) {
    try {
      parse(item);
    } catch (const SkipRecord& s) {
      if (stats.skipped_records++ == 0) stats.first_problem = s.why;
    } catch (const json::exception& e) {
      if (stats.skipped_records++ == 0) stats.first_problem = e.what();
    }
  }
}

}  // namespace

std::pair<std::string, std::string> split_ecosystem(std::string_view ecosystem) {
  const size_t colon = ecosystem.find(':');
  if (colon == std::string_view::npos) return {std::string(ecosystem), {}};
  std::string base(ecosystem.substr(0, colon));
  std::string_view rest = ecosystem.substr(colon + 1);
  if (rest.starts_with("Pro:")) rest.remove_prefix(4);
  const size_t next = rest.find(':');
  return {std::move(base), std::string(rest.substr(0, next))};
}

Result<ParseStats> parse_feed(std::string_view bytes,
                              const std::function<void(VulnRecord&&)>& record,
                              const std::function<void(const std::string&)>& withdrawn) {
  json root;
  try {
    root = json::parse(bytes.begin(), bytes.end());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    if (auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
    return fail(fmt::format("not valid JSON (byte {}): {}", e.byte, what));
  }
  ParseStats stats;
  auto osv = [&](const json& item) {
    bool is_withdrawn = false;
    VulnRecord r = parse_osv_record(item, stats, is_withdrawn);
    if (is_withdrawn) {
      ++stats.withdrawn;
      withdrawn(r.id);
      return;
    }
    ++stats.records;
    record(std::move(r));
  };
  if (root.is_object() && root.contains("vulnerabilities")) {
    const json* items = array_at(root, "vulnerabilities");
    if (!items) return fail("NVD feed: \"vulnerabilities\" is not an array");
    stats.format = FeedFormat::kNvd;
    each_record(*items, stats, [&](const json& item) {
      VulnRecord r = parse_nvd_item(item, stats);
      ++stats.records;
      record(std::move(r));
    });
    return stats;
  }
  if (root.is_object() && root.contains("CVE_Items")) {
    return fail(
        "NVD JSON 1.1 feeds are retired and not supported: use CVE JSON 2.0 (the NVD API 2.0)");
  }
  if (root.is_object() && root.contains("id")) {
    stats.format = FeedFormat::kOsv;
    // A single record: a malformed one is the whole file, so it is an error.
    try {
      osv(root);
    } catch (const SkipRecord& s) {
      return fail("OSV record: " + s.why);
    } catch (const json::exception& e) {
      return fail(std::string("OSV record: ") + e.what());
    }
    return stats;
  }
  if (root.is_array()) {
    stats.format = FeedFormat::kOsv;
    each_record(root, stats, osv);
    return stats;
  }
  return fail(
      "neither an OSV record (an object with \"id\"), an array of OSV records, nor an NVD CVE JSON "
      "2.0 feed (an object with \"vulnerabilities\")");
}

}  // namespace portolan::vulndb
