// The closed loop's database-side benchmark helpers, run by bench/events_load.sh. Prints
// figures; asserts nothing about speed.
//
//   events_bench demo-events --db URL            # a year of demo events (demo::generate_events)
//                                                # when the database holds none yet
//   events_bench load --db URL --count N --now ISO [--overdue 0.02] [--near 0.02] [--seed 1]
//                                                # bulk-loads N open events (as the demo does)
//   events_bench sweep --db URL --now ISO [--dry]  # times events::sweep twice (the second
//                                                # run must change nothing); --dry: once, rolled
//                                                # back (to profile on the same rows again)
//                                                # [--cache-mb N]: SQLite page cache of the
//                                                # sweeping connection (default: the store's)
//   events_bench ids --db URL --reporter NAME --state STATE --out FILE
//                                                # ids of the events one user reported
//   events_bench report --db URL --as NAME --count N --out FILE
//                                                # N reports by that user through
//                                                # events::report (1,000 per transaction),
//                                                # their ids into FILE: work for the
//                                                # transition run
//   events_bench durability --db URL             # what "committed" means on a write
//                                                # connection of the store, one line
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "demo/events.h"
#include "demo/prefecture.h"
#include "events/events.h"
#include "events/service.h"
#include "org/org.h"
#include "store/database.h"

using namespace wangge;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// CPU time of this process (user + system), ms: set against the wall time it shows how much
// of a run waited (I/O, or the other processes of a shared machine).
double cpu_ms() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

// The demo's year of events over the orgs already in the database (a prefecture generated
// before events were part of the demo).
int demo_events(store::Database& db) {
  std::vector<demo::PlannedOrg> plan;
  {
    auto tx = db.begin(store::TxMode::read);
    if (tx->query_int("SELECT COUNT(*) FROM events") > 0) {
      std::printf("demo events: already there\n");
      return 0;
    }
    tx->each(
        "SELECT id, parent_id, code, kind, name, lat, lng FROM orgs ORDER BY id", {},
        [&](const store::Row& r) {
          plan.push_back({r.i64(0), r.opt_i64(1).value_or(0), r.text(2), r.text(3), "", r.text(4),
                          r.opt_f64(5).value_or(27.3), r.opt_f64(6).value_or(103.7), 0});
        });
  }
  // The demo's year: up to 30 June 2026 (demo/generator.cpp).
  Instant until = local_midnight(parse_date("2026-07-01"));
  auto t = Clock::now();
  auto s = demo::generate_events(db, plan, 1, until);
  std::printf("demo events: %lld events, %lld steps, %lld parts in %.1f s\n",
              static_cast<long long>(s.events), static_cast<long long>(s.steps),
              static_cast<long long>(s.parts), ms_since(t) / 1000);
  return 0;
}

// Grids with their ancestors at levels 2..5 (org id per event level).
struct Ladder {
  int64_t at[6] = {};
};

std::vector<Ladder> ladders(store::Tx& tx) {
  std::unordered_map<int64_t, std::pair<int64_t, int>> org;  // id → (parent, level)
  std::vector<int64_t> grids;
  tx.each("SELECT id, parent_id, kind FROM orgs WHERE kind NOT IN ('micro_grid', 'building')", {},
          [&](const store::Row& r) {
            std::string kind = r.text(2);
            if (kind == "department") return;
            org[r.i64(0)] = {r.opt_i64(1).value_or(0), org::event_level(org::parse_kind(kind))};
            if (kind == "grid") grids.push_back(r.i64(0));
          });
  std::vector<Ladder> out;
  for (int64_t g : grids) {
    Ladder l;
    for (int64_t id = g; id != 0 && org.count(id); id = org[id].first) l.at[org[id].second] = id;
    if (l.at[1] && l.at[2] && l.at[3] && l.at[4] && l.at[5]) out.push_back(l);
  }
  return out;
}

const std::vector<std::string> kColumns = {
    "id",     "category",     "title",       "grid_id",       "owner_id",    "level",
    "state",  "sla_class",    "source",      "reporter_name", "reported_at", "clock_started_at",
    "due_at", "first_due_at", "accepted_at", "updated_at"};

// N open events: 70% at the grid, 24% village, 5% township, 0.9% county, 0.1% city; a share
// overdue (due up to 6 h ago), a share due within 2 h, the rest due in 2 h to 3 days.
int load(store::Database& db, int64_t count, Instant now, double overdue, double near,
         uint64_t seed) {
  auto t = Clock::now();
  std::vector<Ladder> grids;
  int64_t next = 0;
  {
    auto tx = db.begin(store::TxMode::read);
    grids = ladders(*tx);
    next = tx->query_int("SELECT COALESCE(MAX(id), 0) FROM events") + 1;
  }
  if (grids.empty()) throw Error(ErrorKind::bad_input, "no_grids", "没有网格", "no grids");
  std::mt19937_64 rng(seed);
  auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  const char* states[] = {"reported", "accepted", "in_progress", "dispatched"};
  const char* cats[] = {"sanitation", "dispute", "infra.road", "infra.water", "public_order"};
  const int64_t at = to_unix_ms(now);
  const int64_t hour = 3'600'000;
  int64_t overdue_n = 0, near_n = 0;
  for (int64_t done = 0; done < count;) {
    int64_t n = std::min<int64_t>(100'000, count - done);
    db.transact([&](store::Tx& tx) {
      auto w = tx.bulk("events", kColumns);
      for (int64_t i = 0; i < n; ++i) {
        const Ladder& g = grids[rng() % grids.size()];
        double u = uniform();
        int level = u < 0.70 ? 1 : u < 0.94 ? 2 : u < 0.99 ? 3 : u < 0.999 ? 4 : 5;
        double d = uniform();
        int64_t due = d < overdue ? at - static_cast<int64_t>(uniform() * 6 * hour)
                      : d < overdue + near
                          ? at + 1 + static_cast<int64_t>(uniform() * 2 * hour)
                          : at + 2 * hour + 1 + static_cast<int64_t>(uniform() * 70 * hour);
        overdue_n += due <= at;
        near_n += due > at && due <= at + 2 * hour;
        int64_t reported = due - 24 * hour - static_cast<int64_t>(uniform() * 48 * hour);
        const char* state = level >= 3 ? states[rng() % 4] : states[rng() % 3];
        w->add({next++, cats[rng() % 5], "压测事件", g.at[1], g.at[level], level, state,
                "three_day", "grid_patrol", "bench", reported, reported, due, due,
                std::string(state) == "reported" ? store::Value() : store::Value(reported + hour),
                reported});
      }
      w->finish();
    });
    done += n;
  }
  if (db.dialect() == store::Dialect::postgres) {
    db.transact([](store::Tx& tx) { tx.exec("ANALYZE"); });
  }
  std::printf("load: %lld open events (%lld overdue, %lld due within 2 h) in %.1f s%s\n",
              static_cast<long long>(count), static_cast<long long>(overdue_n),
              static_cast<long long>(near_n), ms_since(t) / 1000,
              db.dialect() == store::Dialect::postgres ? ", then ANALYZE" : "");
  return 0;
}

int sweep(store::Database& db, Instant now, bool dry, int cache_mb) {
  int64_t open = 0;
  {
    auto tx = db.begin(store::TxMode::read);
    open = tx->query_int(
        "SELECT COUNT(*) FROM events WHERE state IN ('reported','accepted','dispatched',"
        "'in_progress','returned','reopened')");
  }
  if (dry) {
    auto t = Clock::now();
    auto tx = db.begin(store::TxMode::write);
    auto r = events::sweep(*tx, now);
    double ms = ms_since(t);
    tx->rollback();
    std::printf("sweep (dry, rolled back) over %lld open events: %.0f ms (escalated %lld)\n",
                static_cast<long long>(open), ms, static_cast<long long>(r.escalated));
    return 0;
  }
  for (const char* run : {"first", "second (idempotent)"}) {
    auto t = Clock::now();
    double cpu = cpu_ms();
    auto tx = db.begin(store::TxMode::write);
    if (cache_mb > 0 && db.dialect() == store::Dialect::sqlite) {
      tx->exec("PRAGMA cache_size=-" + std::to_string(cache_mb * 1024));
    }
    auto r = events::sweep(*tx, now);
    double work = ms_since(t);
    tx->commit();
    double ms = ms_since(t);
    std::printf(
        "sweep at %s, %s run, over %lld open events: %.0f ms (CPU %.0f ms), of which commit "
        "%.0f ms (escalated %lld, flagged overdue %lld, deadline_near %lld)\n",
        format_instant(now).c_str(), run, static_cast<long long>(open), ms, cpu_ms() - cpu,
        ms - work, static_cast<long long>(r.escalated), static_cast<long long>(r.flagged_overdue),
        static_cast<long long>(r.near_notified));
  }
  return 0;
}

int ids(store::Database& db, const std::string& reporter, const std::string& state,
        const std::string& out) {
  std::ofstream f(out);
  int64_t n = 0;
  auto tx = db.begin(store::TxMode::read);
  tx->each("SELECT id FROM events WHERE reporter_name = ? AND state = ? ORDER BY id",
           {reporter, state}, [&](const store::Row& r) {
             f << r.i64(0) << '\n';
             ++n;
           });
  std::fprintf(stderr, "ids: %lld events of %s in state %s\n", static_cast<long long>(n),
               reporter.c_str(), state.c_str());
  return 0;
}

// Read on a write transaction, so on the store's own settings for writers (for SQLite the
// file's default is not what the store sets on its connections).
int durability(store::Database& db) {
  auto tx = db.begin(store::TxMode::write);
  if (db.dialect() == store::Dialect::postgres) {
    auto show = [&](const char* name) {
      return tx->query_one(std::string("SHOW ") + name)->text(0);
    };
    std::printf("PostgreSQL synchronous_commit=%s, fsync=%s, wal_sync_method=%s\n",
                show("synchronous_commit").c_str(), show("fsync").c_str(),
                show("wal_sync_method").c_str());
  } else {
    const char* modes[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
    int64_t sync = tx->query_int("PRAGMA synchronous");
    std::string journal = tx->query_one("PRAGMA journal_mode")->text(0);
    std::printf("SQLite journal_mode=%s, synchronous=%s\n", journal.c_str(),
                sync >= 0 && sync < 4 ? modes[sync] : "?");
  }
  tx->rollback();
  return 0;
}

int report(store::Database& db, const std::string& username, int64_t count,
           const std::string& out) {
  events::Actor a;
  {
    auto tx = db.begin(store::TxMode::read);
    auto r = tx->query_one(
        "SELECT u.id, u.role, o.code FROM users u JOIN orgs o ON o.id = u.org_id "
        "WHERE u.username = ?",
        {username});
    if (!r) throw Error(ErrorKind::not_found, "no_user", "用户不存在", "no such user: " + username);
    a.user_id = r->i64(0);
    a.name = username;
    a.role = auth::parse_role(r->text(1));
    a.org_code = r->text(2);
    a.can_report = a.can_handle = true;
  }
  const char* cats[] = {"sanitation", "dispute", "infra.road", "public_order", "other"};
  std::ofstream f(out);
  auto t = Clock::now();
  for (int64_t done = 0; done < count;) {
    int64_t n = std::min<int64_t>(1000, count - done);
    db.transact([&](store::Tx& tx) {
      for (int64_t i = 0; i < n; ++i) {
        events::NewEvent e;
        e.category = cats[(done + i) % 5];
        e.title = "压测事件 " + std::to_string(done + i);
        f << events::report(tx, a, e, wangge::now()).id << '\n';
      }
    });
    done += n;
  }
  std::fprintf(stderr, "report: %lld events reported as %s in %.1f s\n",
               static_cast<long long>(count), username.c_str(), ms_since(t) / 1000);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: events_bench demo-events|load|sweep|ids|durability|report --db URL …\n");
    return 2;
  }
  try {
    std::string cmd = argv[1];
    store::OpenOptions opts;
    opts.bulk_load = cmd == "demo-events" || cmd == "load";
    auto db = store::Database::open(arg(argc, argv, "--db", "demo.db"), opts);
    if (cmd == "demo-events") return demo_events(*db);
    if (cmd == "load") {
      return load(*db, std::stoll(arg(argc, argv, "--count", "1000000")),
                  parse_instant(arg(argc, argv, "--now", "2026-07-01T10:00:00+08:00")),
                  std::stod(arg(argc, argv, "--overdue", "0.02")),
                  std::stod(arg(argc, argv, "--near", "0.02")),
                  std::stoull(arg(argc, argv, "--seed", "1")));
    }
    if (cmd == "sweep") {
      bool dry = false;
      for (int i = 2; i < argc; ++i) dry = dry || std::string(argv[i]) == "--dry";
      return sweep(*db, parse_instant(arg(argc, argv, "--now", "2026-07-01T10:00:00+08:00")), dry,
                   std::stoi(arg(argc, argv, "--cache-mb", "0")));
    }
    if (cmd == "durability") return durability(*db);
    if (cmd == "report") {
      return report(*db, arg(argc, argv, "--as", "gridworker"),
                    std::stoll(arg(argc, argv, "--count", "100000")),
                    arg(argc, argv, "--out", "ids.txt"));
    }
    if (cmd == "ids") {
      return ids(*db, arg(argc, argv, "--reporter", "gridworker"),
                 arg(argc, argv, "--state", "reported"), arg(argc, argv, "--out", "ids.txt"));
    }
    std::fprintf(stderr, "events_bench: unknown command %s\n", cmd.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "events_bench: %s\n", e.what());
    return 1;
  }
}
