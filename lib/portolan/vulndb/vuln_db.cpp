// VulnDb: reading the local vulnerability database and the backport-aware
// matching described in vuln_db.h.
#include "portolan/vulndb/vuln_db.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "portolan/vulndb/cvss.h"
#include "portolan/vulndb/detected_service.h"
#include "portolan/vulndb/sqlite_db.h"
#include "portolan/vulndb/version_order.h"
#include "portolan/vulndb/vuln_store.h"

namespace portolan {

using vulndb::SqliteDb;

namespace {

using Compare = std::function<int(std::string_view, std::string_view)>;

struct RangeHit {
  bool affected = false;
  std::string description;  // "8.5p1 <= v < 9.8p1"
  std::string fixed;        // the upper bound that fixes it; empty: none
};

struct Interval {
  std::string lower_kind, lower;  // "introduced"/"introduced_after"; lower "0" or empty: none
  std::string upper_kind, upper;  // "fixed"/"last_affected"; empty: none
};

bool in_interval(const Interval& in, std::string_view v, const Compare& cmp) {
  if (!in.lower.empty() && in.lower != "0") {
    const int c = cmp(v, in.lower);
    if (in.lower_kind == "introduced_after" ? c <= 0 : c < 0) return false;
  }
  if (!in.upper.empty()) {
    const int c = cmp(v, in.upper);
    if (in.upper_kind == "last_affected" ? c > 0 : c >= 0) return false;
  }
  return true;
}

std::string describe(const Interval& in) {
  std::string out;
  if (!in.lower.empty() && in.lower != "0") {
    out = fmt::format("{} {} v", in.lower, in.lower_kind == "introduced_after" ? "<" : "<=");
  } else {
    out = "v";
  }
  if (!in.upper.empty()) {
    out += fmt::format(" {} {}", in.upper_kind == "last_affected" ? "<=" : "<", in.upper);
  } else if (out == "v") {
    out = "all versions";
  }
  return out;
}

// Evaluates one stored range (events and versions as JSON) for `version`.
// Events pair up in feed order: each introduced opens an interval that the
// next fixed/last_affected closes; one left open has no upper bound.
RangeHit evaluate(const std::string& events_json, const std::string& versions_json,
                  std::string_view version, const Compare& cmp) {
  RangeHit hit;
  const auto events = nlohmann::json::parse(events_json, nullptr, false);
  const auto versions = nlohmann::json::parse(versions_json, nullptr, false);
  std::vector<Interval> intervals;
  std::optional<Interval> open;
  if (events.is_array()) {
    for (const auto& e : events) {
      if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_string()) continue;
      const std::string kind = e[0];
      const std::string v = e[1];
      if (kind == "introduced" || kind == "introduced_after") {
        if (open) intervals.push_back(*open);
        open = Interval{kind, v, {}, {}};
      } else if (kind == "fixed" || kind == "last_affected") {
        Interval in = open.value_or(Interval{"introduced", "0", {}, {}});
        in.upper_kind = kind;
        in.upper = v;
        intervals.push_back(std::move(in));
        open.reset();
      }
    }
  }
  if (open) intervals.push_back(*open);
  for (const Interval& in : intervals) {
    if (!in_interval(in, version, cmp)) continue;
    hit.affected = true;
    hit.description = describe(in);
    if (in.upper_kind == "fixed") hit.fixed = in.upper;
    return hit;
  }
  if (versions.is_array()) {
    for (const auto& v : versions) {
      if (v.is_string() && cmp(version, v.get<std::string>()) == 0) {
        hit.affected = true;
        hit.description = fmt::format("v = {}", v.get<std::string>());
        return hit;
      }
    }
  }
  return hit;
}

// The first version a stored range names, for the epoch of distro versions.
std::string first_version(const std::string& events_json, const std::string& versions_json) {
  for (const std::string* text : {&events_json, &versions_json}) {
    const auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_array()) continue;
    for (const auto& e : j) {
      if (e.is_array() && e.size() == 2 && e[1].is_string() && e[1] != "0") return e[1];
      if (e.is_string()) return e;
    }
  }
  return {};
}

// "1:9.2p1-2+deb12u3" -> "9.2p1".
std::string upstream_of_package_version(std::string_view v) {
  const size_t colon = v.find(':');
  if (colon != std::string_view::npos &&
      std::all_of(v.begin(), v.begin() + static_cast<long>(colon),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    v.remove_prefix(colon + 1);
  }
  return std::string(v.substr(0, v.rfind('-')));
}

struct AffectedRow {
  std::string vuln_id, release, events, versions;
};

std::vector<AffectedRow> affected_rows(const SqliteDb& db, std::string_view ecosystem,
                                       std::string_view package,
                                       const std::optional<std::string>& release) {
  std::vector<AffectedRow> rows;
  auto st = db.prepare(release ? "SELECT vuln_id, release, events, versions FROM affected WHERE "
                                 "ecosystem = ?1 AND package = ?2 AND release = ?3"
                               : "SELECT vuln_id, release, events, versions FROM affected WHERE "
                                 "ecosystem = ?1 AND package = ?2");
  if (!st) return rows;
  st->bind(1, ecosystem).bind(2, package);
  if (release) st->bind(3, *release);
  while (st->step() == SQLITE_ROW)
    rows.push_back({st->text(0), st->text(1), st->text(2), st->text(3)});
  return rows;
}

std::vector<std::string> keys_of(const SqliteDb& db, const std::string& vuln_id) {
  std::vector<std::string> keys;
  auto st = db.prepare("SELECT cve FROM vuln_cves WHERE vuln_id = ?1 ORDER BY cve");
  if (st) {
    st->bind(1, vuln_id);
    while (st->step() == SQLITE_ROW) keys.push_back(st->text(0));
  }
  if (keys.empty()) keys.push_back(vuln_id);
  return keys;
}

std::optional<Severity> severity_from_label(std::string_view label) {
  if (label == "critical") return Severity::kCritical;
  if (label == "high" || label == "important") return Severity::kHigh;
  if (label == "medium" || label == "moderate") return Severity::kMedium;
  if (label == "low" || label == "negligible" || label == "unimportant") return Severity::kLow;
  return std::nullopt;
}

// Fills summary, score, severity, published and references of `m` from every
// record about its CVE. NVD's text and score are preferred: they are the
// reference for a CVE, while distribution records often carry neither.
void fill_details(const SqliteDb& db, VulnMatch& m, const std::set<std::string>& matched_ids) {
  auto st = db.prepare(
      "SELECT id, source, summary, score, cvss_vector, severity_text, published FROM vulns "
      "WHERE id = ?1 OR id IN (SELECT vuln_id FROM vuln_cves WHERE cve = ?1) "
      "ORDER BY source = 'nvd' DESC, id");
  if (!st) return;
  st->bind(1, m.cve);
  std::vector<std::string> ids;
  std::string label;
  while (st->step() == SQLITE_ROW) {
    const std::string id = st->text(0);
    ids.push_back(id);
    if (m.summary.empty()) m.summary = st->text(2);
    if (auto score = st->real(3); score && !m.score) {
      m.score = score;
      m.cvss_vector = st->text(4);
    }
    if (label.empty()) label = st->text(5);
    if (m.published.empty()) m.published = st->text(6);
  }
  if (m.score) {
    m.severity = vulndb::severity_from_score(*m.score);
    m.severity_known = true;
  } else if (auto s = severity_from_label(label)) {
    m.severity = *s;
    m.severity_known = true;
  }
  m.references.push_back(m.cve);
  for (const std::string& id : matched_ids) {
    if (id != m.cve) m.references.push_back(id);
  }
  auto refs = db.prepare(
      "SELECT DISTINCT url FROM refs WHERE vuln_id = ?1 OR vuln_id IN (SELECT vuln_id FROM "
      "vuln_cves WHERE cve = ?1) LIMIT 4");
  if (refs) {
    refs->bind(1, m.cve);
    while (refs->step() == SQLITE_ROW) m.references.push_back(refs->text(0));
  }
}

// One distribution record's verdict on the installed package.
struct DistroVerdict {
  bool affected = false;
  std::string record;  // "DEBIAN-CVE-2024-6387 (Debian:12 openssh v < 1:9.2p1-2+deb12u3)"
  std::string fixed;
  std::string installed;
};

struct Candidate {
  std::set<std::string> ids;  // records that matched
  std::string upstream_range;
  std::string upstream_fixed;
  // release -> verdict, for releases whose records list this CVE
  std::map<std::string, DistroVerdict> distro;
};

}  // namespace

std::string default_vulndb_path() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
  };
  if (std::string p = env("PORTOLAN_VULNDB"); !p.empty()) return p;
  if (std::string x = env("XDG_DATA_HOME"); !x.empty() && x.front() == '/') {
    return x + "/portolan/vulndb.sqlite";
  }
  if (std::string h = env("HOME"); !h.empty()) return h + "/.local/share/portolan/vulndb.sqlite";
  return "vulndb.sqlite";
}

VulnDb::VulnDb(std::string path, std::unique_ptr<SqliteDb> db)
    : path_(std::move(path)), db_(std::move(db)) {}
VulnDb::~VulnDb() = default;

Result<std::shared_ptr<const VulnDb>> VulnDb::open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(
        ErrorKind::kNotFound,
        fmt::format("no vulnerability database at {} (import one: portolan vulndb import FILE)",
                    path));
  }
  auto db = SqliteDb::open(path, SQLITE_OPEN_READONLY);
  if (!db) return Unexpected(db.error());
  const int64_t version = db->user_version();
  if (version <= 0) {
    return fail(fmt::format("{} is not a portolan vulnerability database", path));
  }
  if (version != vulndb::kVulnDbSchemaVersion) {
    return fail(fmt::format(
        "{} has vulnerability database schema {}, this portolan reads schema {} (import the feeds "
        "again into a new file)",
        path, version, vulndb::kVulnDbSchemaVersion));
  }
  return std::shared_ptr<const VulnDb>(
      new VulnDb(path, std::make_unique<SqliteDb>(std::move(*db))));
}

std::vector<VulnMatch> VulnDb::match(const ServiceInfo& service) const {
  const vulndb::DetectedService d = vulndb::describe_service(service);
  std::vector<VulnMatch> out;
  if (d.upstream_version.empty()) return out;
  std::lock_guard lock(mutex_);
  const SqliteDb& db = *db_;
  std::map<std::string, Candidate> candidates;

  for (const std::string& cpe : d.cpes) {
    for (const AffectedRow& row : affected_rows(db, "cpe", cpe, std::nullopt)) {
      const RangeHit hit =
          evaluate(row.events, row.versions, d.upstream_version, vulndb::compare_upstream_versions);
      if (!hit.affected) continue;
      for (const std::string& key : keys_of(db, row.vuln_id)) {
        Candidate& c = candidates[key];
        c.ids.insert(row.vuln_id);
        if (c.upstream_range.empty()) {
          c.upstream_range = fmt::format("{} {}", cpe, hit.description);
          c.upstream_fixed = hit.fixed;
        }
      }
    }
  }

  // The distribution's view: which releases have data for the package, and
  // what each record says about the installed version.
  const bool distro_build = !d.distro.empty();
  const bool can_judge = distro_build && !d.source_package.empty() && !d.distro_revision.empty();
  std::set<std::string> releases_with_data;
  if (can_judge) {
    std::vector<AffectedRow> rows = affected_rows(db, d.distro, d.source_package, std::nullopt);
    if (!d.release.empty()) {
      std::erase_if(rows, [&](const AffectedRow& r) { return r.release != d.release; });
    } else {
      // The banner does not name the release ("8.9p1 Ubuntu 3ubuntu0.10"):
      // keep the releases whose packages have the same upstream version, as
      // a release ships one upstream version of a package and keeps it.
      std::set<std::string> same_upstream;
      for (const AffectedRow& r : rows) {
        if (upstream_of_package_version(first_version(r.events, r.versions)) ==
            d.upstream_version) {
          same_upstream.insert(r.release);
        }
      }
      if (!same_upstream.empty()) {
        std::erase_if(rows,
                      [&](const AffectedRow& r) { return !same_upstream.contains(r.release); });
      }
    }
    for (const AffectedRow& row : rows) {
      releases_with_data.insert(row.release);
      const std::string installed =
          vulndb::distro_version(d, first_version(row.events, row.versions));
      const RangeHit hit =
          evaluate(row.events, row.versions, installed, vulndb::compare_debian_versions);
      for (const std::string& key : keys_of(db, row.vuln_id)) {
        Candidate& c = candidates[key];
        auto [it, inserted] = c.distro.try_emplace(row.release);
        DistroVerdict& v = it->second;
        const std::string record =
            fmt::format("{} ({}:{} {} {})", row.vuln_id, d.distro, row.release, d.source_package,
                        hit.affected ? hit.description : "fixed");
        // Several records of one release (a DSA and a DEBIAN-CVE): a fix in
        // any of them wins, as they describe the same packages.
        if (inserted || (v.affected && !hit.affected)) {
          v.affected = hit.affected;
          v.record = record;
          v.fixed = hit.fixed;
          v.installed = installed;
        }
        if (hit.affected) c.ids.insert(row.vuln_id);
      }
    }
  }

  const std::string distro_name =
      d.release.empty() ? d.distro : fmt::format("{} {}", d.distro, d.release);
  for (auto& [key, c] : candidates) {
    VulnMatch m;
    m.cve = key;
    m.product = d.product;
    m.version = d.upstream_version;
    m.upstream_range = c.upstream_range;
    m.upstream_fixed = c.upstream_fixed;
    if (distro_build) {
      m.distro = distro_name;
      m.distro_package = d.source_package;
      if (!releases_with_data.empty()) {
        // Every release with data must have a verdict, and all must agree
        // (one release when the banner names it).
        bool all_listed = true, any_affected = false, any_fixed = false;
        const DistroVerdict* shown = nullptr;
        for (const std::string& r : releases_with_data) {
          auto it = c.distro.find(r);
          if (it == c.distro.end()) {
            all_listed = false;
            continue;
          }
          (it->second.affected ? any_affected : any_fixed) = true;
          if (!shown || it->second.affected) shown = &it->second;
        }
        if (all_listed && any_fixed && !any_affected) continue;  // fixed by the distribution
        if (all_listed && any_affected && !any_fixed) {
          m.distro_record = shown->record;
          m.distro_fixed = shown->fixed;
          m.distro_installed = shown->installed;
          if (d.release.empty() && releases_with_data.size() == 1) {
            m.distro = fmt::format("{} {}", d.distro, *releases_with_data.begin());
          }
        } else if (!all_listed && c.distro.empty()) {
          m.confirmed = false;
          m.unconfirmed_reason = fmt::format(
              "the {} records for {} in the database do not list it ({} may consider this build "
              "not affected)",
              distro_name, d.source_package, d.distro);
        } else {
          m.confirmed = false;
          m.unconfirmed_reason = fmt::format(
              "the {} release is not known and its releases' records disagree", d.distro);
        }
      } else {
        m.confirmed = false;
        if (d.distro_revision.empty()) {
          m.unconfirmed_reason = fmt::format(
              "the {} package version is not shown, so backports cannot be checked", d.distro);
        } else if (d.source_package.empty()) {
          m.unconfirmed_reason =
              fmt::format("the {} source package of {} is not known", d.distro, d.product);
        } else {
          m.unconfirmed_reason =
              fmt::format("the database has no {} data for {}", distro_name, d.source_package);
        }
      }
    }
    fill_details(db, m, c.ids);
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const VulnMatch& a, const VulnMatch& b) {
    if (a.confirmed != b.confirmed) return a.confirmed;
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.cve < b.cve;
  });
  return out;
}

Result<VulnDbInfo> VulnDb::info() const {
  std::lock_guard lock(mutex_);
  VulnDbInfo info;
  info.path = path_;
  info.schema_version = static_cast<int>(db_->user_version());
  auto meta = db_->prepare("SELECT key, value FROM meta");
  if (!meta) return Unexpected(meta.error());
  while (meta->step() == SQLITE_ROW) {
    if (meta->text(0) == "created") info.created = meta->text(1);
    if (meta->text(0) == "last_import") info.last_import = meta->text(1);
  }
  auto count = [&](const char* sql) -> uint64_t {
    auto st = db_->prepare(sql);
    if (!st || st->step() != SQLITE_ROW) return 0;
    return static_cast<uint64_t>(st->integer(0));
  };
  info.vulnerabilities = count("SELECT COUNT(*) FROM vulns");
  info.cves = count("SELECT COUNT(DISTINCT cve) FROM vuln_cves");
  auto by_source = db_->prepare("SELECT source, COUNT(*) FROM vulns GROUP BY source");
  if (!by_source) return Unexpected(by_source.error());
  while (by_source->step() == SQLITE_ROW) {
    info.by_source[by_source->text(0)] = static_cast<uint64_t>(by_source->integer(1));
  }
  auto by_eco = db_->prepare(
      "SELECT ecosystem, release, COUNT(DISTINCT vuln_id) FROM affected GROUP BY ecosystem, "
      "release");
  if (!by_eco) return Unexpected(by_eco.error());
  while (by_eco->step() == SQLITE_ROW) {
    std::string name = by_eco->text(0);
    if (const std::string release = by_eco->text(1); !release.empty()) name += ":" + release;
    info.by_ecosystem[name] = static_cast<uint64_t>(by_eco->integer(2));
  }
  return info;
}

}  // namespace portolan
