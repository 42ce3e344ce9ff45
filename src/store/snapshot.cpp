#include "store/snapshot.h"

#include <sqlite3.h>

#include <memory>

#include "core/error.h"

namespace wangge::store {

void sqlite_snapshot(const std::string& path, const std::string& dest) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close_v2);
  if (rc != SQLITE_OK) {
    throw Error(ErrorKind::unavailable, "db_unavailable", "无法打开数据库 " + path,
                "cannot open " + path + ": " + sqlite3_errstr(rc));
  }
  // A checkpoint of the server may hold the WAL briefly; wait like the server's connections.
  sqlite3_busy_timeout(db.get(), 10000);
  sqlite3_stmt* raw_stmt = nullptr;
  rc = sqlite3_prepare_v2(db.get(), "VACUUM INTO ?", -1, &raw_stmt, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw_stmt, sqlite3_finalize);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(stmt.get(), 1, dest.c_str(), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(stmt.get());
  }
  if (rc != SQLITE_DONE) {
    ErrorKind kind = rc == SQLITE_BUSY ? ErrorKind::unavailable : ErrorKind::internal;
    throw Error(kind, "snapshot_failed", "复制数据库失败：" + std::string(sqlite3_errmsg(db.get())),
                "copying the database failed: " + std::string(sqlite3_errmsg(db.get())));
  }
}

}  // namespace wangge::store
