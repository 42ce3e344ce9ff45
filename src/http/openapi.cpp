// Router::openapi(): the OpenAPI 3.0 document generated from the route table.
#include <cctype>

#include "http/router.h"

namespace wangge::http {
namespace {

using nlohmann::json;

std::string_view type_name(ParamType t) {
  switch (t) {
    case ParamType::string:
      return "string";
    case ParamType::integer:
      return "integer";
    case ParamType::number:
      return "number";
    case ParamType::boolean:
      return "boolean";
  }
  return "string";
}

json parameter(const Param& p, std::string_view in, bool required) {
  json schema = {{"type", type_name(p.type)}};
  if (p.type == ParamType::integer) schema["format"] = "int64";
  if (!p.allowed.empty()) schema["enum"] = p.allowed;
  if (!p.pattern.empty()) schema["pattern"] = "^(?:" + p.pattern + ")$";
  json out = {{"name", p.name}, {"in", in}, {"required", required}, {"schema", schema}};
  if (!p.description.empty()) out["description"] = p.description;
  return out;
}

// "get", "/api/v1/orgs/{code}/children" → "get_api_v1_orgs_code_children".
std::string operation_id(const Route& r) {
  std::string id(method_name(r.method));
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char c : r.path) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id += c;
    } else if (c == '/' || c == '.' || c == '-') {
      if (id.back() != '_') id += '_';
    }
  }
  while (id.back() == '_') id.pop_back();
  return id;
}

json path_parameters(const Route& r) {
  json out = json::array();
  std::string_view path = r.path;
  for (size_t open = path.find('{'); open != std::string_view::npos;
       open = path.find('{', open + 1)) {
    std::string name(path.substr(open + 1, path.find('}', open) - open - 1));
    Param p{.name = name};
    for (const auto& declared : r.path_params) {
      if (declared.name == name) p = declared;
    }
    out.push_back(parameter(p, "path", true));
  }
  return out;
}

json operation(const Route& r) {
  json op = {{"operationId", operation_id(r)}, {"summary", r.summary}};
  if (!r.tags.empty()) op["tags"] = r.tags;
  json params = path_parameters(r);
  for (const auto& q : r.query) params.push_back(parameter(q, "query", q.required));
  if (!params.empty()) op["parameters"] = std::move(params);
  if (!r.request_schema.is_null()) {
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", r.request_schema}}}}}};
  }
  json ok = {{"description", "OK"}};
  if (!r.response_schema.is_null()) {
    ok["content"] = {{"application/json", {{"schema", r.response_schema}}}};
  }
  op["responses"] = {
      {std::to_string(r.success_status), ok},
      {"default",
       {{"description", "Error"},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}};
  // Open routes say so explicitly; the others inherit the document's global security, which
  // authentication adds (see Dispatcher::customize_openapi).
  if (!r.authenticated) op["security"] = json::array();
  return op;
}

json error_schema() {
  json nullable_string = {{"type", "string"}, {"nullable", true}};
  return {{"type", "object"},
          {"required", {"error"}},
          {"properties",
           {{"error",
             {{"type", "object"},
              {"required", {"code", "message", "field"}},
              {"properties",
               {{"code", {{"type", "string"}}},
                {"message", {{"type", "string"}}},
                {"field", nullable_string}}}}}}}};
}

}  // namespace

nlohmann::json Router::openapi(std::string_view title, std::string_view version) const {
  json paths = json::object();
  for (const auto& r : routes_) {
    std::string method(method_name(r.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[r.path][method] = operation(r);
  }
  return {{"openapi", "3.0.3"},
          {"info", {{"title", title}, {"version", version}}},
          {"paths", std::move(paths)},
          {"components", {{"schemas", {{"Error", error_schema()}}}}}};
}

}  // namespace wangge::http
