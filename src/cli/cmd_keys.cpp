// `wangge key new|check|rotate`: the data key of a database (cli/keys.h).
#include <fmt/format.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/keys.h"
#include "core/error.h"

namespace wangge::cli {

int run_key(const KeyArgs& args) {
  if (args.db.empty()) {
    throw_bad_input("missing_db", "须用 --db 指定数据库", "--db is required", "db");
  }
  // `key new` sets up a new deployment: the database may not exist yet.
  auto db = args.action == "new" ? open_database(args.db) : open_existing_database(args.db);
  const auto file = Vault::default_key_file(args.db);
  if (args.action == "new") {
    Vault vault = Vault::create_key_file(file);
    bind_key(*db, vault, file);
    fmt::print("已创建数据密钥 {}（编号 {}），权限 0600；请另行备份，勿与数据库备份放在一起\n",
               file.string(), vault.key_id());
    return 0;
  }
  if (args.action == "check") {
    Vault vault = open_vault(*db, args.db, false);
    fmt::print("数据密钥 {} 与数据库相符 (key matches the database)，编号 (key id) {}\n",
               file.string(), vault.key_id());
    return 0;
  }
  // rotate
  if (args.new_key_file.empty()) {
    throw_bad_input("missing_option", "须指定 --new-key-file", "--new-key-file is required",
                    "--new-key-file");
  }
  RotateResult r =
      rotate_key(*db, {.key_file = file, .new_key_file = args.new_key_file, .batch = args.batch},
                 audit_actor(args.as));
  fmt::print("密钥轮换完成 (key rotated)：重新加密 {} 个值，重算 {} 条审计 MAC\n", r.resealed,
             r.remaced);
  if (r.installed) {
    fmt::print("新密钥已就位 {}；旧密钥移到 {}（恢复旧备份时需要，请离线保存）\n", file.string(),
               r.retired);
  }
  return 0;
}

}  // namespace wangge::cli
