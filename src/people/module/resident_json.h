// The JSON shapes of residents and households in API responses (masked: the views carry only
// masked identity numbers and phones, and the birth year with the age counted from it, never
// the birth date: core/codes.h says why).
#pragma once

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "people/query.h"
#include "people/service.h"
#include "store/database.h"

namespace wangge::api {

// A resident, with its age in `today`'s year (year − birth year) and the labels of its codes.
nlohmann::json resident_json(const people::ResidentView& v, Date today);
// The colour history of a household or resident, oldest first.
nlohmann::json color_history_json(store::Tx& tx, people::Subject subject, int64_t id);
// A list page: {items, total, total_exact, page, size}.
nlohmann::json page_json(const people::ResidentPage& page, const people::ResidentFilter& f,
                         Date today);
// A household with its members and colour history.
nlohmann::json household_json(store::Tx& tx, const people::HouseholdView& h, Date today);

}  // namespace wangge::api
