// Open311 GeoReport v2 at /open311/v2 (http://wiki.open311.org/GeoReport_v2): discovery,
// services, service definitions, service requests and tokens, each as .json or .xml. Errors
// use the spec's format — [{code, description}] or <errors><error>… — with its statuses (400
// a missing or bad field, 403 a bad api_key, 404 an unknown service or request). No login:
// POST needs an api_key that `wangge apikey add` issued; GET requests shows only what the city
// publishes (intake/open311.h: find_requests).
#include <pugixml.hpp>
#include <sstream>

#include "api/context.h"
#include "core/error.h"
#include "events/module/module.h"
#include "http/errors.h"
#include "intake/apikeys.h"
#include "intake/open311.h"

namespace wangge::api {
namespace {

using intake::open311::OJson;

enum class Format { json, xml };

constexpr std::string_view kBase = "/open311/v2";

// "infra.water.xml" → ("infra.water", xml); not_found for another extension.
std::pair<std::string, Format> split_format(const std::string& file) {
  for (auto [ext, f] : {std::pair{std::string_view(".json"), Format::json},
                        std::pair{std::string_view(".xml"), Format::xml}}) {
    if (file.size() > ext.size() && file.ends_with(ext)) {
      return {file.substr(0, file.size() - ext.size()), f};
    }
  }
  throw_not_found("请求的地址不存在（须以 .json 或 .xml 结尾）",
                  "No such address (it must end in .json or .xml)");
}

std::string singular(const std::string& plural) {
  if (plural == "service_requests") return "request";
  if (plural == "services" || plural == "attributes" || plural == "values" || plural == "errors" ||
      plural == "endpoints" || plural == "formats") {
    return plural.substr(0, plural.size() - 1);
  }
  return plural;
}

void append(pugi::xml_node parent, const std::string& name, const OJson& v) {
  pugi::xml_node node = parent.append_child(name.c_str());
  if (v.is_array()) {
    for (const auto& item : v) append(node, singular(name), item);
  } else if (v.is_object()) {
    for (const auto& [k, x] : v.items()) append(node, k, x);
  } else if (v.is_string()) {
    node.text().set(v.get<std::string>().c_str());
  } else if (!v.is_null()) {
    node.text().set(v.dump().c_str());
  }
}

std::string to_xml(const std::string& root, const OJson& v) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
  append(doc, root, v);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

http::Response render(Format f, int status, const std::string& xml_root, const OJson& v) {
  if (f == Format::xml) {
    return http::Response::bytes(status, to_xml(xml_root, v), "text/xml; charset=utf-8");
  }
  return http::Response::bytes(status, v.dump(), "application/json; charset=utf-8");
}

// The spec's error list for an Error, in the request's language.
http::Response error_doc(Format f, const Error& e, Lang lang) {
  int status = http::status_for(e.kind());
  std::string text = e.message(lang);
  if (!e.field().empty() && e.kind() == ErrorKind::bad_input) text += "（" + e.field() + "）";
  return render(f, status, "errors", OJson::array({{{"code", status}, {"description", text}}}));
}

using Body = OJson (*)(Context& ctx, const http::Request& req, const std::string& name,
                       std::string& xml_root);

// A route whose last segment is "<name>.<format>" (name empty for the literal routes).
http::Handler handler(const std::shared_ptr<Context>& ctx, Body body, int status = 200,
                      const std::string& literal_name = {}) {
  return [ctx, body, status, literal_name](const http::Request& req) {
    Format f = Format::json;
    try {
      std::string file = literal_name.empty() ? req.param("file") : literal_name;
      auto [name, format] = split_format(file);
      f = format;
      std::string xml_root;
      OJson doc = body(*ctx, req, name, xml_root);
      return render(f, status, xml_root, doc);
    } catch (const Error& e) {
      if (http::status_for(e.kind()) >= 500) throw;
      return error_doc(f, e, req.lang);
    }
  };
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

OJson discovery(Context&, const http::Request&, const std::string&, std::string& root) {
  root = "discovery";
  OJson formats = OJson::array({"application/json", "text/xml"});
  return {{"changeset", "2026-03-01T00:00:00+08:00"},
          {"contact", "12345 政务服务便民热线"},
          {"key_service", "使用 wangge apikey add 签发接口密钥"},
          {"endpoints", OJson::array({{{"specification", "http://wiki.open311.org/GeoReport_v2"},
                                       // Relative: the Host header is the client's to
                                       // choose, so it never makes the address.
                                       {"url", std::string(kBase)},
                                       {"changeset", "2026-03-01T00:00:00+08:00"},
                                       {"type", "production"},
                                       {"formats", formats}}})}};
}

OJson services(Context&, const http::Request&, const std::string& name, std::string& root) {
  if (name != "services") throw_not_found("请求的地址不存在", "No such address");
  root = "services";
  return intake::open311::services();
}

OJson definition(Context&, const http::Request&, const std::string& code, std::string& root) {
  root = "service_definition";
  return intake::open311::service_definition(code);
}

OJson create(Context& ctx, const http::Request& req, const std::string&, std::string& root) {
  root = "service_requests";
  // Fields may come in the query string too (some clients put api_key there).
  auto items = req.query.items();
  auto form = http::Query::parse(req.body).items();
  items.insert(items.end(), form.begin(), form.end());
  std::string api_key;
  for (const auto& [k, v] : items) {
    if (k == "api_key") api_key = v;
  }
  if (api_key.empty()) {
    throw_bad_input("missing_field", "缺少 api_key", "api_key is required", "api_key");
  }
  intake::open311::NewRequest r;
  // In db.transact(): the event the request becomes reaches the analytics index at commit.
  auto created = ctx.db.transact([&](store::Tx& tx) {
    auto key = intake::check_api_key(tx, api_key);
    if (!key) {
      throw Error(ErrorKind::forbidden, "invalid_api_key", "api_key 无效", "invalid api_key",
                  "api_key");
    }
    r = intake::open311::parse_request_form(items);
    return intake::open311::create_request(tx, ctx.vault, *key, r, ctx.now());
  });
  return OJson::array({{{"service_request_id", std::to_string(created.event_id)},
                        {"token", created.token},
                        {"service_notice", "已受理，请留意处理进度"},
                        {"account_id", r.account_id}}});
}

OJson list(Context& ctx, const http::Request& req, const std::string& name, std::string& root) {
  if (name != "requests") throw_not_found("请求的地址不存在", "No such address");
  root = "service_requests";
  intake::open311::RequestFilter f;
  for (const auto& id : split_list(req.query.get_or("service_request_id", ""))) {
    char* end = nullptr;
    long long v = std::strtoll(id.c_str(), &end, 10);
    if (*end != '\0' || v <= 0) {
      throw_bad_input("invalid_id", "service_request_id 须为正整数",
                      "service_request_id must be positive integers", "service_request_id");
    }
    f.ids.push_back(v);
  }
  f.service_codes = split_list(req.query.get_or("service_code", ""));
  if (auto s = req.query.get("start_date"); s && !s->empty()) {
    f.start = parse_instant(*s, "start_date");
  }
  if (auto s = req.query.get("end_date"); s && !s->empty()) f.end = parse_instant(*s, "end_date");
  auto statuses = split_list(req.query.get_or("status", ""));
  for (const auto& s : statuses) {
    if (s != "open" && s != "closed") {
      throw_bad_input("invalid_status", "status 须为 open 或 closed",
                      "status must be open or closed", "status");
    }
  }
  if (statuses.size() == 1) f.open = statuses[0] == "open";
  auto tx = ctx.db.begin(store::TxMode::read);
  return intake::open311::find_requests(*tx, f, ctx.now());
}

OJson one(Context& ctx, const http::Request&, const std::string& id, std::string& root) {
  root = "service_requests";
  char* end = nullptr;
  long long v = std::strtoll(id.c_str(), &end, 10);
  if (id.empty() || *end != '\0' || v <= 0) {
    throw_not_found("服务请求不存在：" + id, "no such service request: " + id);
  }
  auto tx = ctx.db.begin(store::TxMode::read);
  return intake::open311::request_by_id(*tx, v);
}

OJson token(Context& ctx, const http::Request&, const std::string& token, std::string& root) {
  root = "service_requests";
  auto tx = ctx.db.begin(store::TxMode::read);
  return intake::open311::token_status(*tx, token);
}

}  // namespace

std::vector<http::Route> open311_routes(const std::shared_ptr<Context>& ctx) {
  std::vector<http::Route> out;
  auto add = [&](http::Method m, const std::string& path, const char* summary, http::Handler h) {
    http::Route r;
    r.method = m;
    r.path = std::string(kBase) + path;
    r.summary = summary;
    r.tags = {"open311"};
    r.handler = std::move(h);
    r.authenticated = false;
    if (path.find("{file}") != std::string::npos) {
      r.path_params = {{.name = "file", .required = true, .description = "<id>.json or .xml"}};
    }
    out.push_back(std::move(r));
  };
  for (const char* ext : {"json", "xml"}) {
    const std::string e = ext;
    add(http::Method::get, "/discovery." + e, "Open311 discovery",
        handler(ctx, discovery, 200, "discovery." + e));
    add(http::Method::get, "/services." + e, "Open311 services: the event categories",
        handler(ctx, services, 200, "services." + e));
    add(http::Method::get, "/requests." + e,
        "Open311 service requests (service_request_id, service_code, start_date, end_date, "
        "status)",
        handler(ctx, list, 200, "requests." + e));
    add(http::Method::post, "/requests." + e,
        "Open311: report an event as a resident (form-urlencoded, api_key required)",
        handler(ctx, create, 200, "requests." + e));
  }
  add(http::Method::get, "/services/{file}", "Open311 service definition",
      handler(ctx, definition));
  add(http::Method::get, "/requests/{file}", "Open311 one service request", handler(ctx, one));
  add(http::Method::get, "/tokens/{file}", "Open311 token → service request id",
      handler(ctx, token));
  return out;
}

}  // namespace wangge::api
