// The tag catalogue (标签目录): GET /api/v1/tags lists it, POST /api/v1/tags adds a county's own
// tag — usually a category of key persons with its colour rule — which residents can carry, the
// index counts and forms name (as the dictionary field resident.tag.<code>) at once, without a
// restart. Here rather than in src/people because a new tag's name must be free in the
// reporting service's dictionary too.
#include "analytics/module/module.h"
#include "analytics/service.h"
#include "api/context.h"
#include "auth/audit.h"
#include "core/error.h"
#include "http/json_input.h"
#include "people/people.h"

namespace wangge::api {
namespace {

using nlohmann::json;

json tag_json(const people::Tag& t) {
  return {{"code", t.code},
          {"name", t.name},
          {"category", t.category},
          {"key_person", t.key_person},
          {"color", t.color ? json(people::to_string(*t.color)) : json(nullptr)},
          {"sensitive", t.sensitive},
          {"origin", t.own ? "county" : "shipped"}};
}

http::Response list_tags(Context& ctx, const http::Request& req) {
  caller_of(req);  // any signed-in user: the console offers the tags in filters and forms
  std::vector<people::Tag> tags;
  {
    auto tx = ctx.db.begin(store::TxMode::read);
    tags = people::list_tags(*tx);
  }
  json items = json::array();
  for (const auto& t : tags) items.push_back(tag_json(t));
  return http::Response::json(200, {{"items", items}, {"limit", people::kMaxTags}});
}

people::NewTag parse_new_tag(const json& body) {
  http::require_object(body);
  http::reject_unknown_fields(body,
                              {"code", "name", "category", "key_person", "color", "sensitive"});
  people::NewTag t;
  t.code = http::required_field<std::string>(body, "code");
  t.name = http::required_field<std::string>(body, "name");
  t.key_person = http::optional_field<bool>(body, "key_person").value_or(true);
  t.sensitive = http::optional_field<bool>(body, "sensitive").value_or(t.key_person);
  t.category = http::optional_field<std::string>(body, "category")
                   .value_or(t.key_person ? "重点人员" : "自定义");
  if (auto c = http::optional_field<std::string>(body, "color")) {
    if (*c != "green" && *c != "yellow" && *c != "red") {
      throw_bad_input("invalid_color", "颜色须为 green、yellow、red 或 null",
                      "color must be green, yellow, red or null", "color");
    }
    t.color = people::parse_color(*c);
  }
  return t;
}

http::Response add_tag(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::system_config);
  const people::NewTag n = parse_new_tag(req.json());
  analytics::ReportService& reports = reports_of(ctx);
  if (!reports.field_name_free(n.name)) {
    throw_conflict("duplicate_tag", "名称已是数据字典中的字段名或同义词：" + n.name,
                   "the name is already a field name or synonym of the dictionary: " + n.name);
  }
  people::Tag t = ctx.db.transact([&](store::Tx& tx) {
    people::Tag added = people::add_tag(tx, n);
    auth::audit::append(tx, user.username, "tag.create", "tag:" + added.code,
                        tag_json(added).dump(), ctx.now());
    return added;
  });
  // After the commit: the catalogue (tag bits, colour rules) and the dictionary (forms) take it.
  people::load_catalogue(ctx.db);
  reports.sync_tag_fields();
  return http::Response::json(201, tag_json(t));
}

}  // namespace

std::vector<http::Route> tag_routes(const std::shared_ptr<Context>& ctx) {
  ensure_reports(ctx);
  return {
      {.method = http::Method::get,
       .path = "/api/v1/tags",
       .summary = "The tag catalogue: shipped tags and the county's own, in index order",
       .tags = {"people"},
       .handler = bind_handler(ctx, list_tags)},
      {.method = http::Method::post,
       .path = "/api/v1/tags",
       .summary = "Add a county's own tag (a key-person category with its colour rule); "
                  "at most 64 tags in all",
       .tags = {"people"},
       .handler = bind_handler(ctx, add_tag),
       .request_schema = {{"type", "object"},
                          {"required", {"code", "name"}},
                          {"properties",
                           {{"code", {{"type", "string"}}},
                            {"name", {{"type", "string"}}},
                            {"category", {{"type", "string"}}},
                            {"key_person", {{"type", "boolean"}}},
                            {"color", {{"type", "string"}, {"nullable", true}}},
                            {"sensitive", {{"type", "boolean"}}}}}},
       .success_status = 201},
  };
}

}  // namespace wangge::api
