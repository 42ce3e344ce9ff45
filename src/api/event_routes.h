// The events API's JSON shapes (event_routes_json.cpp), shared by its route files.
#pragma once

#include <nlohmann/json.hpp>

#include "events/service.h"

namespace wangge::api {

nlohmann::json event_json(const events::Event& e, Instant now);
nlohmann::json step_json(const events::Step& s);
nlohmann::json part_json(const events::Part& p);
// The body of POST /api/v1/events/{id}/actions; bad_input naming the field.
events::ActionInput parse_action_input(const nlohmann::json& body);
// The body of POST /api/v1/events; bad_input naming the field.
events::NewEvent parse_new_event(const nlohmann::json& body);

}  // namespace wangge::api
