// wangge: one program for the whole platform. `wangge --help` lists the subcommands.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <csignal>

#include "cli/commands.h"
#include "cli/secrets.h"
#include "core/error.h"

namespace {

using namespace wangge::cli;

void add_db_option(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db, "数据库：SQLite 文件路径或 postgresql:// 连接串 (database URL)");
}

}  // namespace

int main(int argc, char** argv) {
  // Every file wangge makes holds personal data or keys: the database and its -wal and -shm,
  // photos, exports, key files. Readable by the owning account only; folders 0700.
  ::umask(077);
  // Past a file size limit (RLIMIT_FSIZE) a write fails with EFBIG, which the database and the
  // photo store answer as a full disk (503), instead of the signal killing the server.
  ::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"wangge 网格化基层治理平台 (grid-based grassroots governance)"};
  app.require_subcommand(1);

  DemoArgs demo;
  auto* demo_cmd = app.add_subcommand(
      "demo", "生成演示地区（昭通）并启动服务 (build the demo prefecture and serve it)");
  demo_cmd->add_option("--scale", demo.scale, "规模，1 = 全市约500万人 (1 = the real prefecture)")
      ->check(CLI::Range(0.0001, 4.0));
  demo_cmd->add_option("--seed", demo.seed, "随机种子 (random seed)");
  add_db_option(demo_cmd, demo.db);
  demo_cmd->add_option("--bind", demo.bind, "监听地址 (bind address)");
  demo_cmd->add_option("--port", demo.port, "端口 (port)")->check(CLI::Range(0, 65535));
  demo_cmd->add_option("--web-root", demo.web_root, "前端文件目录 (built web app)");
  demo_cmd->add_flag("--fresh", demo.fresh, "删除已有演示库重新生成 (regenerate)");
  bool no_serve = false;
  demo_cmd->add_flag("--no-serve", no_serve, "只生成不启动服务 (generate only)");
  demo_cmd->add_option("--config", demo.config, "服务用的 TOML 配置文件 (config file for serving)");
  demo_cmd->add_option(
      "--as-of", demo.as_of,
      "演示历史截止时刻 YYYY-MM-DD[THH:MM]，默认现在 (history ends then; default now)");
  demo_cmd->add_flag("--quiet", demo.quiet,
                     "服务时不产生实时演示数据 (no live stream while serving)");
  demo_cmd
      ->add_option("--live-interval", demo.live_interval,
                   "实时演示数据间隔秒数 (seconds between live stream ticks)")
      ->check(CLI::Range(0.05, 3600.0));

  ServeArgs serve;
  auto* serve_cmd = app.add_subcommand("serve", "启动服务 (serve the API and the web app)");
  add_db_option(serve_cmd, serve.db);
  serve_cmd->add_option("--bind", serve.bind, "监听地址 (bind address)");
  serve_cmd->add_option("--port", serve.port, "端口 (port)")->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--config", serve.config, "TOML 配置文件 (config file)");
  serve_cmd->add_option("--web-root", serve.web_root, "前端文件目录 (built web app)");

  ImportArgs import;
  auto* import_cmd =
      app.add_subcommand("import", "导入住户或居民 (import households or residents)");
  import_cmd->add_option("what", import.what, "residents | households")
      ->required()
      ->check(CLI::IsMember({"residents", "households"}));
  add_db_option(import_cmd, import.db);
  import_cmd->add_option("file", import.file, "CSV (UTF-8/GB18030) 或 XLSX 文件")->required();
  import_cmd->add_option("--as", import.as,
                         "审计日志中记录的操作人，默认操作系统用户 (audited as)");

  ExportArgs exp;
  auto* export_cmd =
      app.add_subcommand("export", "导出住户或居民 (export households or residents)");
  export_cmd->add_option("what", exp.what, "residents | households")
      ->required()
      ->check(CLI::IsMember({"residents", "households"}));
  add_db_option(export_cmd, exp.db);
  export_cmd->add_option("--org", exp.org, "组织编码，只导出其下 (org code)");
  exp.format = "csv";
  export_cmd->add_option("--format", exp.format, "csv | xlsx")
      ->check(CLI::IsMember({"csv", "xlsx"}));
  export_cmd->add_option("-o,--out", exp.out, "输出文件，默认标准输出 (output file)");
  export_cmd->add_option("--as", exp.as, "审计日志中记录的操作人，默认操作系统用户 (audited as)");

  UserArgs user;
  auto* user_cmd = app.add_subcommand("user", "账号管理 (accounts): add | passwd | lock | list");
  user_cmd->add_option("action", user.action, "add | passwd | lock | list")
      ->required()
      ->check(CLI::IsMember({"add", "passwd", "lock", "list"}));
  add_db_option(user_cmd, user.db);
  user_cmd->add_option("--username", user.username, "用户名 (username)");
  user_cmd->add_option("--name", user.name, "姓名 (display name)");
  user_cmd->add_option("--role", user.role, "角色 (role), 如 county_operator");
  user_cmd->add_option("--org", user.org, "所在组织编码 (org code)");
  user_cmd->add_option("--household", user.household, "居民所在户的编号 (household id)");
  SecretInput password{"--password", "初始密码", {}, false, false, {}, true};
  auto* password_opt = user_cmd->add_option(
      "--password", password.value,
      "初始密码（不推荐：ps 可见）(initial password; visible in ps, prefer the two below)");
  user_cmd->add_flag("--password-stdin", password.from_stdin,
                     "从标准输入读初始密码 (read the password from standard input)");
  user_cmd->add_option("--password-file", password.file,
                       "从文件首行读初始密码 (read it from a file's first line)");
  user_cmd->add_flag("--unlock", user.unlock, "解锁 (unlock)");
  user_cmd->add_option("--minutes", user.minutes, "锁定分钟数，0 为直到解锁 (lock minutes)");

  std::string audit_db;
  auto* audit_cmd = app.add_subcommand("audit", "审计日志 (audit log)");
  auto* verify_cmd = audit_cmd->add_subcommand("verify", "校验哈希链 (verify the hash chain)");
  add_db_option(verify_cmd, audit_db);
  audit_cmd->require_subcommand(1);

  OrgBoundariesArgs org_boundaries;
  auto* org_cmd = app.add_subcommand("org", "组织机构 (the org tree)");
  org_cmd->require_subcommand(1);
  auto* boundaries_cmd = org_cmd->add_subcommand("boundaries", "边界 (outlines)");
  boundaries_cmd->require_subcommand(1);
  auto* boundaries_import_cmd = boundaries_cmd->add_subcommand(
      "import", "从GeoJSON导入边界，全部成功才写入 (import outlines from GeoJSON, all or nothing)");
  boundaries_import_cmd->add_option("file", org_boundaries.file, "GeoJSON FeatureCollection")
      ->required();
  add_db_option(boundaries_import_cmd, org_boundaries.db);
  boundaries_import_cmd
      ->add_option("--match-by", org_boundaries.match_by, "按编码或名称匹配 (code | name)")
      ->check(CLI::IsMember({"code", "name"}));
  boundaries_import_cmd->add_option("--key", org_boundaries.key,
                                    "存放编码/名称的属性名 (the property holding it)");
  boundaries_import_cmd->add_option("--within", org_boundaries.within,
                                    "只匹配该组织之下 (only orgs under this code)");

  SweepArgs sweep;
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "按给定时间执行超时上报巡检 (run the escalation sweep as of a time)");
  add_db_option(sweep_cmd, sweep.db);
  sweep_cmd->add_option("--now", sweep.now, "ISO 8601 时间，默认当前时间 (as of this time)");

  TablesAnalyzeArgs tables_analyze;
  std::string tables_sample_dir;
  auto* tables_cmd =
      app.add_subcommand("tables", "基层一张表工具 (one-table tools): analyze | sample");
  auto* analyze_cmd = tables_cmd->add_subcommand(
      "analyze", "分析一批老表，归并字段 (cluster the columns of legacy forms into fields)");
  analyze_cmd->add_option("dir", tables_analyze.dir, "老表所在文件夹 (folder of XLSX/CSV forms)")
      ->required();
  analyze_cmd->add_option("--dictionary", tables_analyze.dictionary,
                          "数据字典目录，默认 data/dictionary (dictionary folder)");
  analyze_cmd->add_flag("--apply", tables_analyze.apply,
                        "把新字段加入数据字典；低置信度的合并须经 --confirm 确认才写入 (add new "
                        "fields; low-confidence merges only when confirmed)");
  analyze_cmd->add_option("--confirm", tables_analyze.confirm,
                          "确认文件：每行“名称A = 名称B”，照抄报告末尾“待确认”的行 (confirmed "
                          "low-confidence merges, one \"name = name\" a line as the report "
                          "lists them)");
  analyze_cmd->add_flag("--json", tables_analyze.json, "输出 JSON (print JSON)");
  auto* sample_cmd = tables_cmd->add_subcommand(
      "sample", "生成带标准答案的老表样本 (write the sample legacy forms)");
  sample_cmd->add_option("dir", tables_sample_dir, "输出文件夹 (output folder)")->required();
  tables_cmd->require_subcommand(1);

  ReportArgs report;
  auto* report_cmd = app.add_subcommand("report", "生成报表 (compute a form from the data)");
  report_cmd
      ->add_option("form", report.form, "报表编码，如 dibao；all 导出全部到 -o 目录 (form code)")
      ->required();
  add_db_option(report_cmd, report.db);
  report_cmd->add_option("--org", report.org, "单位编码，默认根节点 (org code)");
  report_cmd->add_option("--level", report.level, "行层级 county|township|village|grid|child|all");
  report_cmd->add_option("--format", report.format, "json | csv | xlsx")
      ->check(CLI::IsMember({"json", "csv", "xlsx"}));
  report_cmd->add_option("-o,--out", report.out, "输出文件，默认标准输出 (output file)");
  report_cmd->add_option("--as-of", report.as_of, "统计日期 YYYY-MM-DD (ages are counted on)");
  report_cmd->add_option("--as", report.as,
                         "名册导出记入审计日志的操作人，默认操作系统用户 (audited as)");
  report_cmd->add_option("--from", report.from, "报告期开始 YYYY-MM-DD");
  report_cmd->add_option("--to", report.to, "报告期结束 YYYY-MM-DD");

  ApiKeyArgs apikey;
  auto* apikey_cmd = app.add_subcommand(
      "apikey", "Open311 接口密钥 (API keys of 311 clients): add | list | revoke");
  apikey_cmd->add_option("action", apikey.action, "add | list | revoke")
      ->required()
      ->check(CLI::IsMember({"add", "list", "revoke"}));
  add_db_option(apikey_cmd, apikey.db);
  apikey_cmd->add_option("--name", apikey.name, "客户端名称 (client name)");

  TagsArgs tags;
  auto* tags_cmd = app.add_subcommand(
      "tags", "标签目录 (the tag catalogue; add a county's own key-person category): add | list");
  tags_cmd->add_option("action", tags.action, "add | list")
      ->required()
      ->check(CLI::IsMember({"add", "list"}));
  add_db_option(tags_cmd, tags.db);
  tags_cmd->add_option("--code", tags.code, "编码 [a-z][a-z0-9_]{1,31}");
  tags_cmd->add_option("--name", tags.name, "名称，1–20 个字符 (name)");
  tags_cmd->add_option("--category", tags.category, "类别，默认 重点人员 (category)");
  tags_cmd->add_option("--color", tags.color, "红黄绿规则 (colour rule): green | yellow | red")
      ->check(CLI::IsMember({"green", "yellow", "red"}));
  tags_cmd->add_flag("!--not-key-person", tags.key_person,
                     "不是重点人员类别 (not a key-person category)");
  tags_cmd->add_flag("!--not-sensitive", tags.sensitive, "不是敏感个人信息 (not sensitive)");
  tags_cmd->add_option("--as", tags.as, "审计日志中记录的操作人，默认操作系统用户 (audited as)");

  WebhookArgs webhook;
  auto* webhook_cmd = app.add_subcommand(
      "webhook", "事件通知回调 (notification webhooks of an org subtree): add | list | remove");
  webhook_cmd->add_option("action", webhook.action, "add | list | remove")
      ->required()
      ->check(CLI::IsMember({"add", "list", "remove"}));
  add_db_option(webhook_cmd, webhook.db);
  webhook_cmd->add_option("--org", webhook.org, "组织编码，其下的通知都发往此处 (org code)");
  webhook_cmd->add_option("--kind", webhook.kind, "wecom | dingtalk | json")
      ->check(CLI::IsMember({"wecom", "dingtalk", "json"}));
  auto* url_opt = webhook_cmd->add_option("--url", webhook.url,
                                          "回调地址，含令牌时请用 --url-stdin (webhook URL)");
  bool url_stdin = false;
  webhook_cmd->add_flag("--url-stdin", url_stdin,
                        "从标准输入首行读回调地址 (read the URL from standard input)");
  SecretInput secret{"--secret", "加签密钥", {}, false, false, {}, false, false};
  auto* secret_opt = webhook_cmd->add_option(
      "--secret", secret.value, "加签密钥（不推荐：ps 可见）(signing secret; visible in ps)");
  webhook_cmd->add_flag("--secret-stdin", secret.from_stdin,
                        "从标准输入读加签密钥（在地址之后一行）(read it from standard input)");
  webhook_cmd->add_option("--secret-file", secret.file, "从文件首行读加签密钥 (from a file)");
  webhook_cmd->add_flag(
      "--may-reach-intranet", webhook.may_reach_intranet,
      "允许回调到内网、本机等私有地址（有 SSRF 风险，仅限内网部署）(allow private targets: SSRF "
      "risk)");
  webhook_cmd->add_option("--id", webhook.id, "要删除的回调编号 (id to remove)");

  KeyArgs key;
  auto* key_cmd =
      app.add_subcommand("key", "数据密钥 (data key): new | check | rotate --new-key-file FILE");
  key_cmd->add_option("action", key.action, "new | check | rotate")
      ->required()
      ->check(CLI::IsMember({"new", "check", "rotate"}));
  add_db_option(key_cmd, key.db);
  key_cmd->add_option("--new-key-file", key.new_key_file,
                      "轮换后的新密钥文件，不存在则创建 (the new key; created when missing)");
  key_cmd->add_option("--batch", key.batch, "每个事务的行数 (rows per transaction)")
      ->check(CLI::Range(1, 100000));
  key_cmd->add_option("--as", key.as, "审计日志中记录的操作人 (audited as)");

  BackupArgs backup;
  auto* backup_cmd = app.add_subcommand(
      "backup", "在线备份数据库和照片 (online backup): --db URL --to DIR | verify DIR");
  add_db_option(backup_cmd, backup.db);
  backup_cmd->add_option("--to", backup.to, "备份目录，须不存在或为空 (new backup folder)");
  backup_cmd->add_option("--photos", backup.photos, "照片目录，默认数据库旁 (photo folder)");
  backup_cmd->require_subcommand(0, 1);
  BackupVerifyArgs backup_verify;
  auto* backup_verify_cmd =
      backup_cmd->add_subcommand("verify", "校验备份 (check a backup and its audit chain)");
  backup_verify_cmd->add_option("dir", backup_verify.dir, "备份目录 (backup folder)")->required();
  backup_verify_cmd->add_option("--key", backup_verify.key,
                                "数据密钥文件，给出则一并校验审计 MAC (key file)");
  RestoreArgs restore;
  auto* restore_cmd = app.add_subcommand(
      "restore", "从备份恢复到空数据库 (restore a backup into an empty database)");
  restore_cmd->add_option("--from", restore.from, "备份目录 (backup folder)")->required();
  add_db_option(restore_cmd, restore.db);
  restore_cmd->add_option("--photos", restore.photos, "照片目录，默认数据库旁 (photo folder)");
  restore_cmd->add_option("--key", restore.key,
                          "数据密钥文件，默认数据库旁的 .key 或 WANGGE_KEY_FILE (key file)");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*demo_cmd) {
      demo.serve = !no_serve;
      return run_demo(demo);
    }
    if (*serve_cmd) {
      for (const char* opt : {"--db", "--bind", "--port", "--web-root"}) {
        if (serve_cmd->count(opt) > 0) serve.explicit_options.insert(opt);
      }
      return run_serve(serve);
    }
    if (*import_cmd) return run_import(import);
    if (*export_cmd) return run_export(exp);
    if (*report_cmd) return run_report(report);
    if (*user_cmd) {
      password.value_given = password_opt->count() > 0;
      if (user.action == "add" || user.action == "passwd") user.password = read_secret(password);
      return run_user(user);
    }
    if (*verify_cmd) return run_audit_verify(audit_db);
    if (*sweep_cmd) return run_sweep(sweep);
    if (*boundaries_import_cmd) return run_org_boundaries_import(org_boundaries);
    if (*apikey_cmd) return run_apikey(apikey);
    if (*tags_cmd) return run_tags(tags);
    if (*webhook_cmd) {
      if (url_stdin) {
        webhook.url = read_secret({"--url", "回调地址", {}, false, true, {}, false, false});
      } else if (url_opt->count() > 0 && webhook.url.find('?') != std::string::npos) {
        fmt::print(stderr,
                   "警告：回调地址中的令牌在命令行上 ps 可见；请改用 --url-stdin。\nwarning: the "
                   "token in --url shows in ps and the shell history; use --url-stdin.\n");
      }
      secret.value_given = secret_opt->count() > 0;
      if (webhook.action == "add") webhook.secret = read_secret(secret);
      return run_webhook(webhook);
    }
    if (*key_cmd) return run_key(key);
    if (*backup_verify_cmd) return run_backup_verify(backup_verify);
    if (*backup_cmd) return run_backup(backup);
    if (*restore_cmd) return run_restore(restore);
    if (*analyze_cmd) return run_tables_analyze(tables_analyze);
    if (*sample_cmd) return run_tables_sample(tables_sample_dir);
  } catch (const wangge::Error& e) {
    fmt::print(stderr, "错误：{}\n", e.message(wangge::Lang::zh));
    // The details an operator needs (the SQLite or libpq message) are in the English text.
    if (e.kind() != wangge::ErrorKind::bad_input && e.kind() != wangge::ErrorKind::not_found) {
      fmt::print(stderr, "  ({})\n", e.message(wangge::Lang::en));
    }
    return e.kind() == wangge::ErrorKind::bad_input ? 2 : 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "错误：{}\n", e.what());
    return 1;
  }
  return 0;
}
