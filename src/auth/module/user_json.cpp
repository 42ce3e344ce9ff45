#include "auth/module/user_json.h"

#include "core/time.h"

namespace wangge::api {

using nlohmann::json;

json user_json(const auth::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", auth::to_string(u.role)},
          {"role_label", auth::label(u.role)},
          {"org_code", u.org_code},
          {"household_id", u.household_id ? json(*u.household_id) : json()},
          {"must_change_password", u.must_change_password}};
}

json user_admin_json(const auth::User& u) {
  json out = user_json(u);
  out["failed_logins"] = u.failed_logins;
  out["locked_until"] = u.locked_until ? json(format_instant(*u.locked_until)) : json();
  out["disabled"] = u.disabled;
  out["created_at"] = format_instant(u.created_at);
  return out;
}

json user_schema() {
  json props;
  for (const char* s : {"username", "display_name", "role", "role_label", "org_code"}) {
    props[s] = {{"type", "string"}};
  }
  props["id"] = {{"type", "integer"}};
  props["household_id"] = {{"type", "integer"}, {"nullable", true}};
  props["must_change_password"] = {{"type", "boolean"}};
  return {{"type", "object"}, {"properties", props}};
}

json user_admin_schema() {
  json schema = user_schema();
  json& props = schema["properties"];
  props["locked_until"] = {{"type", "string"}, {"nullable", true}};
  props["created_at"] = {{"type", "string"}};
  props["failed_logins"] = {{"type", "integer"}};
  props["disabled"] = {{"type", "boolean"}};
  return schema;
}

}  // namespace wangge::api
