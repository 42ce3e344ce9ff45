// `wangge serve`: the API and the web app from one process.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "api/api.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "demo/live.h"
#include "http/server.h"
#include "notify/notify.h"

namespace wangge::cli {
namespace {

// The built web app: --web-root, else web/dist beside the working folder or the binary.
std::filesystem::path find_web_root(const std::string& given) {
  if (!given.empty()) return given;
  for (std::filesystem::path p :
       {std::filesystem::path("web/dist"), std::filesystem::path("share/wangge/web")}) {
    if (std::filesystem::exists(p / "index.html")) return p;
  }
  return {};
}

// Handler threads block on the database, each on a pooled connection of its own. SQLite answers
// from its page cache, so one thread per core keeps the cores busy without threads preempting
// one another (on 2 cores, 4 threads cost ~20% more CPU per detail read than 2); PostgreSQL
// answers over a socket, so more threads wait in parallel.
int handler_threads(int configured, const std::string& db_url) {
  if (configured > 0) return configured;
  int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  return db_url.starts_with("postgres") ? std::max(4, 2 * cores) : std::max(2, cores);
}

// Writes on SQLite take turns at one connection, and those that wait when one commits are
// committed with it (group commit): more threads than cores, mostly waiting, make the groups.
int write_threads(int configured, int handlers, const std::string& db_url) {
  if (configured > 0) return configured;
  // SQLite: write handlers mostly wait for their group's commit, and the group can only be as
  // large as the writers waiting. With every commit synced, 32 against 8 took event creation
  // from about 1,300 to 2,100 a second (groups of 16 instead of 4; docs/reliability.md).
  return db_url.starts_with("postgres") ? handlers : 32;
}

}  // namespace

int run_serve(const ServeArgs& given) {
  ServeConfig config{given, {}, {}};
  if (!given.config.empty()) {
    config = load_serve_config(given.config, given);
    auto& a = config.args;
    if (given.explicit_options.count("--db")) a.db = given.db;
    if (given.explicit_options.count("--bind")) a.bind = given.bind;
    if (given.explicit_options.count("--port")) a.port = given.port;
    if (given.explicit_options.count("--web-root")) a.web_root = given.web_root;
  }
  const ServeArgs& args = config.args;
  config.server.address = args.bind;
  config.server.port = static_cast<uint16_t>(args.port);
  config.server.handler_threads = handler_threads(config.server.handler_threads, args.db);
  config.server.write_threads =
      write_threads(config.server.write_threads, config.server.handler_threads, args.db);
  // Two connections more for the sweeper and the notification sender.
  auto db = open_database(
      args.db, {.pool_size = config.server.handler_threads + config.server.write_threads + 2,
                .power_cut_may_lose_writes = config.power_cut_may_lose_writes});
  http::Server server(config.server);
  server.dispatcher().add_health_check("database", [&db] {
    auto tx = db->begin(store::TxMode::read);
    tx->query_int("SELECT COUNT(*) FROM schema_migrations");
  });
  const Vault vault = open_vault(*db, args.db, false);
  const app::Registry& modules = registry();
  modules.configure(config.settings);
  api::install(server, *db, vault, {.auth = config.auth, .settings = config.settings}, modules);
  // The background components (the escalation sweep, the notification sender …), in
  // dependency order; what they change reaches the analytics index through the database.
  app::ComponentContext context{*db, vault, config.settings};
  app::Components components;
  components.start(modules, context);
  std::optional<demo::LiveStream> live;  // `wangge demo`: the place keeps moving
  if (args.live_interval > 0) {
    live.emplace(*db, vault,
                 std::chrono::milliseconds(static_cast<int64_t>(args.live_interval * 1000)),
                 modules.demo_live(), args.live_seed);
  }
  if (auto root = find_web_root(args.web_root); !root.empty()) {
    server.serve_static({.root = root});
  }
  uint16_t port = server.start();
  fmt::print("wangge 已启动 (serving) http://{}:{}/  数据库 (database): {}\n", args.bind, port,
             args.db);
  if (config.power_cut_may_lose_writes) {
    fmt::print(
        "注意：配置了 [database] power_cut_may_lose_writes = true，断电或系统崩溃时可能丢失最近"
        "已确认的写入 (a power cut may lose the last writes already answered)\n");
  }
  std::fflush(stdout);
  server.run_until_signal();
  live.reset();
  components.stop();  // in reverse, after the server has drained its requests
  spdlog::info("wangge stopped");
  return 0;
}

}  // namespace wangge::cli
