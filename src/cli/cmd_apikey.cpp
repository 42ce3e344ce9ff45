// `wangge apikey add|list|revoke` (Open311 clients) and `wangge webhook add|list|remove`
// (where notifications go).
#include <fmt/format.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "intake/apikeys.h"
#include "notify/notify.h"

namespace wangge::cli {
namespace {

std::unique_ptr<store::Database> open_intake(const std::string& url) {
  return open_existing_database(url);  // migrated by every module, intake included
}

void require(const std::string& value, const char* option) {
  if (value.empty()) {
    throw_bad_input("missing_option", fmt::format("须指定 {}", option),
                    fmt::format("{} is required", option), option);
  }
}

}  // namespace

int run_apikey(const ApiKeyArgs& args) {
  auto db = open_intake(args.db);
  open_vault_if_any(*db, args.db);
  if (args.action == "add") {
    require(args.name, "--name");
    auto issued = db->transact(
        [&](store::Tx& tx) { return intake::issue_api_key(tx, args.name, wangge::now()); });
    fmt::print("{}\n", issued.key);
    fmt::print(stderr, "接口密钥只显示这一次，请妥善保存 (shown once; keep it safe): {}\n",
               args.name);
    return 0;
  }
  if (args.action == "revoke") {
    require(args.name, "--name");
    db->transact([&](store::Tx& tx) { intake::revoke_api_key(tx, args.name, wangge::now()); });
    fmt::print("已吊销 (revoked): {}\n", args.name);
    return 0;
  }
  auto tx = db->begin(store::TxMode::read);
  for (const auto& k : intake::list_api_keys(*tx)) {
    fmt::print("{}\t{}\t{}\n", k.name, format_local(k.created_at),
               k.revoked_at ? "已吊销 revoked " + format_local(*k.revoked_at) : "有效 valid");
  }
  return 0;
}

int run_webhook(const WebhookArgs& args) {
  auto db = open_intake(args.db);
  Vault vault = open_vault(*db, args.db, false);
  db->transact([&](store::Tx& tx) { notify::seal_webhook_secrets(tx, vault); });
  if (args.action == "add") {
    require(args.org, "--org");
    require(args.url, "--url");
    notify::Webhook w{0, args.org, notify::parse_webhook_kind(args.kind), args.url, args.secret};
    const std::string actor = "os:" + os_user();
    int64_t id = db->transact([&](store::Tx& tx) {
      return notify::add_webhook(tx, vault, w, wangge::now(), actor,
                                 {.may_reach_intranet = args.may_reach_intranet});
    });
    fmt::print("{}\n", id);
    return 0;
  }
  if (args.action == "remove") {
    db->transact([&](store::Tx& tx) { notify::remove_webhook(tx, args.id, "os:" + os_user()); });
    fmt::print("已删除 (removed): {}\n", args.id);
    return 0;
  }
  auto tx = db->begin(store::TxMode::read);
  for (const auto& w : notify::list_webhooks(*tx, vault)) {
    fmt::print("{}\t{}\t{}\t{}{}\n", w.id, w.org_code, notify::to_string(w.kind),
               notify::masked_url(w.url), w.secret.empty() ? "" : "\t(signed)");
  }
  return 0;
}

}  // namespace wangge::cli
