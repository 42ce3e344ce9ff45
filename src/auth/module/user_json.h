// The JSON shapes of user accounts in API responses: the account's own view (login, me) and
// the security administrator's view, which adds the lock state (users routes). No password
// hash, no session ever appears in either.
#pragma once

#include <nlohmann/json.hpp>

#include "auth/accounts.h"

namespace wangge::api {

// id, username, display_name, role, role_label, org_code, household_id, must_change_password.
nlohmann::json user_json(const auth::User& u);
// user_json() and failed_logins, locked_until, disabled, created_at (安全管理员).
nlohmann::json user_admin_json(const auth::User& u);

// The OpenAPI schemas of the two.
nlohmann::json user_schema();
nlohmann::json user_admin_schema();

}  // namespace wangge::api
