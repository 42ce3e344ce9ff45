#include "http/router.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "http/json_input.h"

namespace wangge::http {
namespace {

// "/a/b" → {"a","b"}; "/" → {""}; "/a/" → {"a",""}. REQUIRES: path starts with '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  for (;;) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool valid_param_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

[[noreturn]] void bad_pattern(const Route& r, std::string_view why) {
  throw std::invalid_argument(fmt::format("route {} {}: {}", method_name(r.method), r.path, why));
}

}  // namespace

void Router::add(Route route) {
  if (route.path.empty() || route.path.front() != '/') bad_pattern(route, "must start with '/'");
  if (!route.handler) bad_pattern(route, "has no handler");
  if (route.method == Method::other) bad_pattern(route, "has no standard method");
  std::vector<Segment> segments;
  for (std::string_view s : split_path(route.path)) {
    bool open = s.find('{') != std::string_view::npos,
         close = s.find('}') != std::string_view::npos;
    if (!open && !close) {
      segments.push_back({std::string(s), false});
      continue;
    }
    if (s.size() < 3 || s.front() != '{' || s.back() != '}' ||
        !valid_param_name(s.substr(1, s.size() - 2))) {
      bad_pattern(route, "a {param} must fill its whole segment and be a plain name");
    }
    std::string name(s.substr(1, s.size() - 2));
    for (const auto& seg : segments) {
      if (seg.is_param && seg.text == name) bad_pattern(route, "repeats {" + name + "}");
    }
    segments.push_back({std::move(name), true});
  }
  for (const auto& p : route.path_params) {
    bool found = std::any_of(segments.begin(), segments.end(),
                             [&](const Segment& s) { return s.is_param && s.text == p.name; });
    if (!found) bad_pattern(route, "declares path parameter '" + p.name + "' it does not have");
  }
  for (const auto* params : {&route.query, &route.path_params}) {
    for (const auto& p : *params) {
      if (p.pattern.empty() || param_patterns_.count(p.pattern)) continue;
      try {
        param_patterns_.emplace(p.pattern, std::regex(p.pattern, std::regex::ECMAScript));
      } catch (const std::regex_error&) {
        bad_pattern(route, "parameter '" + p.name + "' has a malformed pattern");
      }
    }
  }
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method != route.method || patterns_[i].size() != segments.size()) continue;
    bool same = std::equal(segments.begin(), segments.end(), patterns_[i].begin(),
                           [](const Segment& a, const Segment& b) {
                             return a.is_param == b.is_param && (a.is_param || a.text == b.text);
                           });
    if (same) bad_pattern(route, "is already registered");
  }
  routes_.push_back(std::move(route));
  patterns_.push_back(std::move(segments));
}

bool Router::matches_pattern(const Param& p, std::string_view value) const {
  if (p.pattern.empty()) return true;
  // std::regex recurses per character: patterned values are short codes, so a long one is
  // refused before it can exhaust the stack.
  if (value.size() > 256) return false;
  auto it = param_patterns_.find(p.pattern);
  return it != param_patterns_.end() && std::regex_match(value.begin(), value.end(), it->second);
}

void Router::add_all(std::vector<Route> routes) {
  for (auto& r : routes) add(std::move(r));
}

Match Router::match(Method method, std::string_view path) const {
  Match out;
  if (path.empty() || path.front() != '/') return out;
  std::vector<std::string_view> parts = split_path(path);
  // Specificity: per segment '1' (literal) or '0' (param); the greatest string wins, so a
  // literal beats a parameter at the first place where two patterns differ.
  std::string best_score;
  size_t best = routes_.size(), best_get = routes_.size();
  std::string best_get_score;
  std::vector<Method> allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& pattern = patterns_[i];
    if (pattern.size() != parts.size()) continue;
    std::string score;
    bool ok = true;
    for (size_t k = 0; k < parts.size() && ok; ++k) {
      if (pattern[k].is_param) {
        ok = !parts[k].empty();
        score += '0';
      } else {
        ok = pattern[k].text == parts[k];
        score += '1';
      }
    }
    if (!ok) continue;
    Method m = routes_[i].method;
    if (std::find(allowed.begin(), allowed.end(), m) == allowed.end()) allowed.push_back(m);
    if (m == method && (best == routes_.size() || score > best_score)) {
      best = i;
      best_score = score;
    }
    if (m == Method::get && (best_get == routes_.size() || score > best_get_score)) {
      best_get = i;
      best_get_score = score;
    }
  }
  if (best == routes_.size() && method == Method::head) best = best_get;
  if (best == routes_.size()) {
    if (allowed.empty()) return out;
    if (std::find(allowed.begin(), allowed.end(), Method::get) != allowed.end() &&
        std::find(allowed.begin(), allowed.end(), Method::head) == allowed.end()) {
      allowed.push_back(Method::head);
    }
    out.kind = Match::Kind::method_not_allowed;
    out.allowed = std::move(allowed);
    return out;
  }
  out.kind = Match::Kind::found;
  out.route = &routes_[best];
  const auto& pattern = patterns_[best];
  for (size_t k = 0; k < parts.size(); ++k) {
    if (!pattern[k].is_param) continue;
    auto value = percent_decode(parts[k], false);
    if (!value || !valid_utf8(*value)) {
      throw_bad_input("invalid_path", fmt::format("路径参数 {} 的编码不正确", pattern[k].text),
                      fmt::format("Path parameter {} is not correctly encoded", pattern[k].text),
                      pattern[k].text);
    }
    out.params.emplace_back(pattern[k].text, std::move(*value));
  }
  return out;
}

}  // namespace wangge::http
