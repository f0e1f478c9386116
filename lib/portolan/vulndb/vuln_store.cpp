// VulnStore: schema creation and transactional, idempotent feed import.
#include "portolan/vulndb/vuln_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "portolan/vulndb/feed_parser.h"

namespace portolan::vulndb {
namespace {

constexpr size_t kMaxProblems = 5;
constexpr uintmax_t kMaxFeedBytes = uintmax_t{2} << 30;  // 2 GiB: beyond any real feed file

std::string now_iso8601() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorKind::kIo, ec.message());
  if (size > kMaxFeedBytes) return fail(ErrorKind::kIo, "file too large for a feed");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::kIo, "cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return fail(ErrorKind::kIo, "read error");
  return ss.str();
}

void note_problem(ImportStats& stats, std::string problem) {
  if (stats.problems.size() < kMaxProblems) stats.problems.push_back(std::move(problem));
}

// Adds the counts of a committed import to the caller's.
void merge(ImportStats& into, ImportStats&& from) {
  into.files += from.files;
  into.imported += from.imported;
  into.replaced += from.replaced;
  into.withdrawn += from.withdrawn;
  into.skipped_records += from.skipped_records;
  into.skipped_ranges += from.skipped_ranges;
  into.osv += from.osv;
  into.nvd += from.nvd;
  for (auto& p : from.problems) note_problem(into, std::move(p));
}

// Rolls back an open transaction unless committed.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db) : db_(db) {}
  Result<void> begin() { return db_.exec("BEGIN IMMEDIATE"); }
  Result<void> commit() {
    auto r = db_.exec("COMMIT");
    if (r) done_ = true;
    return r;
  }
  ~Transaction() {
    if (!done_) (void)db_.exec("ROLLBACK");
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace

Result<void> create_vulndb_schema(SqliteDb& db) {
  return db.exec(fmt::format(R"sql(
    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS vulns(
      id TEXT PRIMARY KEY, source TEXT NOT NULL, summary TEXT NOT NULL, score REAL,
      cvss_vector TEXT NOT NULL, severity_text TEXT NOT NULL, published TEXT NOT NULL,
      modified TEXT NOT NULL, imported_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS vuln_cves(vuln_id TEXT NOT NULL, cve TEXT NOT NULL,
      PRIMARY KEY(vuln_id, cve));
    CREATE INDEX IF NOT EXISTS vuln_cves_by_cve ON vuln_cves(cve);
    CREATE TABLE IF NOT EXISTS aliases(vuln_id TEXT NOT NULL, alias TEXT NOT NULL,
      PRIMARY KEY(vuln_id, alias));
    CREATE TABLE IF NOT EXISTS refs(vuln_id TEXT NOT NULL, url TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS refs_by_vuln ON refs(vuln_id);
    CREATE TABLE IF NOT EXISTS affected(vuln_id TEXT NOT NULL, ecosystem TEXT NOT NULL,
      release TEXT NOT NULL, package TEXT NOT NULL, range_type TEXT NOT NULL,
      events TEXT NOT NULL, versions TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS affected_by_package ON affected(ecosystem, package, release);
    CREATE INDEX IF NOT EXISTS affected_by_vuln ON affected(vuln_id);
    INSERT OR IGNORE INTO meta(key, value) VALUES('created', '{}');
    PRAGMA user_version = {};
  )sql",
                             now_iso8601(), kVulnDbSchemaVersion));
}

Result<std::unique_ptr<VulnStore>> VulnStore::open(const std::string& path) {
  if (path != ":memory:") {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      return fail(ErrorKind::kIo,
                  fmt::format("cannot create {}: {}", parent.string(), ec.message()));
  }
  auto db = SqliteDb::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db) return Unexpected(db.error());
  const int64_t version = db->user_version();
  if (version < 0) return fail(ErrorKind::kIo, fmt::format("{}: not an SQLite database", path));
  if (version == 0) {
    auto tables = db->prepare("SELECT COUNT(*) FROM sqlite_master");
    if (!tables || tables->step() != SQLITE_ROW) {
      return fail(ErrorKind::kIo, fmt::format("{}: not an SQLite database", path));
    }
    if (tables->integer(0) != 0) {
      return fail(
          fmt::format("{} is an SQLite database but not a portolan vulnerability database", path));
    }
    if (auto r = create_vulndb_schema(*db); !r) return Unexpected(r.error().with_context(path));
  } else if (version != kVulnDbSchemaVersion) {
    return fail(fmt::format(
        "{} has vulnerability database schema {}, this portolan writes schema {} (move it away and "
        "import again)",
        path, version, kVulnDbSchemaVersion));
  }
  return std::unique_ptr<VulnStore>(new VulnStore(std::move(*db)));
}

Result<void> VulnStore::remove(const std::string& id, bool& existed) {
  auto check = db_.prepare("SELECT 1 FROM vulns WHERE id = ?1");
  if (!check) return Unexpected(check.error());
  check->bind(1, id);
  existed = check->step() == SQLITE_ROW;
  if (!existed) return {};
  for (const char* table : {"vulns", "vuln_cves", "aliases", "refs", "affected"}) {
    auto st = db_.prepare(fmt::format("DELETE FROM {} WHERE {} = ?1", table,
                                      std::string_view(table) == "vulns" ? "id" : "vuln_id"));
    if (!st) return Unexpected(st.error());
    st->bind(1, id);
    if (st->step() != SQLITE_DONE) return fail(ErrorKind::kIo, "database: " + db_.error());
  }
  return {};
}

Result<void> VulnStore::store(const VulnRecord& r, ImportStats& stats) {
  bool existed = false;
  if (auto rm = remove(r.id, existed); !rm) return rm;
  auto run = [&](SqliteStatement& st) -> Result<void> {
    if (st.step() != SQLITE_DONE) return fail(ErrorKind::kIo, "database: " + db_.error());
    return {};
  };
  auto v = db_.prepare(
      "INSERT INTO vulns(id, source, summary, score, cvss_vector, severity_text, published, "
      "modified, imported_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!v) return Unexpected(v.error());
  v->bind(1, r.id).bind(2, r.source).bind(3, r.summary).bind(4, r.score).bind(5, r.cvss_vector);
  v->bind(6, r.severity_text).bind(7, r.published).bind(8, r.modified).bind(9, now_iso8601());
  if (auto x = run(*v); !x) return x;
  auto pairs = [&](const char* sql, const std::vector<std::string>& values) -> Result<void> {
    auto st = db_.prepare(sql);
    if (!st) return Unexpected(st.error());
    for (const auto& value : values) {
      st->reset();
      st->bind(1, r.id).bind(2, value);
      if (auto x = run(*st); !x) return x;
    }
    return {};
  };
  if (auto x = pairs("INSERT OR IGNORE INTO vuln_cves(vuln_id, cve) VALUES(?1, ?2)", r.cves); !x)
    return x;
  if (auto x = pairs("INSERT OR IGNORE INTO aliases(vuln_id, alias) VALUES(?1, ?2)", r.aliases); !x)
    return x;
  if (auto x = pairs("INSERT INTO refs(vuln_id, url) VALUES(?1, ?2)", r.references); !x) return x;
  auto a = db_.prepare(
      "INSERT INTO affected(vuln_id, ecosystem, release, package, range_type, events, versions) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!a) return Unexpected(a.error());
  for (const AffectedRange& range : r.affected) {
    nlohmann::json events = nlohmann::json::array();
    for (const RangeEvent& e : range.events) events.push_back({e.kind, e.version});
    const nlohmann::json versions = range.versions;
    a->reset();
    a->bind(1, r.id).bind(2, range.ecosystem).bind(3, range.release).bind(4, range.package);
    a->bind(5, range.range_type).bind(6, events.dump()).bind(7, versions.dump());
    if (auto x = run(*a); !x) return x;
  }
  ++stats.imported;
  if (existed) ++stats.replaced;
  ++(r.source == "nvd" ? stats.nvd : stats.osv);
  return {};
}

Result<void> VulnStore::import_one(std::string_view bytes, const std::string& name,
                                   ImportStats& stats) {
  Result<void> failure;
  auto parsed = parse_feed(
      bytes,
      [&](VulnRecord&& r) {
        if (!failure) return;
        failure = store(r, stats);
      },
      [&](const std::string& id) {
        if (!failure) return;
        bool existed = false;
        failure = remove(id, existed);
        if (existed) ++stats.withdrawn;
      });
  if (!parsed) return Unexpected(parsed.error().with_context(name));
  if (!failure) return Unexpected(failure.error().with_context(name));
  ++stats.files;
  stats.skipped_records += parsed->skipped_records;
  stats.skipped_ranges += parsed->skipped_ranges;
  if (parsed->skipped_records > 0) {
    note_problem(stats, fmt::format("{}: skipped {} malformed record(s), first: {}", name,
                                    parsed->skipped_records, parsed->first_problem));
  }
  return {};
}

Result<void> VulnStore::finish_import() {
  auto st = db_.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('last_import', ?1)");
  if (!st) return Unexpected(st.error());
  st->bind(1, now_iso8601());
  if (st->step() != SQLITE_DONE) return fail(ErrorKind::kIo, "database: " + db_.error());
  return {};
}

Result<void> VulnStore::import_bytes(std::string_view bytes, const std::string& name,
                                     ImportStats& stats) {
  Transaction tx(db_);
  if (auto r = tx.begin(); !r) return r;
  ImportStats local;
  if (auto r = import_one(bytes, name, local); !r) return r;
  if (auto r = finish_import(); !r) return r;
  if (auto r = tx.commit(); !r) return r;
  merge(stats, std::move(local));
  return {};
}

Result<void> VulnStore::import_path(const std::string& path, ImportStats& stats) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    return fail(ErrorKind::kIo, fmt::format("{}: no such file or directory", path));
  if (!fs::is_directory(status)) {
    if (path.ends_with(".zip") || path.ends_with(".gz")) {
      return fail(fmt::format(
          "{}: compressed feeds are not read directly: unpack it first (unzip, gunzip)", path));
    }
    auto bytes = read_file(path);
    if (!bytes) return Unexpected(bytes.error().with_context(path));
    return import_bytes(*bytes, path, stats);
  }
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) return fail(ErrorKind::kIo, fmt::format("{}: {}", path, ec.message()));
  std::sort(files.begin(), files.end());
  ImportStats local;
  Transaction tx(db_);
  if (auto r = tx.begin(); !r) return r;
  for (const fs::path& file : files) {
    auto bytes = read_file(file);
    Result<void> r = bytes ? import_one(*bytes, file.string(), local)
                           : Result<void>(Unexpected(bytes.error().with_context(file.string())));
    if (!r) {
      if (r.error().kind() == ErrorKind::kIo && bytes) return r;  // the database failed
      ++local.skipped_records;
      note_problem(local, r.error().message());
    }
  }
  if (auto r = finish_import(); !r) return r;
  if (auto r = tx.commit(); !r) return r;
  merge(stats, std::move(local));
  return {};
}

}  // namespace portolan::vulndb
