// The org room's registration: its schema and the org tree routes.
#pragma once

#include <memory>
#include <vector>

#include "app/module.h"
#include "http/router.h"

namespace wangge::api {

struct Context;

// The route tables of this room of the API (built around the shared context).
std::vector<http::Route> org_routes(const std::shared_ptr<Context>& ctx);

}  // namespace wangge::api

namespace wangge::org {

// Everything this room brings to wangge (app/module.h).
app::Module module();

}  // namespace wangge::org
