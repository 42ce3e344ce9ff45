// Reading JSON request bodies: UTF-8 validation, parsing without exceptions, and typed field
// accessors that turn a wrong or missing field into a bad_input Error (400) naming the field,
// so nlohmann's type errors never surface as a 500.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace wangge::http {

// True when s is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool valid_utf8(std::string_view s);

// How deeply arrays and objects of a request body may nest; no form or record needs more.
inline constexpr size_t kMaxJsonDepth = 32;

// The deepest nesting of arrays and objects in text ("[[1]]" → 2), ignoring brackets inside
// strings; for text that is not JSON, a bound of what a parser would nest.
size_t json_depth(std::string_view text);

// Parses a request body. Throws bad_input "empty_body", "invalid_utf8", "json_too_deep" (nested
// deeper than kMaxJsonDepth) or "invalid_json".
nlohmann::json parse_json_body(std::string_view body);

// value itself when it is an object; bad_input "expected_object" (naming field) otherwise.
const nlohmann::json& require_object(const nlohmann::json& value, std::string_view field = {});

// Throws bad_input "unknown_field" naming the first member of object not in known.
void reject_unknown_fields(const nlohmann::json& object,
                           std::initializer_list<std::string_view> known);

namespace detail {
[[noreturn]] void throw_missing_field(std::string_view field);
[[noreturn]] void throw_field_type(std::string_view field, std::string_view zh,
                                   std::string_view en);
[[noreturn]] void throw_field_range(std::string_view field);

template <class T>
T field_as(const nlohmann::json& v, std::string_view field) {
  if constexpr (std::is_same_v<T, nlohmann::json>) {
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) throw_field_type(field, "布尔值", "a boolean");
    return v.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (v.is_number_unsigned()) {
      auto u = v.get<uint64_t>();
      if (!std::in_range<T>(u)) throw_field_range(field);
      return static_cast<T>(u);
    }
    if (!v.is_number_integer()) throw_field_type(field, "整数", "an integer");
    auto i = v.get<int64_t>();
    if (!std::in_range<T>(i)) throw_field_range(field);
    return static_cast<T>(i);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) throw_field_type(field, "数字", "a number");
    return v.get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) throw_field_type(field, "字符串", "a string");
    return v.get<std::string>();
  } else {
    // Containers and types with a from_json: nlohmann decides, its errors become 400.
    try {
      return v.get<T>();
    } catch (const nlohmann::json::exception&) {
      throw_field_type(field, "正确的类型", "of the expected type");
    }
  }
}
}  // namespace detail

// object[field] as a T. Missing or null → bad_input "missing_field"; wrong JSON type →
// "invalid_field_type"; an integer that does not fit T → "field_out_of_range".
// REQUIRES: object is an object (see require_object).
template <class T>
T required_field(const nlohmann::json& object, std::string_view field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) detail::throw_missing_field(field);
  return detail::field_as<T>(*it, field);
}

// As required_field, but missing or null → nullopt.
template <class T>
std::optional<T> optional_field(const nlohmann::json& object, std::string_view field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return detail::field_as<T>(*it, field);
}

}  // namespace wangge::http
