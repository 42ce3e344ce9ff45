// The events API's JSON shapes (event_routes_json.cpp), shared by its route files.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "auth/accounts.h"
#include "events/service.h"
#include "http/router.h"

namespace wangge::api {

struct Context;

// The events actor of an authenticated user (event_routes.cpp).
events::Actor event_actor(const Context& ctx, const auth::User& u);
// 看听问记报: POST and GET /api/v1/patrols (event_routes_patrols.cpp); part of event_routes().
std::vector<http::Route> patrol_routes(const std::shared_ptr<Context>& ctx);

nlohmann::json event_json(const events::Event& e, Instant now);
nlohmann::json step_json(const events::Step& s);
nlohmann::json part_json(const events::Part& p);
// The body of POST /api/v1/events/{id}/actions; bad_input naming the field.
events::ActionInput parse_action_input(const nlohmann::json& body);
// 导出: the events as a CSV or XLSX download (format "csv" or "xlsx"), clocks as of `now`.
http::Response events_download(const std::vector<events::Event>& list, Instant now,
                               const std::string& format);
// The body of POST /api/v1/events; bad_input naming the field.
events::NewEvent parse_new_event(const nlohmann::json& body);

}  // namespace wangge::api
