// known-vulnerabilities: known CVEs for the product and version -sV detected,
// from the local vulnerability database (`portolan vulndb import`).
//
// Passive: it reads only the service record, so it also runs offline in
// `portolan audit FILE.xml`; without a database (ctx.vulndb null) it reports
// nothing. The matching itself, including distribution backports, is
// VulnDb::match (lib/portolan/vulndb/vuln_db.h).
//
// Severity: the CVE's CVSS base score on the FIRST scale (critical >= 9.0,
// high >= 7.0, medium >= 4.0, low otherwise); a CVE with no score and no
// label from any feed is medium, since it is a known, published flaw of the
// exact version seen. One finding per confirmed CVE, id
// "known-vulnerabilities:CVE-...". Upstream matches on a distribution build
// that the database cannot judge (no data for that distribution release) are
// likely fixed by backports more often than not: reporting each would drown
// the real findings, so they are one info finding,
// "known-vulnerabilities:unconfirmed", listing them and saying which feed to
// import to decide them.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/vulndb/vuln_db.h"

namespace portolan::audit {
namespace {

constexpr size_t kTitleSummaryMax = 100;
constexpr size_t kUnconfirmedListed = 40;

std::string shorten(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string detected(const ServiceInfo& s) {
  std::string out = s.product;
  if (!s.version.empty()) out += " " + s.version;
  if (!s.cpe.empty()) out += " (" + s.cpe.front() + ")";
  return printable_evidence(out);
}

class KnownVulnerabilitiesCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return ctx.vulndb != nullptr && (!ctx.service.product.empty() || !ctx.service.cpe.empty());
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (!ctx.vulndb) return;
    const std::vector<VulnMatch> matches = ctx.vulndb->match(ctx.service);
    std::vector<const VulnMatch*> unconfirmed;
    for (const VulnMatch& m : matches) {
      if (!m.confirmed) {
        unconfirmed.push_back(&m);
        continue;
      }
      out.push_back(confirmed_finding(ctx, m));
    }
    if (!unconfirmed.empty()) out.push_back(unconfirmed_finding(ctx, unconfirmed));
  }

 private:
  Finding confirmed_finding(const PortContext& ctx, const VulnMatch& m) const {
    std::string title = fmt::format("{} in {} {}", m.cve, m.product, m.version);
    if (!m.summary.empty()) title += ": " + shorten(m.summary, kTitleSummaryMax);

    std::string evidence = "detected " + detected(ctx.service);
    if (!m.upstream_range.empty()) evidence += "; upstream range " + m.upstream_range;
    if (!m.distro_record.empty()) {
      evidence += fmt::format("; {} package {} {} is affected per {}", m.distro, m.distro_package,
                              m.distro_installed, m.distro_record);
    }
    if (m.score) {
      evidence += fmt::format("; CVSS {:.1f}", *m.score);
      if (!m.cvss_vector.empty()) evidence += " " + m.cvss_vector;
    } else if (!m.severity_known) {
      evidence += "; no CVSS score in the database (rated medium)";
    }

    std::string remediation;
    if (!m.distro_record.empty()) {
      remediation =
          m.distro_fixed.empty()
              ? fmt::format(
                    "{} has no fixed {} package yet: restrict access to the service and "
                    "follow {}'s tracker for {}",
                    m.distro, m.distro_package, m.distro.substr(0, m.distro.find(' ')), m.cve)
              : fmt::format(
                    "Upgrade the {} package {} to {} or later (apt-get update && apt-get "
                    "upgrade)",
                    m.distro, m.distro_package, m.distro_fixed);
    } else if (!m.upstream_fixed.empty()) {
      remediation = fmt::format("Upgrade {} to {} or later", m.product, m.upstream_fixed);
    } else {
      remediation = fmt::format(
          "Upgrade {} to a release that fixes {} (see the references); until then restrict "
          "access to the service",
          m.product, m.cve);
    }
    Finding f = make_finding(info_, ctx, m.severity, std::move(title), std::move(evidence),
                             std::move(remediation), m.cve);
    f.references = m.references;
    return f;
  }

  Finding unconfirmed_finding(const PortContext& ctx,
                              const std::vector<const VulnMatch*>& list) const {
    const VulnMatch& first = *list.front();
    Severity highest = Severity::kInfo;
    std::vector<std::string> ids;
    for (const VulnMatch* m : list) {
      highest = std::max(highest, m->severity);
      if (ids.size() < kUnconfirmedListed) ids.push_back(m->cve);
    }
    std::string listed = fmt::format("{}", fmt::join(ids, ", "));
    if (list.size() > ids.size()) listed += fmt::format(" and {} more", list.size() - ids.size());
    std::string title =
        fmt::format("{} upstream CVE(s) for {} {} not confirmed for this {} build", list.size(),
                    first.product, first.version, first.distro.substr(0, first.distro.find(' ')));
    std::string evidence = fmt::format(
        "detected {}, a {} build: {}, so backported fixes cannot be checked; upstream matches "
        "(highest severity {}): {}",
        detected(ctx.service), first.distro, first.unconfirmed_reason, to_string(highest), listed);
    const std::string distro = first.distro.substr(0, first.distro.find(' '));
    std::string remediation = fmt::format(
        "Import {}'s OSV feed (the {} all.zip of the OSV data export, unpacked) with `portolan "
        "vulndb import` so these can be decided (see docs/vulndb.md)",
        distro, distro);
    if (first.distro_installed.empty() &&
        first.unconfirmed_reason.find("not shown") != std::string::npos) {
      remediation = fmt::format(
          "Check the installed {} package version on the host (apt changelog) against each CVE's "
          "{} advisory",
          first.product, distro);
    }
    Finding f = make_finding(info_, ctx, Severity::kInfo, std::move(title), std::move(evidence),
                             std::move(remediation), "unconfirmed");
    f.references = std::move(ids);
    return f;
  }

  CheckInfo info_{"known-vulnerabilities", Category::kVulnerability,
                  "Known CVEs for the detected product and version (local database)", false};
};

}  // namespace

std::unique_ptr<Check> make_known_vulnerabilities_check() {
  return std::make_unique<KnownVulnerabilitiesCheck>();
}

}  // namespace portolan::audit
