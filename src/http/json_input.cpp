#include "http/json_input.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"

namespace wangge::http {

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;  // a continuation byte first, C0/C1 (overlong) or F5..FF
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) return false;  // overlong
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    p += extra + 1;
  }
  return true;
}

size_t json_depth(std::string_view text) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

nlohmann::json parse_json_body(std::string_view body) {
  if (body.empty()) {
    throw_bad_input("empty_body", "请求体为空，应为 JSON",
                    "The request body is empty; JSON expected");
  }
  if (!valid_utf8(body)) {
    throw_bad_input("invalid_utf8", "请求体不是有效的 UTF-8 文本",
                    "The request body is not valid UTF-8");
  }
  // nlohmann recurses and allocates per level: 8 MB of '[' would cost hundreds of MB before
  // any handler could refuse it. One pass over the bytes first is cheap.
  if (json_depth(body) > kMaxJsonDepth) {
    throw_bad_input(
        "json_too_deep", fmt::format("请求体 JSON 嵌套过深（最多 {} 层）", kMaxJsonDepth),
        fmt::format("The request body nests JSON too deeply (at most {} levels)", kMaxJsonDepth));
  }
  auto value = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    throw_bad_input("invalid_json", "请求体不是有效的 JSON", "The request body is not valid JSON");
  }
  return value;
}

const nlohmann::json& require_object(const nlohmann::json& value, std::string_view field) {
  if (value.is_object()) return value;
  if (field.empty()) {
    throw_bad_input("expected_object", "请求体应为 JSON 对象",
                    "The request body must be a JSON object");
  }
  throw_bad_input("expected_object", fmt::format("字段 {} 应为 JSON 对象", field),
                  fmt::format("Field {} must be a JSON object", field), std::string(field));
}

void reject_unknown_fields(const nlohmann::json& object,
                           std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    bool ok = false;
    for (auto k : known) ok = ok || k == key;
    if (!ok) {
      throw_bad_input("unknown_field", fmt::format("未知字段：{}", key),
                      fmt::format("Unknown field: {}", key), key);
    }
  }
}

namespace detail {

void throw_missing_field(std::string_view field) {
  throw_bad_input("missing_field", fmt::format("缺少必填字段：{}", field),
                  fmt::format("Missing required field: {}", field), std::string(field));
}

void throw_field_type(std::string_view field, std::string_view zh, std::string_view en) {
  throw_bad_input("invalid_field_type", fmt::format("字段 {} 应为{}", field, zh),
                  fmt::format("Field {} must be {}", field, en), std::string(field));
}

void throw_field_range(std::string_view field) {
  throw_bad_input("field_out_of_range", fmt::format("字段 {} 的数值超出范围", field),
                  fmt::format("Field {} is out of range", field), std::string(field));
}

}  // namespace detail
}  // namespace wangge::http
