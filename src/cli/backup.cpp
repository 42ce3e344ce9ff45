#include "cli/backup.h"

#include <fmt/format.h>
#include <sodium.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "app/registry.h"
#include "auth/audit.h"
#include "cli/app.h"
#include "cli/keys.h"
#include "core/error.h"
#include "core/files.h"
#include "intake/photos.h"
#include "store/snapshot.h"

#ifndef WANGGE_VERSION
#define WANGGE_VERSION "unknown"
#endif

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kFormat = "wangge-backup/1";
constexpr const char* kDatabase = "database.sqlite";
constexpr const char* kManifest = "manifest.json";

[[noreturn]] void damaged(const std::string& zh, const std::string& en) {
  throw Error(ErrorKind::bad_input, "bad_backup", zh, en);
}

bool is_postgres(const std::string& url) { return url.starts_with("postgres"); }

std::string sqlite_path(const std::string& url) {
  return url.starts_with("sqlite:") ? url.substr(7) : url;
}

// The SHA-256 of a file, read in pieces (a database file may be larger than memory).
std::string file_sha256(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) damaged("无法读取 " + path.string(), "cannot read " + path.string());
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buf.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, out);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

// Every regular file under dir, as paths relative to it with '/' separators.
std::vector<std::string> files_under(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The user tables of a SQLite database, parents before the tables whose foreign keys name them.
std::vector<std::string> tables_in_load_order(store::Tx& tx) {
  std::vector<std::string> names;
  tx.each(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "ORDER BY name",
      {}, [&](const store::Row& r) { names.push_back(r.text(0)); });
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& t : names) {
    tx.each("SELECT \"table\" FROM pragma_foreign_key_list(?)", {t}, [&](const store::Row& r) {
      if (r.text(0) != t) parents[t].insert(r.text(0));
    });
  }
  std::vector<std::string> out;
  std::set<std::string> placed;
  while (out.size() < names.size()) {
    bool progressed = false;
    for (const auto& t : names) {
      if (placed.contains(t)) continue;
      bool ready = true;
      for (const auto& p : parents[t]) {
        ready = ready &&
                (placed.contains(p) || std::find(names.begin(), names.end(), p) == names.end());
      }
      if (!ready) continue;
      out.push_back(t);
      placed.insert(t);
      progressed = true;
    }
    if (!progressed) {  // a cycle of foreign keys: keep the rest in name order
      for (const auto& t : names) {
        if (placed.insert(t).second) out.push_back(t);
      }
    }
  }
  return out;
}

std::vector<std::string> columns_of(store::Tx& sqlite_tx, const std::string& table) {
  std::vector<std::string> out;
  sqlite_tx.each("SELECT name FROM pragma_table_info(?) ORDER BY cid", {table},
                 [&](const store::Row& r) { out.push_back(r.text(0)); });
  return out;
}

std::string joined(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c;
  return out;
}

// Every migration this program knows, in the order open_database applies them.
std::vector<store::Migration> known_migrations() {
  auto all = app::migrations();
  auto rest = registry().migrations();
  all.insert(all.end(), rest.begin(), rest.end());
  return all;
}

// The migrations up to the given versions (the schema a backup was taken at).
std::vector<store::Migration> migrations_upto(const std::map<std::string, int64_t>& versions) {
  std::vector<store::Migration> out;
  for (auto& m : known_migrations()) {
    auto it = versions.find(m.module);
    if (it != versions.end() && m.version <= it->second) out.push_back(std::move(m));
  }
  return out;
}

// Copies rows of `tables` (columns as in `dest`) from `from` into `dest`, after deleting what
// the migrations seeded there. REQUIRES: dest's schema has every table and column of from's.
int64_t copy_tables(store::Tx& from, store::Tx& dest, store::Tx& schema,
                    const std::vector<std::string>& tables) {
  if (dest.dialect() == store::Dialect::sqlite) dest.exec("PRAGMA defer_foreign_keys = ON");
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) dest.exec("DELETE FROM " + *it);
  int64_t rows = 0;
  for (const auto& t : tables) {
    auto columns = columns_of(schema, t);
    auto writer = dest.bulk(t, columns);
    from.each("SELECT " + joined(columns) + " FROM " + t, {}, [&](const store::Row& r) {
      store::Params p;
      p.reserve(r.size());
      for (size_t i = 0; i < r.size(); ++i) p.push_back(r[i]);
      writer->add(p);
      ++rows;
    });
    writer->finish();
  }
  return rows;
}

// The PostgreSQL database as a SQLite file: the schema at the snapshot's versions, then every
// table's rows, all read in one REPEATABLE READ transaction.
void copy_postgres(store::Database& source, const fs::path& dest) {
  auto from = source.begin(store::TxMode::read);
  auto versions = store::schema_versions(*from);
  auto out = store::Database::open(dest.string(), {.pool_size = 1, .bulk_load = true});
  auto tx = out->begin(store::TxMode::write);
  store::create_schema(*tx, migrations_upto(versions));
  std::vector<std::string> tables = tables_in_load_order(*tx);
  copy_tables(*from, *tx, *tx, tables);
  tx->commit();
}

struct Snapshot {
  std::map<std::string, int64_t> versions;
  std::map<std::string, int64_t> counts;
  std::string key_check;            // data_keys' check value, "" when no key is bound
  std::vector<std::string> photos;  // sha256 of every photo row
};

bool has_table(store::Tx& tx, const std::string& name) {
  return tx.query_one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", {name})
      .has_value();
}

Snapshot read_snapshot(store::Tx& tx) {
  Snapshot s;
  s.versions = store::schema_versions(tx);
  for (const auto& t : tables_in_load_order(tx)) {
    s.counts[t] = tx.query_int("SELECT COUNT(*) FROM " + t);
  }
  if (has_table(tx, "data_keys")) {
    if (auto r = tx.query_one("SELECT check_value FROM data_keys WHERE id = 1")) {
      s.key_check = r->text(0);
    }
  }
  if (has_table(tx, "photos")) {
    tx.each("SELECT sha256 FROM photos ORDER BY sha256", {},
            [&](const store::Row& r) { s.photos.push_back(r.text(0)); });
  }
  return s;
}

// A private copy of the backup's database file, opened (opening a SQLite file writes to it).
struct OpenedCopy {
  fs::path dir;
  std::unique_ptr<store::Database> db;
  ~OpenedCopy() {
    db.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

std::unique_ptr<OpenedCopy> open_copy(const fs::path& backup) {
  std::string tmpl = (fs::temp_directory_path() / "wangge-backup-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) {
    throw Error(ErrorKind::unavailable, "no_temp_dir", "无法创建临时目录 " + tmpl,
                "cannot create a temporary folder " + tmpl);
  }
  auto copy = std::make_unique<OpenedCopy>();
  copy->dir = tmpl;
  fs::copy_file(backup / kDatabase, copy->dir / kDatabase);
  copy->db = store::Database::open((copy->dir / kDatabase).string(), {.pool_size = 2});
  return copy;
}

json read_manifest(const fs::path& dir) {
  std::ifstream in(dir / kManifest);
  if (!in) {
    damaged(fmt::format("{} 不是完整的 wangge 备份：缺少 {}（备份未完成或目录有误）", dir.string(),
                        kManifest),
            fmt::format("{} is no complete wangge backup: {} is missing", dir.string(), kManifest));
  }
  json m = json::parse(in, nullptr, false);
  if (m.is_discarded() || !m.is_object() || m.value("format", "") != kFormat) {
    damaged(fmt::format("{} 的 {} 无法识别（格式应为 {}）", dir.string(), kManifest, kFormat),
            fmt::format("{} in {} is not a {} manifest", kManifest, dir.string(), kFormat));
  }
  return m;
}

// Files that are missing, changed or not in the manifest, one line each.
std::vector<std::string> checksum_problems(const fs::path& dir, const json& manifest) {
  std::vector<std::string> problems;
  const json& files = manifest.at("files");
  for (const auto& [name, sum] : files.items()) {
    fs::path p = dir / name;
    if (!fs::is_regular_file(p)) {
      problems.push_back(fmt::format("缺少文件 {} (missing file)", name));
    } else if (file_sha256(p) != sum.get<std::string>()) {
      problems.push_back(
          fmt::format("文件 {} 的校验和不符，已被改动或损坏 (checksum mismatch)", name));
    }
  }
  for (const auto& name : files_under(dir)) {
    if (name != kManifest && !files.contains(name)) {
      problems.push_back(fmt::format("清单中没有的文件 {} (file not in the manifest)", name));
    }
  }
  return problems;
}

std::map<std::string, int64_t> int_map(const json& j) {
  std::map<std::string, int64_t> out;
  for (const auto& [k, v] : j.items()) out[k] = v.get<int64_t>();
  return out;
}

// Refuses a backup whose schema this program does not know (taken by a newer wangge).
void refuse_newer_backup(const std::map<std::string, int64_t>& versions) {
  std::map<std::string, int> newest;
  for (const auto& m : known_migrations()) {
    newest[m.module] = std::max(newest[m.module], m.version);
  }
  for (const auto& [module, version] : versions) {
    auto it = newest.find(module);
    if (it != newest.end() && version <= it->second) continue;
    const std::string ours = it == newest.end() ? "" : std::to_string(it->second);
    throw Error(ErrorKind::bad_input, "backup_too_new",
                fmt::format("备份由更新版本的 wangge 制作：模块 {} 的数据库结构版本为 {}，本程序"
                            "最高只认识 {}。请用不低于制作备份的版本恢复。",
                            module, version, ours.empty() ? "无" : ours),
                fmt::format("the backup was made by a newer wangge: module {} is at schema "
                            "version {}, this program knows up to {}. Restore it with that "
                            "version or newer.",
                            module, version, ours.empty() ? "none" : ours));
  }
}

std::string key_check_of(const json& manifest) {
  const json& k = manifest.at("data_key");
  return k.is_object() ? k.value("check_value", "") : "";
}

// Copies the photo files of a backup into dest (skipping those already there, whole).
int64_t copy_photos(const fs::path& from, const fs::path& dest) {
  int64_t copied = 0;
  if (!fs::exists(from)) return 0;
  for (const auto& name : files_under(from)) {
    fs::path target = dest / name;
    if (fs::exists(target) && file_sha256(target) == file_sha256(from / name)) continue;
    fs::create_directories(target.parent_path());
    fs::path tmp = target;
    tmp += ".restoring";
    fs::copy_file(from / name, tmp, fs::copy_options::overwrite_existing);
    sync_file(tmp);
    fs::rename(tmp, target);
    sync_directory(target.parent_path());
    ++copied;
  }
  return copied;
}

}  // namespace

json take_backup(const BackupOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  const std::string started_at = format_instant(now());
  if (fs::exists(o.to) && (!fs::is_directory(o.to) || !fs::is_empty(o.to))) {
    throw_bad_input("backup_dir_not_empty",
                    "备份目录 " + o.to.string() + " 已存在且不是空目录；请指定新的目录",
                    "the backup folder " + o.to.string() + " exists and is not empty", "--to");
  }
  // Refuses a newer schema and brings an older one up to date, as every command does.
  auto source = open_existing_database(o.db_url);
  fs::create_directories(o.to);
  const fs::path db_file = o.to / kDatabase;
  if (is_postgres(o.db_url)) {
    copy_postgres(*source, db_file);
  } else {
    store::sqlite_snapshot(sqlite_path(o.db_url), db_file.string());
  }
  source.reset();

  Snapshot snap;
  {
    auto copy = open_copy(o.to);
    auto tx = copy->db->begin(store::TxMode::read);
    snap = read_snapshot(*tx);
  }
  const fs::path photo_src = o.photos.empty() ? intake::photo_dir("", o.db_url) : o.photos;
  const intake::PhotoStore store(photo_src);
  std::vector<std::string> missing;
  for (const auto& sha : snap.photos) {
    fs::path src = store.path_of(sha);
    fs::path dst = o.to / "photos" / fs::relative(src, photo_src);
    std::error_code ec;
    if (!fs::is_regular_file(src, ec) || file_sha256(src) != sha) {
      missing.push_back(sha);
      continue;
    }
    fs::create_directories(dst.parent_path());
    fs::copy_file(src, dst);
  }

  json files = json::object();
  for (const auto& name : files_under(o.to)) {
    sync_file(o.to / name);
    files[name] = file_sha256(o.to / name);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  json manifest{
      {"format", kFormat},
      {"wangge_version", WANGGE_VERSION},
      {"source", is_postgres(o.db_url) ? "postgres" : "sqlite"},
      {"started_at", started_at},
      {"finished_at", format_instant(now())},
      {"seconds", seconds},
      {"schema", snap.versions},
      {"counts", snap.counts},
      {"data_key", snap.key_check.empty() ? json(nullptr)
                                          : json{{"check_value", snap.key_check},
                                                 {"key_id", snap.key_check.substr(0, 8)}}},
      {"photos", snap.photos.size() - missing.size()},
      {"missing_photos", missing},
      {"files", files},
  };
  // Written last, under a temporary name: a folder without manifest.json is unfinished.
  const fs::path tmp = o.to / "manifest.json.tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << manifest.dump(2) << "\n";
  }
  sync_file(tmp);
  fs::rename(tmp, o.to / kManifest);
  for (const auto& e : fs::recursive_directory_iterator(o.to)) {
    if (e.is_directory()) sync_directory(e.path());
  }
  sync_directory(o.to);
  return manifest;
}

VerifyReport verify_backup(const fs::path& dir, const std::optional<Vault>& key) {
  const json manifest = read_manifest(dir);
  VerifyReport report;
  report.problems = checksum_problems(dir, manifest);
  if (!fs::is_regular_file(dir / kDatabase)) return report;
  const std::string want_key = key_check_of(manifest);
  if (key && !want_key.empty() && key->check_value() != want_key) {
    report.problems.push_back(
        fmt::format("数据密钥（编号 {}）不是这个备份的密钥（应为 {}）(the key is not the backup's)",
                    key->key_id(), want_key.substr(0, 8)));
  }
  auto copy = open_copy(dir);
  auto tx = copy->db->begin(store::TxMode::read);
  Snapshot snap = read_snapshot(*tx);
  if (snap.versions != int_map(manifest.at("schema"))) {
    report.problems.push_back("数据库的结构版本与清单不符 (schema versions differ)");
  }
  const auto counts = int_map(manifest.at("counts"));
  for (const auto& [table, n] : counts) {
    auto it = snap.counts.find(table);
    int64_t got = it == snap.counts.end() ? -1 : it->second;
    if (got != n) {
      report.problems.push_back(
          fmt::format("表 {} 应有 {} 行，实有 {} 行 (row count differs)", table, n, got));
    }
  }
  for (const auto& [table, n] : snap.counts) {
    if (!counts.contains(table)) {
      report.problems.push_back(fmt::format("清单中没有表 {} (table not in the manifest)", table));
    }
  }
  if (snap.key_check != want_key) {
    report.problems.push_back("数据库中的密钥校验值与清单不符 (key check value differs)");
  }
  std::set<std::string> missing;
  for (const auto& m : manifest.value("missing_photos", json::array())) missing.insert(m);
  for (const auto& sha : snap.photos) {
    fs::path file = fs::path("photos") / sha.substr(0, 2) / sha.substr(2);
    if (!missing.contains(sha) && !manifest.at("files").contains(file.generic_string())) {
      report.problems.push_back(fmt::format("照片 {} 没有文件 (photo without its file)", sha));
    }
  }
  // The check of `wangge audit verify`, with the MACs when the backup's key is given.
  report.keyed = key && !want_key.empty() && key->check_value() == want_key;
  auth::audit::set_mac_key(report.keyed ? std::optional(key->audit_key()) : std::nullopt);
  if (has_table(*tx, "audit_log")) {
    report.audit_rows = tx->query_int("SELECT COUNT(*) FROM audit_log");
    if (auto broken = auth::audit::verify(*tx)) {
      report.problems.push_back(fmt::format(
          "审计日志被篡改：第一处断链在第 {} 条 (audit chain broken at id {})", *broken, *broken));
    }
  }
  return report;
}

RestoreResult restore_backup(const RestoreOptions& o) {
  const json manifest = read_manifest(o.from);
  if (auto problems = checksum_problems(o.from, manifest); !problems.empty()) {
    std::string list;
    for (const auto& p : problems) list += "\n  " + p;
    damaged("备份已损坏，拒绝恢复：" + list, "the backup is damaged, not restored:" + list);
  }
  const auto versions = int_map(manifest.at("schema"));
  refuse_newer_backup(versions);

  const std::string want_key = key_check_of(manifest);
  const fs::path key_file = o.key_file.empty() ? Vault::default_key_file(o.db_url) : o.key_file;
  std::optional<Vault> vault;
  if (!want_key.empty()) {
    vault = Vault::from_key_file(key_file, false);
    if (vault->check_value() != want_key) {
      throw Error(
          ErrorKind::bad_input, "wrong_key",
          fmt::format("数据密钥文件 {}（编号 {}）不是这个备份的密钥（应为编号 {}）。拒绝恢复：用"
                      "错误的密钥无法解密备份中的身份证号和电话。请找到制作备份时的密钥文件，"
                      "用 --key 指定。",
                      key_file.string(), vault->key_id(), want_key.substr(0, 8)),
          fmt::format("the key file {} (key id {}) is not this backup's key (key id {}): not "
                      "restored. Find the key the backup was made with and name it with --key.",
                      key_file.string(), vault->key_id(), want_key.substr(0, 8)));
    }
  }

  RestoreResult result;
  {
    auto target = store::Database::open(o.db_url);
    {
      auto tx = target->begin(store::TxMode::read);
      auto any = target->dialect() == store::Dialect::sqlite
                     ? tx->query_one("SELECT name FROM sqlite_master WHERE type = 'table'")
                     : tx->query_one(
                           "SELECT table_name FROM information_schema.tables WHERE "
                           "table_schema = current_schema()");
      if (any) {
        throw Error(ErrorKind::bad_input, "target_not_empty",
                    fmt::format("目标数据库不是空的（已有表 {} 等）。拒绝恢复，以免覆盖数据；请"
                                "恢复到新建的空数据库。",
                                any->text(0)),
                    fmt::format("the target database is not empty (it has table {} and maybe "
                                "more): not restored. Restore into a new empty database.",
                                any->text(0)));
      }
    }
    // Files first, rows after: a photo row never points at a file that is not there.
    const fs::path photo_dest = o.photos.empty() ? intake::photo_dir("", o.db_url) : o.photos;
    result.photos = copy_photos(o.from / "photos", photo_dest);

    auto copy = open_copy(o.from);
    auto from = copy->db->begin(store::TxMode::read);
    auto tx = target->begin(store::TxMode::write);
    store::create_schema(*tx, migrations_upto(versions));
    result.rows = copy_tables(*from, *tx, *from, tables_in_load_order(*from));
    for (const auto& [table, n] : int_map(manifest.at("counts"))) {
      int64_t got = tx->query_int("SELECT COUNT(*) FROM " + table);
      if (got != n) {
        damaged(fmt::format("恢复后表 {} 有 {} 行，清单为 {} 行；已撤销恢复", table, got, n),
                fmt::format("table {} has {} rows after loading, the manifest says {}: rolled "
                            "back",
                            table, got, n));
      }
    }
    tx->commit();
  }
  // Migrations newer than the backup, the grants they bring, and the key bound and checked.
  auto db = store::Database::open(o.db_url);
  auto applied = [&] {
    auto tx = db->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM schema_migrations");
  };
  const int64_t before = applied();
  registry().migrate(*db);
  result.migrated = static_cast<int>(applied() - before);
  if (vault) bind_key(*db, *vault, key_file);
  return result;
}

}  // namespace wangge::cli
