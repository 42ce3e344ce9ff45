// `wangge backup`, `wangge backup verify` and `wangge restore` (cli/backup.h).
#include <fmt/format.h>

#include "cli/backup.h"
#include "cli/commands.h"
#include "core/error.h"

namespace wangge::cli {

int run_backup(const BackupArgs& args) {
  if (args.db.empty()) {
    throw_bad_input("missing_db", "须用 --db 指定数据库", "--db is required", "db");
  }
  if (args.to.empty()) {
    throw_bad_input("missing_to", "须用 --to 指定备份目录", "--to is required", "--to");
  }
  auto m = take_backup({.db_url = args.db, .to = args.to, .photos = args.photos});
  int64_t rows = 0;
  for (const auto& [table, n] : m.at("counts").items()) rows += n.get<int64_t>();
  fmt::print("备份完成 (backup written)：{}，{} 张表 {} 行，{} 张照片，用时 {:.1f} 秒\n", args.to,
             m.at("counts").size(), rows, m.at("photos").get<int64_t>(),
             m.at("seconds").get<double>());
  if (m.at("data_key").is_object()) {
    fmt::print("备份不含数据密钥；恢复时需要编号为 {} 的密钥文件，请另行妥善保管\n",
               m.at("data_key").at("key_id").get<std::string>());
  }
  if (!m.at("missing_photos").empty()) {
    fmt::print(stderr,
               "警告：{} 张照片在照片目录中缺失或已损坏，未备份（见 manifest.json 的 "
               "missing_photos）\nwarning: {} photo files were missing or damaged\n",
               m.at("missing_photos").size(), m.at("missing_photos").size());
  }
  return 0;
}

int run_backup_verify(const BackupVerifyArgs& args) {
  std::optional<Vault> key;
  if (!args.key.empty()) key = Vault::from_key_file(args.key, false);
  VerifyReport r = verify_backup(args.dir, key);
  for (const auto& p : r.problems) fmt::print("不符 (mismatch)：{}\n", p);
  if (!r.problems.empty()) {
    fmt::print("备份校验未通过：{} 处问题 (backup verification failed)\n", r.problems.size());
    return 1;
  }
  fmt::print("备份完整 (backup verified)：文件校验和、各表行数、照片一致；审计日志 {} 条完整{}\n",
             r.audit_rows, r.keyed ? "（含密钥 MAC 校验）" : "（未给密钥：只校验了 SHA-256 链）");
  return 0;
}

int run_restore(const RestoreArgs& args) {
  if (args.db.empty()) {
    throw_bad_input("missing_db", "须用 --db 指定目标数据库", "--db is required", "db");
  }
  RestoreResult r = restore_backup(
      {.from = args.from, .db_url = args.db, .photos = args.photos, .key_file = args.key});
  fmt::print("恢复完成 (restored)：{} 行，{} 张照片{}\n", r.rows, r.photos,
             r.migrated > 0 ? fmt::format("，升级迁移 {} 项", r.migrated) : "");
  return 0;
}

}  // namespace wangge::cli
