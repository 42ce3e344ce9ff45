// `wangge demo`: generate the demo prefecture, then serve it unless --no-serve.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "cli/app.h"
#include "cli/commands.h"
#include "demo/accounts.h"
#include "demo/generator.h"

namespace wangge::cli {

int run_demo(const DemoArgs& args) {
  const bool sqlite = !args.db.starts_with("postgres");
  if (sqlite && std::filesystem::exists(args.db)) {
    if (!args.fresh) {
      fmt::print(stderr, "演示数据库 {} 已存在：直接使用（--fresh 重新生成）\n", args.db);
      return args.serve ? run_serve({.db = args.db,
                                     .bind = args.bind,
                                     .port = args.port,
                                     .web_root = args.web_root})
                        : 0;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(args.db + suffix);
  }
  auto started = std::chrono::steady_clock::now();
  demo::Summary summary;
  std::vector<demo::DemoAccount> accounts;
  {
    auto db = open_database(args.db, {.pool_size = 2, .bulk_load = true});
    Vault vault = open_vault(*db, args.db, true);
    ProgressBar bar;
    demo::Options opts{.scale = args.scale, .seed = args.seed};
    opts.progress = [&](int64_t done, int64_t total, const std::string& what) {
      bar.update(done, total, what);
    };
    auto s = demo::generate(*db, vault, opts);
    // Then each programme's own demo data, on the prefecture just written.
    app::DemoContext demo_context{*db, vault, args.scale, args.seed, opts.progress};
    registry().run_demo(demo_context);
    bar.update(1, 1, "");
    summary = s;
    accounts = db->transact([](store::Tx& tx) { return demo::create_demo_accounts(tx); });
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print(
      "演示地区已生成 (demo prefecture generated) in {:.1f} s: {} 乡镇(街道), {} 村(社区), {} "
      "网格, "
      "{} 微网格, {} 楼栋, {} 党组织, {} 工作人员岗位, {} 户, {} 人, {} 条标签\n",
      secs, summary.townships, summary.villages, summary.grids, summary.micro_grids,
      summary.buildings, summary.party_orgs, summary.posts, summary.households, summary.residents,
      summary.resident_tags);
  fmt::print("演示账号 (demo accounts), 密码 (password) {}:\n", demo::kDemoPassword);
  for (const auto& a : accounts) {
    fmt::print(
        "  {:<11} {}（{}）{}\n", a.username, a.role_label, a.org_name,
        a.must_change_password ? "  首次登录须修改密码 (must change it at first login)" : "");
  }
  if (!args.serve) return 0;
  return run_serve(
      {.db = args.db, .bind = args.bind, .port = args.port, .web_root = args.web_root});
}

}  // namespace wangge::cli
