// VulnStore: the writable side of the local vulnerability database, used by
// `portolan vulndb import` (VulnDb, in vuln_db.h, is the read-only side the
// audit uses).
//
// Schema (SQLite, PRAGMA user_version = kVulnDbSchemaVersion):
//   meta(key, value)                 last_import, created
//   vulns(id, source, summary, score, cvss_vector, severity_text, published,
//         modified, imported_at)     one row per record id (OSV id or CVE id)
//   vuln_cves(vuln_id, cve)          the CVE ids a record is about
//   aliases(vuln_id, alias)
//   refs(vuln_id, url)
//   affected(vuln_id, ecosystem, release, package, range_type, events, versions)
//                                    events and versions as JSON arrays
// Each import call is one transaction: it lands whole or not at all. A record
// whose id is already stored replaces the old one (re-importing a feed is
// idempotent; a newer feed updates).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/vulndb/sqlite_db.h"
#include "portolan/vulndb/vuln_record.h"

namespace portolan::vulndb {

inline constexpr int kVulnDbSchemaVersion = 1;

struct ImportStats {
  uint64_t files = 0;
  uint64_t imported = 0;         // records stored (new or replacing)
  uint64_t replaced = 0;         // of which replaced an existing id
  uint64_t withdrawn = 0;        // withdrawn OSV ids removed
  uint64_t skipped_records = 0;  // malformed records (and unreadable files inside a directory)
  uint64_t skipped_ranges = 0;   // GIT ranges and other ranges we cannot order
  uint64_t osv = 0;              // records by format
  uint64_t nvd = 0;
  std::vector<std::string> problems;  // "FILE: what" for the first few skipped things
};

class VulnStore {
 public:
  // Opens or creates the database at `path` (":memory:" for tests and
  // fuzzing), creating its folder. Fails on a database of another schema.
  static Result<std::unique_ptr<VulnStore>> open(const std::string& path);

  // Imports a file, or every *.json file under a directory (recursively), in
  // one transaction. A file given directly that is unreadable or not a feed
  // fails the whole call (nothing is stored); inside a directory it is
  // skipped and counted. `stats` accumulates across calls.
  Result<void> import_path(const std::string& path, ImportStats& stats);

  // Imports the bytes of one feed, `name` naming it in messages.
  Result<void> import_bytes(std::string_view bytes, const std::string& name, ImportStats& stats);

 private:
  explicit VulnStore(SqliteDb db) : db_(std::move(db)) {}
  Result<void> import_one(std::string_view bytes, const std::string& name, ImportStats& stats);
  Result<void> store(const VulnRecord& r, ImportStats& stats);
  Result<void> remove(const std::string& id, bool& existed);
  Result<void> finish_import();
  SqliteDb db_;
};

// Creates the tables of schema kVulnDbSchemaVersion on an empty database.
Result<void> create_vulndb_schema(SqliteDb& db);

}  // namespace portolan::vulndb
