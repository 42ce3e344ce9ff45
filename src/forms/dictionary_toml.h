// Reading hand-written TOML (the field dictionary, form definitions) with errors that name the
// exact place: file, line and key. Internal to src/forms.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wangge::forms::toml_in {

// Throws Error(bad_input, code) whose messages read "<file> 第<line>行 <key>：<zh>" and whose
// field is "<file>:<line>:<key>".
[[noreturn]] void fail(std::string_view code, std::string_view file, int64_t line,
                       std::string_view key, std::string_view zh, std::string_view en);

// Parses text; a syntax error is reported through fail() at its line.
toml::table parse(std::string_view text, std::string_view file);

// A table being read: knows where it came from, so every accessor can point at the line.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string file, std::string prefix)
      : t_(t), file_(std::move(file)), prefix_(std::move(prefix)) {}

  // The first line of the table (or of its first key).
  int64_t line() const;
  int64_t line_of(std::string_view key) const;
  const std::string& file() const { return file_; }
  // "prefix.key" as shown in errors.
  std::string path(std::string_view key) const;

  // Refuses any key not in `known`.
  void only(std::initializer_list<std::string_view> known) const;
  // A string; required ones fail when missing or empty.
  std::string str(std::string_view key, bool required) const;
  std::optional<double> number(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::vector<std::string> strings(std::string_view key) const;
  // The array of tables under key (empty when missing); refuses anything else.
  std::vector<const toml::table*> tables(std::string_view key) const;
  const toml::table* table(std::string_view key) const;

  [[noreturn]] void fail_at(std::string_view key, std::string_view code, std::string_view zh,
                            std::string_view en) const;

 private:
  const toml::table& t_;
  std::string file_, prefix_;
};

}  // namespace wangge::forms::toml_in
