#include "example.h"

#include "analytics/entity.h"
#include "api/context.h"
#include "auth/scope.h"
#include "cli/app.h"
#include "core/error.h"
#include "http/json_input.h"
#include "org/service.h"

namespace wangge::example {
namespace {

using nlohmann::json;

constexpr std::string_view kRead = "example.read", kWrite = "example.write";

// The item's org by code, within the caller's scope (404 otherwise, as everywhere).
int64_t scoped_org(store::Tx& tx, const auth::User& user, const std::string& code) {
  auto o = org::find_org(tx, code);
  if (!o || !auth::in_scope(user.scope(), o->code)) {
    throw_not_found("组织机构不存在：" + code, "no such org: " + code);
  }
  return o->id;
}

http::Response create(api::Context& ctx, const http::Request& req) {
  const auth::User& user = api::caller_of(req).user;
  auth::check_access(ctx.permissions, user, kWrite);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body, {"org", "kind", "amount", "urgent"});
  const auto org_code = http::required_field<std::string>(body, "org");
  const auto kind = http::required_field<std::string>(body, "kind");
  if (kind != "a" && kind != "b") {
    throw_bad_input("invalid_kind", "类别须为 a（甲类）或 b（乙类）", "kind must be a or b",
                    "kind");
  }
  const auto amount = http::optional_field<double>(body, "amount");
  const bool urgent = http::optional_field<bool>(body, "urgent").value_or(false);
  const int64_t id = ctx.db.transact([&](store::Tx& tx) {
    const int64_t org = scoped_org(tx, user, org_code);
    const int64_t item = tx.insert_id(
        "INSERT INTO example_items (org_id, kind, amount, urgent, created_at) VALUES (?, ?, ?, ?, "
        "?)",
        {org, kind, amount, urgent ? 1 : 0, to_unix_ms(ctx.now())});
    tx.changed(kItem, item, store::ChangeKind::created);  // the index sees it at once
    return item;
  });
  return http::Response::json(201, {{"id", id}});
}

http::Response list(api::Context& ctx, const http::Request& req) {
  const auth::User& user = api::caller_of(req).user;
  auth::check_access(ctx.permissions, user, kRead);
  const std::string code = req.query.get_or("org", user.org_code);  // default: the whole scope
  auto tx = ctx.db.begin(store::TxMode::read);
  scoped_org(*tx, user, code);
  const auth::SqlFilter within = auth::scope_sql(auth::scope_of(code), "o.code");
  json items = json::array();
  for (const auto& r : tx->query("SELECT x.id, x.kind, x.amount, x.urgent FROM example_items x "
                                 "JOIN orgs o ON o.id = x.org_id WHERE " +
                                     within.where + " ORDER BY x.id",
                                 within.params)) {
    items.push_back({{"id", r.i64(0)},
                     {"kind", r.text(1)},
                     {"amount", r.is_null(2) ? json() : json(r.f64(2))},
                     {"urgent", r.i64(3) != 0}});
  }
  return http::Response::json(200, {{"items", items}});
}

std::vector<http::Route> routes(const std::shared_ptr<api::Context>& ctx) {
  auto bind = [&ctx](api::ApiHandler fn) { return api::bind_handler(ctx, fn); };
  return {
      {.method = http::Method::post,
       .path = "/api/v1/example/items",
       .summary = "Registers an example item (tests only)",
       .tags = {"example"},
       .handler = bind(create),
       .request_schema = {{"type", "object"}, {"required", {"org", "kind"}}},
       .success_status = 201},
      {.method = http::Method::get,
       .path = "/api/v1/example/items",
       .summary = "The example items of an org subtree (tests only)",
       .tags = {"example"},
       .handler = bind(list),
       .query = {{.name = "org", .description = "an org code within the caller's scope"}}},
  };
}

// Three items in each of the first grids, the same for a seed.
void demo(app::DemoContext& c) {
  c.db.transact([&](store::Tx& tx) {
    int n = 0;
    for (const auto& r :
         tx.query("SELECT id FROM orgs WHERE kind = 'grid' ORDER BY code LIMIT 4")) {
      for (int i = 0; i < 3; ++i, ++n) {
        tx.exec(
            "INSERT INTO example_items (org_id, kind, amount, urgent, created_at) VALUES (?, ?, "
            "?, ?, 0)",
            {r.i64(0), (c.seed + n) % 2 ? "a" : "b", 10.0 * (n + 1), n % 3 == 0 ? 1 : 0});
      }
    }
  });
}

std::shared_ptr<const analytics::EntitySpec> item_entity() {
  auto s = std::make_shared<analytics::EntitySpec>();
  s->name = "example_item";
  s->label = "示例事项";
  s->table = "example_items";
  using T = analytics::ColumnType;
  using K = analytics::Binding::Kind;
  s->columns = {{"kind", T::u8, "CASE x.kind WHEN 'a' THEN 1 WHEN 'b' THEN 2 END"},
                {"amount", T::f32, "x.amount"},
                {"flags", T::u64, "x.urgent"}};
  s->fields = {{"example_item.kind", K::enum_u8, "kind"},
               {"example_item.amount", K::f32, "amount"},
               {"example_item.urgent", K::flags_any, "flags", 1}};
  s->follows = {&kItem};
  return s;
}

}  // namespace

app::Module module() {
  app::Module m{.name = "example", .after = {"org", "auth"}};
  m.migrations = {{"example", 1, R"sql(
CREATE TABLE example_items (
  id {pk},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,
  amount {real},
  urgent INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX example_items_org ON example_items(org_id);
)sql"}};
  m.permissions = {{std::string(kRead), "查看示例事项"}, {std::string(kWrite), "登记示例事项"}};
  for (auth::Role r : {auth::Role::county_operator, auth::Role::township_operator,
                       auth::Role::village_operator, auth::Role::grid_worker}) {
    m.grants.push_back({r, std::string(kRead)});
    m.grants.push_back({r, std::string(kWrite)});
  }
  m.grants.push_back({auth::Role::leader, std::string(kRead)});
  m.routes = {&routes};
  m.entities = {item_entity()};
  m.dictionary_dirs = {std::filesystem::path(WANGGE_TESTS_DIR) / "api/example/dictionary"};
  m.forms_dirs = {std::filesystem::path(WANGGE_TESTS_DIR) / "api/example/forms"};
  m.demo = {{"example", "生成示例事项", &demo}};
  return m;
}

const app::Registry& test_registry() {
  static const app::Registry r = [] {
    auto all = cli::modules();
    all.push_back(module());
    return app::Registry(std::move(all));
  }();
  return r;
}

}  // namespace wangge::example
