// VulnDb: the local vulnerability database, read-only, as the audit's
// known-vulnerabilities check uses it: which known CVEs affect a service that
// -sV detected.
//
// Matching, per CVE (a record without a CVE id counts under its own id):
//   upstream: the detected upstream version ("9.2p1") against NVD CPE ranges
//     of the product's vendor:product names (product_table.h);
//   distribution: when the service is a distribution build ("9.2p1 Debian
//     2+deb12u3"), the installed package version (1:9.2p1-2+deb12u3, dpkg
//     order) against that distribution's OSV records for the source package
//     and release (Debian:12 openssh).
// A distribution build is judged by its distribution's records, because they
// know the backports: vulnerable only if they say the installed version is
// affected; a fix there suppresses the upstream match. When the database has
// no records of that distribution release for the package (or the package
// version is not known), an upstream match is kept but marked unconfirmed.
// A build that names no distribution is judged on its upstream version.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/results/finding.h"
#include "portolan/results/scan_result.h"

namespace portolan {

namespace vulndb {
class SqliteDb;
}

// $PORTOLAN_VULNDB, else $XDG_DATA_HOME/portolan/vulndb.sqlite, else
// $HOME/.local/share/portolan/vulndb.sqlite (else a relative vulndb.sqlite).
std::string default_vulndb_path();

struct VulnMatch {
  std::string cve;  // "CVE-2024-6387", or the record id when it has no CVE
  std::string summary;
  std::optional<double> score;  // CVSS base score, when a feed gave one
  std::string cvss_vector;
  Severity severity = Severity::kMedium;  // from the score, a feed's label, else medium
  bool severity_known = false;
  // false: an upstream match on a distribution build the database cannot
  // judge (see unconfirmed_reason).
  bool confirmed = true;
  std::string unconfirmed_reason;

  std::string product;  // "OpenSSH"
  std::string version;  // the upstream version matched: "9.2p1"
  std::string
      upstream_range;  // "openbsd:openssh 8.5p1 <= v < 9.8p1 (CVE-2024-6387)"; empty: none matched
  std::string upstream_fixed;    // "9.8p1"; empty: not known
  std::string distro;            // "Debian 12"; empty: not judged by a distribution
  std::string distro_package;    // "openssh"
  std::string distro_installed;  // "1:9.2p1-2+deb12u2"
  std::string
      distro_record;  // "DEBIAN-CVE-2024-6387 (Debian:12 openssh 0 <= v < 1:9.2p1-2+deb12u3)"
  std::string distro_fixed;  // "1:9.2p1-2+deb12u3"; empty: no fixed package (yet)
  std::string published;
  std::vector<std::string> references;  // the CVE id, other record ids, then URLs
};

// What `portolan vulndb info` shows.
struct VulnDbInfo {
  std::string path;
  int schema_version = 0;
  std::string created;
  std::string last_import;
  uint64_t vulnerabilities = 0;
  uint64_t cves = 0;
  std::map<std::string, uint64_t> by_source;     // "osv", "nvd" -> records
  std::map<std::string, uint64_t> by_ecosystem;  // "cpe", "Debian:12" -> records with ranges there
};

class VulnDb {
 public:
  // Opens the database at `path` read-only. A missing file is an error
  // naming the path and how to create one.
  static Result<std::shared_ptr<const VulnDb>> open(const std::string& path);
  ~VulnDb();

  // The known vulnerabilities of what -sV found, confirmed ones first, most
  // severe first. Empty when the product or version is not known. Safe to
  // call from several threads at once.
  std::vector<VulnMatch> match(const ServiceInfo& service) const;

  Result<VulnDbInfo> info() const;
  const std::string& path() const { return path_; }

 private:
  VulnDb(std::string path, std::unique_ptr<vulndb::SqliteDb> db);
  std::string path_;
  mutable std::mutex mutex_;  // one SQLite connection, one query at a time
  std::unique_ptr<vulndb::SqliteDb> db_;
};

}  // namespace portolan
