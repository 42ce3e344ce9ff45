// Open311 GeoReport v2 over the closed loop, so existing 311 clients work unchanged:
// services are the reportable event categories, service requests are events (source
// resident), status open|closed follows the event's state. The documents are built here as
// ordered JSON in the spec's field order; the routes render them as JSON or XML.
//
// Table open311_requests: id, token (unique, the one a client can poll), event_id, api_key_id,
// service_code, media_url, contact_enc (the requester's email, name, phone, device and
// account ids as JSON, encrypted with the data key), created_at (unix ms).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"
#include "core/vault.h"
#include "intake/apikeys.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::intake::open311 {

using OJson = nlohmann::ordered_json;

// [{service_code, service_name, description, metadata, type, keywords, group}], one per
// reportable category; every service has metadata (the attributes below).
OJson services();
// {service_code, attributes: [{variable, code, datatype, required, datatype_description,
// order, description, values: [{key, name}]}]}: people_affected (number) and damage
// (singlevaluelist). Error(not_found) for an unknown or non-reportable code.
OJson service_definition(std::string_view code);

// POST requests: the form's fields.
struct NewRequest {
  std::string service_code;
  std::optional<double> lat, lng;
  std::string address_string, address_id;
  std::string description, media_url;
  std::string email, device_id, account_id, first_name, last_name, phone;
  std::map<std::string, std::string> attributes;  // attribute[code]=value
};
// From the decoded name=value pairs of an application/x-www-form-urlencoded body (api_key is
// not read here). Error(bad_input) naming the field: service_code missing; no location
// (lat/long, address_string or address_id); lat without long; a number that does not parse;
// an attribute that is unknown or out of range; media_url not http(s); email malformed.
NewRequest parse_request_form(const std::vector<std::pair<std::string, std::string>>& items);

struct Created {
  int64_t event_id = 0;
  std::string token;
};
// Reports the event for the client holding key: its grid is the nearest to lat/long, else the
// one named by the address (the deepest county, township or village whose name it contains,
// and that org's first grid); title from the service and the description. Error(bad_input)
// when no grid can be found or the service rejects the input.
Created create_request(store::Tx& tx, const Vault& vault, const ApiKey& key, const NewRequest& r,
                       Instant now);

// GET requests filters. When ids are given the others are ignored (as the spec says).
struct RequestFilter {
  std::vector<int64_t> ids;
  std::vector<std::string> service_codes;
  std::optional<Instant> start, end;  // default: the 90 days before end; end default: now
  std::optional<bool> open;           // open | closed; none: both
};
inline constexpr int kMaxRequests = 200;
// Open311 shows coordinates rounded to this many degrees (0.01°: about 1.1 km north–south and
// 1.0 km east–west at 昭通's latitude), never the reported point.
inline constexpr double kCoordinateStep = 0.01;
// The service requests that match, newest first (at most kMaxRequests). What is published:
//   * only categories marked public in categories.toml (Category::is_public);
//   * of those, only requests made through Open311 (open311_requests) and events an owner
//     published (the "publish" action, Event::published_at), whatever their source;
//   * status, category, agency, times and coordinates rounded to kCoordinateStep; the
//     description, address and media_url only once the event is published.
// Error(bad_input) when start > end.
OJson find_requests(store::Tx& tx, const RequestFilter& f, Instant now);
// One request as a one-element array; Error(not_found) unless find_requests would show it.
OJson request_by_id(store::Tx& tx, int64_t id);
// [{service_request_id, token}]; Error(not_found) for an unknown token.
OJson token_status(store::Tx& tx, std::string_view token);

const std::vector<store::Migration>& open311_migrations();

}  // namespace wangge::intake::open311
