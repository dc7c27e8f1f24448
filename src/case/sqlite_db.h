// A thin RAII layer over SQLite's C API: a connection, prepared statements with bound values,
// and transactions. Errors become std::runtime_error naming the database and SQLite's message.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ashiato::cases {

class SqliteDb;

class Statement {
 public:
  Statement(SqliteDb& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by position (1-based); std::nullopt binds NULL.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::optional<std::int64_t> value);
  Statement& bind_null(int index);
  Statement& bind_blob(int index, std::string_view bytes);
  // Steps once: true while there is a row to read.
  bool step();
  // Runs to completion (for statements without rows) and resets for reuse.
  void run();
  void reset();
  std::int64_t integer(int column) const;
  std::string text(int column) const;
  std::string blob(int column) const;
  bool is_null(int column) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  // Opens or creates the file; WAL journal, NORMAL sync (crash-safe with WAL), foreign keys on.
  explicit SqliteDb(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(std::string_view sql);
  std::int64_t last_insert_id() const;
  int changes() const;
  [[noreturn]] void fail(std::string_view what) const;
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db);
  ~Transaction();
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace ashiato::cases
