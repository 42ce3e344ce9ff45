#include "http/request.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "http/json_input.h"
#include "http/router.h"

namespace wangge::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[noreturn]] void throw_bad_query(std::string_view key) {
  throw_bad_input("invalid_query", fmt::format("查询参数 {} 的编码不正确", key),
                  fmt::format("Query parameter {} is not correctly encoded", key),
                  std::string(key));
}

// Parses a whole decimal integer; nullopt for anything else ("abc", "1.5", "", "12x").
std::optional<int64_t> to_int(std::string_view s) {
  int64_t v = 0;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// what_zh / what_en: "查询参数" / "Query parameter" or "路径参数" / "Path parameter".
[[noreturn]] void throw_not_integer(std::string_view what_zh, std::string_view what_en,
                                    std::string_view key, int64_t min, int64_t max) {
  if (min == std::numeric_limits<int64_t>::min() && max == std::numeric_limits<int64_t>::max()) {
    throw_bad_input("invalid_number", fmt::format("{} {} 应为整数", what_zh, key),
                    fmt::format("{} {} must be an integer", what_en, key), std::string(key));
  }
  throw_bad_input("invalid_number",
                  fmt::format("{} {} 应为 {} 到 {} 之间的整数", what_zh, key, min, max),
                  fmt::format("{} {} must be an integer from {} to {}", what_en, key, min, max),
                  std::string(key));
}

}  // namespace

std::string_view method_name(Method m) {
  switch (m) {
    case Method::get:
      return "GET";
    case Method::head:
      return "HEAD";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::patch:
      return "PATCH";
    case Method::delete_:
      return "DELETE";
    case Method::options:
      return "OPTIONS";
    case Method::other:
      break;
  }
  return "OTHER";
}

Method parse_method(std::string_view token) {
  for (Method m : {Method::get, Method::head, Method::post, Method::put, Method::patch,
                   Method::delete_, Method::options}) {
    if (method_name(m) == token) return m;
  }
  return Method::other;
}

// --- Headers ---

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

void Headers::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

// --- Query ---

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) return std::nullopt;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Query Query::parse(std::string_view raw) {
  Query q;
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    auto key = percent_decode(raw_key, true);
    if (!key || !valid_utf8(*key)) throw_bad_query("");
    auto value = percent_decode(raw_value, true);
    if (!value || !valid_utf8(*value)) throw_bad_query(*key);
    q.items_.emplace_back(std::move(*key), std::move(*value));
  }
  return q;
}

std::optional<std::string> Query::get(std::string_view key) const {
  for (const auto& [k, v] : items_) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::string Query::get_or(std::string_view key, std::string fallback) const {
  auto v = get(key);
  return v ? *v : std::move(fallback);
}

std::vector<std::string> Query::all(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : items_) {
    if (k == key) out.push_back(v);
  }
  return out;
}

std::optional<int64_t> Query::get_int(std::string_view key, int64_t min, int64_t max) const {
  auto text = get(key);
  if (!text || text->empty()) return std::nullopt;
  auto v = to_int(*text);
  if (!v || *v < min || *v > max) throw_not_integer("查询参数", "Query parameter", key, min, max);
  return v;
}

int64_t Query::get_int_or(std::string_view key, int64_t fallback, int64_t min, int64_t max) const {
  return get_int(key, min, max).value_or(fallback);
}

std::optional<double> Query::get_double(std::string_view key) const {
  auto text = get(key);
  if (!text || text->empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] =
      std::from_chars(text->data(), text->data() + text->size(), v, std::chars_format::fixed);
  if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(v)) {
    throw_bad_input("invalid_number", fmt::format("查询参数 {} 应为数字", key),
                    fmt::format("Query parameter {} must be a number", key), std::string(key));
  }
  return v;
}

std::optional<bool> Query::get_bool(std::string_view key) const {
  auto text = get(key);
  if (!text || text->empty()) return std::nullopt;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  throw_bad_input("invalid_boolean", fmt::format("查询参数 {} 应为 true 或 false", key),
                  fmt::format("Query parameter {} must be true or false", key), std::string(key));
}

// --- Cookies and languages ---

std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view part = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view name = trim(part.substr(0, eq));
    std::string_view value = trim(part.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace_back(std::string(name), std::string(value));
  }
  return out;
}

Lang preferred_language(std::string_view header) {
  Lang best = Lang::zh;
  double best_q = 0;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    std::string_view tag = trim(item.substr(0, item.find(';')));
    double q = 1;
    for (size_t semi = item.find(';'); semi != std::string_view::npos;) {
      size_t next = item.find(';', semi + 1);
      std::string_view p = trim(item.substr(semi + 1, next - semi - 1));
      if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
        std::string s(p.substr(2));
        char* end = nullptr;
        double v = std::strtod(s.c_str(), &end);
        q = (end == s.c_str() + s.size() && v >= 0 && v <= 1) ? v : 0;
      }
      semi = next;
    }
    std::string_view primary = tag.substr(0, tag.find('-'));
    std::optional<Lang> lang;
    if (iequals(primary, "zh")) lang = Lang::zh;
    if (iequals(primary, "en")) lang = Lang::en;
    // Strictly greater: on a tie the earlier tag wins.
    if (lang && q > best_q) {
      best = *lang;
      best_q = q;
    }
  }
  return best;
}

// --- Request ---

const std::string& Request::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  throw Error(ErrorKind::internal, "missing_path_param", "服务器内部错误", "Internal server error");
}

int64_t Request::param_int(std::string_view name, int64_t min, int64_t max) const {
  auto v = to_int(param(name));
  if (!v || *v < min || *v > max) throw_not_integer("路径参数", "Path parameter", name, min, max);
  return *v;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [n, v] : headers.fields()) {
    if (!iequals(n, "Cookie")) continue;
    for (auto& [k, val] : parse_cookies(v)) {
      if (k == name) return val;
    }
  }
  return std::nullopt;
}

const nlohmann::json& Request::json() const {
  if (!json_) json_ = parse_json_body(body);
  return *json_;
}

// --- Response ---

Response Response::json(int status, const nlohmann::json& value) {
  return bytes(status, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
               "application/json; charset=utf-8");
}

Response Response::text(int status, std::string body, std::string content_type) {
  return bytes(status, std::move(body), std::move(content_type));
}

Response Response::bytes(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.set("Content-Type", std::move(content_type));
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

void Response::set_cookie(std::string_view name, std::string_view value, const CookieOptions& o) {
  std::string c = fmt::format("{}={}; Path={}", name, value, o.path);
  if (o.max_age_seconds) c += fmt::format("; Max-Age={}", *o.max_age_seconds);
  if (o.http_only) c += "; HttpOnly";
  if (o.secure) c += "; Secure";
  if (!o.same_site.empty()) c += "; SameSite=" + o.same_site;
  headers.add("Set-Cookie", std::move(c));
}

}  // namespace wangge::http
