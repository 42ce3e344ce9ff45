// Routes are data: method, path pattern, documentation and handler in one struct. The router
// matches requests against them and generates the OpenAPI document from the same table, so
// the published contract cannot drift from what is served.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"

namespace wangge::http {

using Handler = std::function<Response(const Request&)>;

enum class ParamType { string, integer, number, boolean };

// A documented path or query parameter. Declared parameters are checked before the handler
// runs: a required one that is missing, a number that does not parse or a string that does not
// match its pattern is a 400 naming the parameter.
struct Param {
  std::string name;
  ParamType type = ParamType::string;
  bool required = false;
  std::string description;
  std::vector<std::string> allowed;  // an enum, e.g. {"json", "csv", "xlsx"}; empty: any
  // An ECMAScript regular expression the whole decoded value must match, e.g. an org code
  // "[0-9]{12}([0-9]{3}){0,2}"; empty: any. Published as the schema's "pattern".
  std::string pattern;
};

// Request bodies a route accepts unless it says otherwise: JSON of a few fields.
inline constexpr size_t kDefaultBodyLimit = 64 * 1024;

struct Route {
  Method method = Method::get;
  // Literal segments and {name} segments: "/api/v1/orgs/{code}/children".
  std::string path;
  std::string summary;
  std::vector<std::string> tags;
  Handler handler;
  std::vector<Param> query;        // query parameters
  std::vector<Param> path_params;  // types of {name} segments; undeclared ones are strings
  nlohmann::json request_schema;   // JSON schema of the request body; null: no body
  nlohmann::json response_schema;  // JSON schema of the success body; null: unspecified
  int success_status = 200;
  // The largest request body this route reads; larger → 413 before the body is read. The
  // server's max_body_bytes caps it (uploads and imports raise it, nothing else should).
  size_t max_body_bytes = kDefaultBodyLimit;
  // Whether "before" hooks should demand a logged-in caller. The transport does not enforce
  // it; authentication reads it (login, /healthz and /metrics are open).
  bool authenticated = true;
};

// Outcome of Router::match.
struct Match {
  enum class Kind { found, not_found, method_not_allowed } kind = Kind::not_found;
  const Route* route = nullptr;                             // when found
  std::vector<std::pair<std::string, std::string>> params;  // decoded, when found
  std::vector<Method> allowed;  // when method_not_allowed (HEAD is implied by GET)
};

// Not thread-safe for writing: add every route before the server starts; matching is const.
class Router {
 public:
  // Registers a route. Throws std::invalid_argument for a malformed pattern, a declared path
  // parameter missing from it, or a method+pattern that is already registered.
  void add(Route route);
  void add_all(std::vector<Route> routes);

  // Finds the route for method and the still-encoded path. Literal segments beat {params}
  // when several patterns match; HEAD falls back to GET. Throws bad_input when a matched
  // parameter segment has a bad %-escape or is not UTF-8.
  Match match(Method method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

  // True when value matches p's pattern (always when it has none). REQUIRES: p belongs to a
  // route added to this router.
  bool matches_pattern(const Param& p, std::string_view value) const;

  // The OpenAPI 3.0 document describing every route.
  nlohmann::json openapi(std::string_view title, std::string_view version) const;

 private:
  struct Segment {
    std::string text;
    bool is_param = false;
  };
  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> patterns_;                     // parallel to routes_
  std::map<std::string, std::regex, std::less<>> param_patterns_;  // Param::pattern, compiled
};

}  // namespace wangge::http
