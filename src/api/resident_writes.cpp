// POST /api/v1/residents and PATCH /api/v1/residents/{id}: every field goes through
// people::encode_resident, the one validation the importer uses too.
#include <algorithm>

#include "api/context.h"
#include "api/resident_query.h"
#include "core/error.h"
#include "http/json_input.h"
#include "people/service.h"

namespace wangge::api {
namespace {

using nlohmann::json;

Sex parse_sex(const std::string& s) {
  if (s == "male" || s == "男") return Sex::male;
  if (s == "female" || s == "女") return Sex::female;
  throw_bad_input("invalid_sex", "性别须为 男 或 女", "sex must be male or female", "sex");
}

View view_of(const Context& ctx, const auth::User& user) {
  return {local_date(ctx.now()), ctx.allows(user, auth::perm::resident_reveal)};
}

// Tags the caller may not see may not be set by them either.
void check_tags_visible(const std::vector<std::string>& tags, const View& view) {
  if (view.show_sensitive) return;
  for (const auto& t : tags) {
    const people::Tag* tag = people::find_tag(t);
    if (tag && tag->sensitive) {
      throw Error(ErrorKind::forbidden, "forbidden", "无权设置敏感标签：" + t,
                  "not allowed to set a sensitive tag: " + t, "tags");
    }
  }
}

// The household's org code when it exists within scope.
bool household_in_scope(store::Tx& tx, const auth::Scope& scope, const std::string& no) {
  auto row = tx.query_one(
      "SELECT o.code FROM households h JOIN orgs o ON o.id = h.org_id WHERE h.household_no = ?",
      {no});
  return row && auth::in_scope(scope, row->text(0));
}

http::Response create(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::resident_write);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body, {"household_no", "name", "id_number", "sex", "birth_date",
                                     "phone", "relation", "status", "tags", "color"});
  people::NewResident r;
  r.household_no = http::required_field<std::string>(body, "household_no");
  r.name = http::required_field<std::string>(body, "name");
  r.id_number = http::required_field<std::string>(body, "id_number");
  if (auto s = http::optional_field<std::string>(body, "sex")) r.sex = parse_sex(*s);
  if (auto b = http::optional_field<std::string>(body, "birth_date")) {
    r.birth = parse_date(*b, "birth_date");
  }
  r.phone = http::optional_field<std::string>(body, "phone").value_or("");
  if (auto v = http::optional_field<std::string>(body, "relation")) {
    r.relation = people::parse_relation(*v, "relation");
  }
  if (auto v = http::optional_field<std::string>(body, "status")) {
    r.status = people::parse_status(*v, "status");
  }
  r.tags = http::optional_field<std::vector<std::string>>(body, "tags")
               .value_or(std::vector<std::string>{});
  if (auto c = http::optional_field<std::string>(body, "color")) {
    r.color = people::parse_color(*c, "color");
  }
  View view = view_of(ctx, user);
  check_tags_visible(r.tags, view);
  auto tx = ctx.db.begin(store::TxMode::write);
  if (!household_in_scope(*tx, user.scope(), r.household_no)) {
    // The same answer as for a household that does not exist: numbers cannot be probed.
    throw_bad_input("unknown_household", "户编号不存在：" + r.household_no,
                    "no such household: " + r.household_no, "household_no");
  }
  int64_t id = people::create_resident(*tx, ctx.vault, r, {.by = user.username});
  json out = *resident_detail(*tx, user.scope(), id, view);
  tx->commit();
  ctx.committed("resident", id);
  return http::Response::json(201, out);
}

// The resident as a NewResident (identity and phone decrypted), for re-validation.
people::NewResident current(store::Tx& tx, const Vault& vault, int64_t id) {
  auto row = tx.query_one(
      "SELECT r.name, r.id_enc, r.phone_enc, r.relation, r.status, h.household_no "
      "FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id = ?",
      {id});
  if (!row) throw_not_found("居民不存在", "no such resident");
  people::NewResident r;
  r.name = row->text(0);
  r.id_number = vault.decrypt(row->blob(1));
  if (!row->is_null(2)) r.phone = vault.decrypt(row->blob(2));
  r.relation = people::parse_relation(row->text(3));
  r.status = people::parse_status(row->text(4));
  r.household_no = row->text(5);
  r.tags = people::tags_of(tx, id);
  return r;
}

http::Response patch(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::resident_write);
  int64_t id = req.param_int("id", 1);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body,
                              {"name", "phone", "relation", "status", "tags", "color", "reason"});
  if (body.empty()) {
    throw_bad_input("empty_patch", "没有要修改的字段", "nothing to change");
  }
  auto color = http::optional_field<std::string>(body, "color");
  auto reason = http::optional_field<std::string>(body, "reason");
  if (reason && !color) {
    throw_bad_input("unexpected_reason", "原因只随颜色调整填写",
                    "reason goes with a colour change only", "reason");
  }
  View view = view_of(ctx, user);
  auto tx = ctx.db.begin(store::TxMode::write);
  if (!resident_org(*tx, user.scope(), id)) {
    throw_not_found("居民不存在：" + std::to_string(id), "no such resident: " + std::to_string(id));
  }
  people::NewResident r = current(*tx, ctx.vault, id);
  if (auto v = http::optional_field<std::string>(body, "name")) r.name = *v;
  if (auto v = http::optional_field<std::string>(body, "phone")) r.phone = *v;
  if (auto v = http::optional_field<std::string>(body, "relation")) {
    r.relation = people::parse_relation(*v, "relation");
  }
  if (auto v = http::optional_field<std::string>(body, "status")) {
    r.status = people::parse_status(*v, "status");
  }
  auto tags = http::optional_field<std::vector<std::string>>(body, "tags");
  if (tags) {
    check_tags_visible(*tags, view);
    std::vector<std::string> kept;  // sensitive tags the caller cannot see stay as they are
    if (!view.show_sensitive) {
      std::copy_if(r.tags.begin(), r.tags.end(), std::back_inserter(kept), [](const auto& t) {
        const people::Tag* tag = people::find_tag(t);
        return tag && tag->sensitive;
      });
    }
    r.tags = *tags;
    r.tags.insert(r.tags.end(), kept.begin(), kept.end());
  }
  people::ResidentRow row = people::encode_resident(ctx.vault, r);
  tx->exec(
      "UPDATE residents SET name = ?, name_pinyin = ?, name_initials = ?, phone_enc = ?, "
      "phone_mask = ?, relation = ?, status = ?, updated_at = ? WHERE id = ?",
      {row.name, row.name_pinyin, row.name_initials, row.phone_enc, row.phone_mask, row.relation,
       row.status, to_unix_ms(ctx.now()), id});
  if (tags) people::set_tags(*tx, id, row.tags);
  if (color) {
    people::change_color(*tx, people::Subject::resident, id, people::parse_color(*color, "color"),
                         reason.value_or(""), user.username);
  }
  json out = *resident_detail(*tx, user.scope(), id, view);
  tx->commit();
  ctx.committed("resident", id);
  return http::Response::json(200, out);
}

}  // namespace

std::vector<http::Route> resident_write_routes(const std::shared_ptr<Context>& ctx) {
  auto bind = [&ctx](ApiHandler fn) { return bind_handler(ctx, fn); };
  json string = {{"type", "string"}};
  json tags = {{"type", "array"}, {"items", string}};
  json props;
  for (const char* f : {"household_no", "name", "id_number", "sex", "birth_date", "phone",
                        "relation", "status", "color"}) {
    props[f] = string;
  }
  props["tags"] = tags;
  json patch_props = {{"name", string}, {"phone", string}, {"relation", string}, {"status", string},
                      {"tags", tags},   {"color", string}, {"reason", string}};
  return {
      {.method = http::Method::post,
       .path = "/api/v1/residents",
       .summary = "Register a resident in a household within scope",
       .tags = {"people"},
       .handler = bind(create),
       .request_schema = {{"type", "object"},
                          {"required", {"household_no", "name", "id_number"}},
                          {"properties", props}},
       .success_status = 201},
      {.method = http::Method::patch,
       .path = "/api/v1/residents/{id}",
       .summary = "Change a resident; a colour change needs a reason and is kept in history",
       .tags = {"people"},
       .handler = bind(patch),
       .path_params = {{.name = "id", .type = http::ParamType::integer, .required = true}},
       .request_schema = {{"type", "object"}, {"properties", patch_props}}},
  };
}

}  // namespace wangge::api
