// `wangge demo`: generate the demo prefecture, then serve it (with its live stream) unless
// --no-serve. All or nothing: SQLite is generated into <db>.partial and renamed into place at
// the end; a failure on PostgreSQL says how to start again (--fresh).
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "demo/accounts.h"
#include "demo/generator.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;

// --as-of: a day (10:00 that day, office hours) or a local time; empty: now.
Instant as_of_instant(const std::string& text) {
  if (text.empty()) return now();
  if (text.find_first_of("Tt ") == std::string::npos) {
    return local_midnight(parse_date(text, "--as-of")) + std::chrono::hours(10);
  }
  return parse_instant(text, "--as-of");
}

// The demo marks the database it writes into before anything else (a table of its own), and
// the mark says finished once it is whole. Only a database so marked is served with the live
// stream, reused or dropped by `--fresh`: pointed by mistake at a county's own database, the
// demo touches nothing.
constexpr const char* kDemoMarker = "wangge_demo";

enum class DemoState { empty, finished, unfinished, foreign };

DemoState demo_state(const std::string& url, bool sqlite) {
  if (sqlite) {
    const std::string file = url.starts_with("sqlite:") ? url.substr(7) : url;
    if (!fs::exists(file)) return DemoState::empty;
  }
  auto db = store::Database::open(url, {.pool_size = 1});
  auto tx = db->begin(store::TxMode::read);
  const char* tables = sqlite
                           ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                           : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()";
  bool any = false, marked = false;
  for (const auto& r : tx->query(tables)) {
    any = true;
    marked = marked || r.text(0) == kDemoMarker;
  }
  if (!any) return DemoState::empty;
  if (!marked) return DemoState::foreign;
  return tx->query_int(std::string("SELECT COUNT(*) FROM ") + kDemoMarker + " WHERE finished = 1") >
                 0
             ? DemoState::finished
             : DemoState::unfinished;
}

void mark_as_demo(store::Database& db, const DemoArgs& args, bool finished) {
  db.transact([&](store::Tx& tx) {
    if (finished) {
      tx.exec(std::string("UPDATE ") + kDemoMarker + " SET finished = 1");
      return;
    }
    tx.exec(std::string("CREATE TABLE ") + kDemoMarker +
            " (seed BIGINT NOT NULL, scale DOUBLE PRECISION NOT NULL, started_at BIGINT NOT NULL, "
            "finished INTEGER NOT NULL)");
    tx.exec(std::string("INSERT INTO ") + kDemoMarker + " VALUES (?, ?, ?, 0)",
            {static_cast<int64_t>(args.seed), args.scale, to_unix_ms(now())});
  });
}

// Every table of the PostgreSQL schema the demo wrote into (its current schema, marked), so
// that the demo can be generated again: what `--fresh` does there.
void drop_demo_tables(const std::string& url) {
  auto db = store::Database::open(url, {.pool_size = 1});
  db->transact([](store::Tx& tx) {
    std::string tables;
    for (const auto& r :
         tx.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
      tables += (tables.empty() ? "" : ", ") + ("\"" + r.text(0) + "\"");
    }
    if (!tables.empty()) tx.exec("DROP TABLE " + tables + " CASCADE");
  });
}

// The database as messages name it: a SQLite file by its path, PostgreSQL without its URL,
// which may carry a password.
std::string shown(const std::string& url, bool sqlite) {
  return sqlite ? url : std::string("（PostgreSQL）");
}

[[noreturn]] void refuse_foreign(const std::string& where) {
  throw_conflict("not_a_demo",
                 "数据库 " + where +
                     " 中已有数据，但不是演示程序生成的（没有演示标记）：演示不会使用、"
                     "也不会删除它。请为演示另指定一个新的数据库文件或空的数据库（模式）",
                 "the database " + where +
                     " holds data the demo did not make (no demo mark): the demo neither uses "
                     "nor drops it. Give the demo a new file or an empty database (schema)");
}

struct Generated {
  demo::Summary summary;
  std::vector<demo::DemoAccount> accounts;
  std::string step_times;  // "规划组织架构 0.1 s, 生成住户和居民 40.2 s, …"
};

// The wall time of each step the progress callback names, for the summary line.
class StepClock {
 public:
  void at(const std::string& what) {
    if (what == current_) return;
    lap();
    current_ = what;
  }
  std::string finish() {
    lap();
    return out_;
  }

 private:
  void lap() {
    auto t = std::chrono::steady_clock::now();
    if (!current_.empty()) {
      out_ += fmt::format("{}{} {:.1f} s", out_.empty() ? "" : ", ", current_,
                          std::chrono::duration<double>(t - since_).count());
    }
    since_ = t;
  }
  std::string current_, out_;
  std::chrono::steady_clock::time_point since_ = std::chrono::steady_clock::now();
};

// Generates into url; the vault's key file is named after key_url (the final database).
Generated generate(const DemoArgs& args, const std::string& url, const std::string& key_url,
                   Instant as_of) {
  Generated g;
  auto db = store::Database::open(url, {.pool_size = 2, .bulk_load = true});
  mark_as_demo(*db, args, false);  // before the schema: a failure from here on is the demo's
  registry().migrate(*db);
  Vault vault = open_vault(*db, key_url, true);
  ProgressBar bar;
  StepClock clock;
  clock.at("打开数据库");
  demo::Options opts{.scale = args.scale, .seed = args.seed, .as_of = as_of};
  opts.progress = [&](int64_t done, int64_t total, const std::string& what) {
    bar.update(done, total, what);
    if (!what.empty()) clock.at(what);
  };
  g.summary = demo::generate(*db, vault, opts);
  // Then each programme's own demo data, on the prefecture just written.
  app::DemoContext demo_context{*db, vault, args.scale, args.seed, opts.progress};
  registry().run_demo(demo_context);
  clock.at("创建演示账号");
  g.accounts = db->transact([](store::Tx& tx) { return demo::create_demo_accounts(tx); });
  mark_as_demo(*db, args, true);
  clock.at("写入磁盘");
  db.reset();  // closed: SQLite checkpoints its log into the file
  g.step_times = clock.finish();
  bar.update(1, 1, "");
  return g;
}

// SQLite: into <db>.partial, renamed into place once complete (file and folder synced); the
// partial file goes on failure.
Generated generate_sqlite(const DemoArgs& args, Instant as_of) {
  const fs::path target(args.db.starts_with("sqlite:") ? args.db.substr(7) : args.db);
  const fs::path partial = target.string() + ".partial";
  auto remove_partial = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      fs::remove(partial.string() + suffix);
    }
  };
  remove_partial();  // left by a run that was killed
  try {
    Generated g = generate(args, partial.string(), args.db, as_of);
    // The database is closed: its write-ahead log is checkpointed into the file and removed.
    if (fs::exists(partial.string() + "-wal")) {
      throw Error(ErrorKind::internal, "wal_left", "演示库未能完整写入", "the WAL was left open");
    }
    sync_file(partial);
    fs::rename(partial, target);
    sync_directory(target.parent_path().empty() ? fs::path(".") : target.parent_path());
    return g;
  } catch (...) {
    remove_partial();
    throw;
  }
}

}  // namespace

int run_demo(const DemoArgs& args) {
  const bool sqlite = !args.db.starts_with("postgres");
  const Instant as_of = as_of_instant(args.as_of);
  ServeArgs serve{.db = args.db,
                  .bind = args.bind,
                  .port = args.port,
                  .web_root = args.web_root,
                  .config = args.config};
  if (!args.quiet) {
    serve.live_interval = args.live_interval;
    serve.live_seed = args.seed;
  }
  switch (demo_state(args.db, sqlite)) {
    case DemoState::foreign:
      refuse_foreign(shown(args.db, sqlite));
    case DemoState::finished:
      if (!args.fresh) {
        fmt::print(stderr, "演示数据库 {} 已存在：直接使用（--fresh 重新生成）\n",
                   shown(args.db, sqlite));
        return args.serve ? run_serve(serve) : 0;
      }
      break;
    case DemoState::unfinished:
      if (!args.fresh) {
        throw_conflict("demo_unfinished",
                       "演示数据未生成完整：用 --fresh 删除演示写入的表后重新生成",
                       "the demo is incomplete: run again with --fresh to drop what it wrote "
                       "and start anew");
      }
      break;
    case DemoState::empty:
      break;
  }
  if (args.fresh && sqlite) {
    const std::string file = args.db.starts_with("sqlite:") ? args.db.substr(7) : args.db;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file + suffix);
  } else if (args.fresh) {
    drop_demo_tables(args.db);
  }
  auto started = std::chrono::steady_clock::now();
  Generated g;
  if (sqlite) {
    g = generate_sqlite(args, as_of);
  } else {
    try {
      g = generate(args, args.db, args.db, as_of);
    } catch (...) {
      fmt::print(stderr,
                 "演示数据未生成完整：用 --fresh 删除演示写入的表后重新生成 (the demo is "
                 "incomplete: run again with --fresh to drop what it wrote and start anew)\n");
      throw;
    }
  }
  const demo::Summary& summary = g.summary;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print(
      "演示地区已生成 (demo prefecture generated) in {:.1f} s: {} 乡镇(街道), {} 村(社区), {} "
      "网格, "
      "{} 微网格, {} 楼栋, {} 党组织, {} 工作人员岗位, {} 户, {} 人, {} 条标签\n",
      secs, summary.townships, summary.villages, summary.grids, summary.micro_grids,
      summary.buildings, summary.party_orgs, summary.posts, summary.households, summary.residents,
      summary.resident_tags);
  fmt::print("各步用时 (step times): {}\n", g.step_times);
  fmt::print("演示账号 (demo accounts), 密码 (password) {}:\n", demo::kDemoPassword);
  for (const auto& a : g.accounts) {
    fmt::print(
        "  {:<11} {}（{}）{}\n", a.username, a.role_label, a.org_name,
        a.must_change_password ? "  首次登录须修改密码 (must change it at first login)" : "");
  }
  if (!args.serve) return 0;
  if (serve.live_interval > 0) {
    fmt::print("实时演示数据每 {} 秒一次（--quiet 关闭）(live stream every {} s; --quiet: off)\n",
               args.live_interval, args.live_interval);
  }
  return run_serve(serve);
}

}  // namespace wangge::cli
