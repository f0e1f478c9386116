// SqliteDb, SqliteStatement: the few RAII wrappers the vulnerability store
// needs over the SQLite C API (internal to vulndb/). Statements bind text and
// numbers by position (1-based) and step row by row.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "portolan/core/result.h"

namespace portolan::vulndb {

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(sqlite3_stmt* s) : stmt_(s) {}  // NOLINT(implicit): takes ownership
  SqliteStatement(SqliteStatement&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }
  SqliteStatement& operator=(SqliteStatement&& o) noexcept {
    std::swap(stmt_, o.stmt_);
    return *this;
  }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement() { sqlite3_finalize(stmt_); }

  SqliteStatement& bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  SqliteStatement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  SqliteStatement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  SqliteStatement& bind(int index, std::optional<double> value) {
    if (value) {
      sqlite3_bind_double(stmt_, index, *value);
    } else {
      sqlite3_bind_null(stmt_, index);
    }
    return *this;
  }
  SqliteStatement& bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::string text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::optional<double> real(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(stmt_, column);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  // `flags`: SQLITE_OPEN_* (READONLY, or READWRITE|CREATE).
  static Result<SqliteDb> open(const std::string& path, int flags) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
    SqliteDb out(db);
    if (rc != SQLITE_OK) {
      return fail(ErrorKind::kIo, std::string("cannot open ") + path + ": " +
                                      (db ? sqlite3_errmsg(db) : "out of memory"));
    }
    sqlite3_busy_timeout(db, 5000);
    return out;
  }

  SqliteDb(SqliteDb&& o) noexcept : db_(std::move(o.db_)) {}
  SqliteDb& operator=(SqliteDb&& o) noexcept {
    db_ = std::move(o.db_);
    return *this;
  }

  sqlite3* get() const { return db_.get(); }
  std::string error() const { return sqlite3_errmsg(db_.get()); }

  Result<void> exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "unknown error";
      sqlite3_free(msg);
      return fail(ErrorKind::kIo, "database: " + m);
    }
    return {};
  }

  Result<SqliteStatement> prepare(std::string_view sql) const {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &s, nullptr) !=
        SQLITE_OK) {
      return fail(ErrorKind::kIo, "database: " + error());
    }
    return SqliteStatement(s);
  }

  int64_t user_version() const {
    auto st = prepare("PRAGMA user_version");
    if (!st || st->step() != SQLITE_ROW) return -1;
    return st->integer(0);
  }

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Close> db_;
};

}  // namespace portolan::vulndb
