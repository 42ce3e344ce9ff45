// Forms (报表) as definitions, not as data (基层一张表): a form is a title and a list of
// indicators (columns); its rows are the org nodes of one level under a chosen org. Reports are
// computed from the data (src/analytics), never filled in level by level.
//
// A form is a TOML file, data/forms/<code>.toml:
//
//   title = "低保对象统计表"
//   title_en = "Subsistence allowance statistics"   # optional: the English title
//   department = "民政局"                 # optional: the department that files it
//   description = "…"                     # optional
//   level = "village"                     # optional default row level
//
//   [[indicator]]
//   code = "persons"                      # [a-z0-9_]+, unique in the form
//   name = "低保对象人数"                  # the column header
//   name_en = "Persons"                    # optional: the English header (and group_en)
//   group = "低保对象"                     # optional upper header, merged over neighbours
//   unit = "人"                            # optional
//   entity = "resident"                   # resident household org post party_org event
//   aggregate = "count"                   # count sum avg | ratio percent (of two indicators)
//   field = "年龄"                         # sum / avg: a numeric dictionary field
//   filter = "低保对象 and 人员状态 = '在册'"
//   numerator = "persons"                 # ratio / percent: codes of earlier indicators
//   denominator = "population"
//   decimals = 1                          # optional, default 0 (2 for ratio/percent/avg)
//   period = "event.reported_at"          # optional, events: the date the report period uses
//
// Filters: comparisons of dictionary fields (by code, "<entity>."-less code, name or synonym)
// joined by and/or/not (且/或/非) and parentheses. A boolean field alone means "is true".
//   年龄 >= 60 and 低保对象 and 人员风险颜色 in ('红', '黄')
// Values: numbers, quoted text ('…' or "…" or “…”), enum options by label, dates 'YYYY-MM-DD'.
// A resident field used in a household filter means "some member (在册) has it".
//
// A record-list form (名册, 花名册) lists records instead of counting them: its rows are the
// records of one entity under the chosen org that pass the form's filter, its columns are
// dictionary fields (ID numbers and phones always masked). It has [[column]]s, no indicators:
//
//   title = "低保对象名册"
//   kind = "roster"                       # default "summary"
//   entity = "resident"
//   filter = "低保对象 and 人员状态 = '在册'"   # optional
//
//   [[column]]
//   field = "公民身份号码"                  # a dictionary field of the entity
//   name = "身份证号"                      # optional header (default: the field's name)
//   name_en = "Citizen ID"                 # optional English header
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "forms/dictionary.h"

namespace wangge::forms {

// Where something was written: file, line and key ("indicator[3].filter").
struct Place {
  std::string file;
  int64_t line = 0;
  std::string key;
};
// Throws Error(bad_input, code) naming the place: "dibao.toml 第12行 indicator[2].filter：…",
// field "dibao.toml:12:indicator[2].filter".
[[noreturn]] void fail_at(const Place& at, std::string_view code, std::string_view zh,
                          std::string_view en);

// A parsed filter expression. Leaves compare one dictionary field.
struct Expr {
  enum class Kind { all, any, negate, compare, truth };
  enum class Cmp { eq, ne, lt, le, gt, ge, in };
  Kind kind = Kind::truth;
  std::vector<Expr> children;    // all / any / negate
  const Field* field = nullptr;  // compare / truth
  Cmp cmp = Cmp::eq;
  // compare: the values as written (text) and, for numeric fields, as numbers. For enum
  // fields each value is checked against the options and replaced by the option's index.
  std::vector<std::string> values;
  std::vector<double> numbers;
};

// Parses a filter against the dictionary. Throws Error(bad_input) through fail_at(at) with the
// character position within the expression, for a syntax error, an unknown field, a value that
// is no option of an enum, or an operator the field's type does not allow.
Expr parse_filter(std::string_view text, const Dictionary& dict, const Place& at);
// The fields an expression reads, each once.
std::vector<const Field*> fields_of(const Expr& e);

enum class Aggregate { count, sum, avg, ratio, percent };
enum class FormKind { summary, roster };
std::string_view to_string(Aggregate a);

struct Indicator {
  std::string code, name, group, unit;
  std::string name_en, group_en;  // English headers; empty: the Chinese ones
  std::string entity;             // empty for ratio / percent
  Aggregate aggregate = Aggregate::count;
  std::optional<Expr> filter;
  const Field* field = nullptr;                      // sum / avg
  std::string numerator, denominator;                // ratio / percent
  int numerator_index = -1, denominator_index = -1;  // positions in Form::indicators
  int decimals = 0;
  const Field* period = nullptr;  // a date field the report period restricts; may be null
  Place place;                    // the [[indicator]] table
};

// A column of a record-list form.
struct RosterColumn {
  const Field* field = nullptr;
  std::string name;     // the header
  std::string name_en;  // the English header; empty: the Chinese one
  Place place;          // the [[column]] table
};

struct Form {
  std::string code;  // the file stem
  std::string title, department, description, level;
  std::string title_en;  // the English title; empty: the Chinese one
  FormKind kind = FormKind::summary;
  std::vector<Indicator> indicators;  // summary forms
  // Record-list forms: the entity listed, which of its records, and the columns.
  std::string entity;
  std::optional<Expr> filter;
  std::vector<RosterColumn> columns;
  std::string source;  // the TOML text it was read from
};

// How a form uses a field: in a filter, as the value summed / averaged, or as a roster column;
// `entity` asks about the entity alone (every indicator's and roster's, whatever it uses), with
// an empty Field.
enum class FieldUse { filter, value, column, entity };
// Decides whether an entity/field pair can be computed for that use (the analytics index's
// bindings, the roster's columns). Returns an empty string when it can, else the reason in
// Chinese and English ("zh|en").
using FieldCheck =
    std::function<std::string(std::string_view entity, const Field& field, FieldUse use)>;

// Parses one form. file is the name used in errors ("dibao.toml"); the code is its stem.
// Every problem is reported with its place. check (optional) vets each field used.
Form parse_form(std::string_view toml_text, std::string_view file, const Dictionary& dict,
                const FieldCheck& check = {});

// The forms of a folder, keyed by code. Loading stops at the first bad file.
class FormSet {
 public:
  static FormSet load(const std::filesystem::path& dir, const Dictionary& dict,
                      const FieldCheck& check = {});
  // data/forms next to data/dictionary (see Dictionary::shipped_dir()).
  static std::filesystem::path shipped_dir();

  const Form* find(std::string_view code) const;
  std::vector<const Form*> all() const;
  // Validates text as the form `code`, then stores it (and writes dir/<code>.toml when dir is
  // not empty). Throws like parse_form; nothing is changed on error.
  // REQUIRES: external synchronization with readers.
  const Form& put(std::string_view code, std::string_view toml_text, const Dictionary& dict,
                  const FieldCheck& check, const std::filesystem::path& dir);

 private:
  std::map<std::string, std::shared_ptr<const Form>, std::less<>> forms_;
};

}  // namespace wangge::forms
