// The auth room's registration: accounts, sessions, the audit log, the core permissions and their
// grants.
#pragma once

#include <memory>
#include <vector>

#include "app/module.h"
#include "http/router.h"

namespace wangge::api {

struct Context;

// The route tables of this room of the API (built around the shared context).
std::vector<http::Route> auth_routes(const std::shared_ptr<Context>& ctx);
std::vector<http::Route> user_routes(const std::shared_ptr<Context>& ctx);
std::vector<http::Route> audit_routes(const std::shared_ptr<Context>& ctx);

}  // namespace wangge::api

namespace wangge::auth {

// Everything this room brings to wangge (app/module.h).
app::Module module();

}  // namespace wangge::auth
