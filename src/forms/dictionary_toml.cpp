#include "forms/dictionary_toml.h"

#include <algorithm>

#include "core/error.h"

namespace wangge::forms::toml_in {

void fail(std::string_view code, std::string_view file, int64_t line, std::string_view key,
          std::string_view zh, std::string_view en) {
  std::string where_zh = std::string(file) + " 第" + std::to_string(line) + "行";
  std::string where_en = std::string(file) + " line " + std::to_string(line);
  if (!key.empty()) {
    where_zh += " " + std::string(key);
    where_en += " " + std::string(key);
  }
  throw_bad_input(std::string(code), where_zh + "：" + std::string(zh),
                  where_en + ": " + std::string(en),
                  std::string(file) + ":" + std::to_string(line) + ":" + std::string(key));
}

toml::table parse(std::string_view text, std::string_view file) {
  try {
    return toml::parse(text, std::string(file));
  } catch (const toml::parse_error& e) {
    fail("invalid_toml", file, static_cast<int64_t>(e.source().begin.line), "",
         "TOML 语法错误：" + std::string(e.description()),
         "TOML syntax error: " + std::string(e.description()));
  }
}

int64_t TableReader::line() const {
  int64_t best = static_cast<int64_t>(t_.source().begin.line);
  for (const auto& [k, v] : t_) {
    auto l = static_cast<int64_t>(k.source().begin.line);
    if (l > 0 && (best <= 0 || l < best)) best = l;
  }
  return best;
}

int64_t TableReader::line_of(std::string_view key) const {
  for (const auto& [k, v] : t_) {
    if (k.str() == key) {
      auto l = static_cast<int64_t>(k.source().begin.line);
      if (l > 0) return l;
      return static_cast<int64_t>(v.source().begin.line);
    }
  }
  return line();
}

std::string TableReader::path(std::string_view key) const {
  if (prefix_.empty()) return std::string(key);
  if (key.empty()) return prefix_;
  return prefix_ + "." + std::string(key);
}

void TableReader::fail_at(std::string_view key, std::string_view code, std::string_view zh,
                          std::string_view en) const {
  fail(code, file_, key.empty() ? line() : line_of(key), path(key), zh, en);
}

void TableReader::only(std::initializer_list<std::string_view> known) const {
  for (const auto& [k, v] : t_) {
    if (std::find(known.begin(), known.end(), k.str()) == known.end()) {
      fail_at(k.str(), "unknown_key", "不认识的键", "unknown key");
    }
  }
}

std::string TableReader::str(std::string_view key, bool required) const {
  const toml::node* n = t_.get(key);
  if (!n) {
    if (required) fail("missing", file_, line(), path(key), "缺少此项", "missing");
    return {};
  }
  auto v = n->value<std::string>();
  if (!v) fail_at(key, "wrong_type", "应为字符串", "must be a string");
  if (required && v->empty()) fail_at(key, "missing", "不能为空", "must not be empty");
  return *v;
}

std::optional<double> TableReader::number(std::string_view key) const {
  const toml::node* n = t_.get(key);
  if (!n) return std::nullopt;
  if (auto i = n->value_exact<int64_t>()) return static_cast<double>(*i);
  if (auto d = n->value_exact<double>()) return *d;
  fail_at(key, "wrong_type", "应为数字", "must be a number");
}

std::optional<bool> TableReader::boolean(std::string_view key) const {
  const toml::node* n = t_.get(key);
  if (!n) return std::nullopt;
  auto v = n->value_exact<bool>();
  if (!v) fail_at(key, "wrong_type", "应为 true 或 false", "must be true or false");
  return *v;
}

std::vector<std::string> TableReader::strings(std::string_view key) const {
  std::vector<std::string> out;
  const toml::node* n = t_.get(key);
  if (!n) return out;
  const auto* arr = n->as_array();
  if (!arr) fail_at(key, "wrong_type", "应为字符串数组", "must be an array of strings");
  for (const auto& e : *arr) {
    auto v = e.value_exact<std::string>();
    if (!v) fail_at(key, "wrong_type", "应为字符串数组", "must be an array of strings");
    out.push_back(*v);
  }
  return out;
}

std::vector<const toml::table*> TableReader::tables(std::string_view key) const {
  std::vector<const toml::table*> out;
  const toml::node* n = t_.get(key);
  if (!n) return out;
  const auto* arr = n->as_array();
  if (!arr || !arr->is_array_of_tables()) {
    fail_at(key, "wrong_type", "应为表数组（[[" + std::string(key) + "]]）",
            "must be an array of tables ([[" + std::string(key) + "]])");
  }
  for (const auto& e : *arr) out.push_back(e.as_table());
  return out;
}

const toml::table* TableReader::table(std::string_view key) const {
  const toml::node* n = t_.get(key);
  if (!n) return nullptr;
  const auto* t = n->as_table();
  if (!t) fail_at(key, "wrong_type", "应为表", "must be a table");
  return t;
}

}  // namespace wangge::forms::toml_in
