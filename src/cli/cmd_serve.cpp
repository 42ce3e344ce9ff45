// `wangge serve`: the API and the web app from one process.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "api/api.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "http/server.h"

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

}  // namespace

int run_serve(const ServeArgs& args) {
  auto db = open_database(args.db);
  http::Server server({.address = args.bind, .port = static_cast<uint16_t>(args.port)});
  server.dispatcher().add_health_check("database", [&db] {
    auto tx = db->begin(store::TxMode::read);
    tx->query_int("SELECT COUNT(*) FROM schema_migrations");
  });
  api::install(server, *db, open_vault(args.db, false));
  if (auto root = find_web_root(args.web_root); !root.empty()) {
    server.serve_static({.root = root});
  }
  uint16_t port = server.start();
  fmt::print("wangge 已启动 (serving) http://{}:{}/  数据库 (database): {}\n", args.bind, port,
             args.db);
  std::fflush(stdout);
  server.run_until_signal();
  spdlog::info("wangge stopped");
  return 0;
}

}  // namespace wangge::cli
