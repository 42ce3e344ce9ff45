// The field dictionary (数据字典, 基层一张表): every fact wangge collects, described once —
// its code, Chinese name, type, unit, the entity it describes, the department that owns it,
// how sensitive it is, and the other names clerks give it in legacy forms (synonyms).
// Forms (forms.h) and the legacy-form analyser (legacy/) speak in these fields.
//
// The dictionary lives in data/dictionary/*.toml, one file per group (usually one per entity):
//
//   [[field]]
//   code = "resident.birth_date"      # unique, [a-z0-9_.]+ ; by convention "<entity>.<name>"
//   name = "出生日期"                  # unique among names and synonyms
//   type = "date"                     # integer decimal text date enum boolean id_number phone
//   options = ["男", "女"]             # enum only (required there, refused elsewhere)
//   unit = "岁"                        # optional
//   entity = "resident"               # resident household org event party_org post …
//   department = "公安局"              # owning department (数据责任部门)
//   sensitivity = "personal"          # public internal personal sensitive_personal
//   synonyms = ["出生年月", "生日"]     # optional
//   description = "…"                 # optional
//
// Thread safety: a const Dictionary may be read from many threads; add() and save() need
// external synchronization.
#pragma once

#include <cstddef>
#include <deque>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wangge::forms {

enum class FieldType { integer, decimal, text, date, enumeration, boolean, id_number, phone };
// "integer" … "enum" … "phone".
std::string_view to_string(FieldType t);
// Accepts the names above. Throws Error(bad_input, field) for anything else.
FieldType parse_field_type(std::string_view s, std::string_view field = "type");

// 数据分级: public (公开), internal (内部), personal (个人信息), sensitive_personal (敏感个人信息).
enum class Sensitivity { public_data, internal, personal, sensitive_personal };
// "public" … "sensitive_personal".
std::string_view to_string(Sensitivity s);
std::string_view label(Sensitivity s);  // 公开 / 内部 / 个人信息 / 敏感个人信息
Sensitivity parse_sensitivity(std::string_view s, std::string_view field = "sensitivity");

struct Field {
  std::string code;  // unique; [a-z0-9_.]+
  std::string name;  // Chinese name as a clerk writes it in a form header
  FieldType type = FieldType::text;
  std::vector<std::string> options;  // enum options, in display order; empty otherwise
  std::string unit;                  // 人 / 户 / 元 / 岁 …; may be empty
  std::string entity;                // resident, household, org, event, …
  std::string department;            // owning department; may be empty
  Sensitivity sensitivity = Sensitivity::internal;
  std::vector<std::string> synonyms;  // other names for the same field
  std::string description;            // may be empty
  // The file (stem, without ".toml") the field is loaded from and saved to. Empty: the
  // field's entity.
  std::string group;
};

// The key under which names and synonyms are compared: full-width ASCII (ＡＢＣ１２３, （）)
// folded to half-width, all whitespace (including U+3000) removed, Latin letters lower-cased.
// Nothing else is changed (units in brackets stay: callers that strip them do so first).
std::string name_key(std::string_view name);

class Dictionary {
 public:
  Dictionary() = default;

  // Reads every *.toml file of dir (sorted by file name). Throws Error(bad_input) naming the
  // file, line and key of the first problem (a syntax error, a missing or unknown key, a bad
  // type or sensitivity, a duplicate code, name or synonym, options on a non-enum field).
  // The error's field is "<file>:<line>:<key>".
  static Dictionary load(const std::filesystem::path& dir);
  // The dictionary shipped in data/dictionary (located like the calendar: $WANGGE_DATA_DIR,
  // then the source tree, then next to the executable). Loaded once, then cached.
  static const Dictionary& shipped();
  // The data/dictionary folder shipped() reads; empty when none was found.
  static std::filesystem::path shipped_dir();

  // Writes every field back to dir/<group>.toml (one file per group, fields in code order,
  // a stable layout that diffs well), replacing those files. Files of dir whose group has
  // no field are left alone. Throws Error(unavailable) on an I/O failure.
  void save(const std::filesystem::path& dir) const;

  // Adds a field. Throws Error(bad_input) if it is invalid (empty code or name, bad code
  // characters, options on a non-enum or none on an enum) and Error(conflict) if its code,
  // name or one of its synonyms is already taken by another field.
  void add(Field f);

  // The field with this code; nullptr when none.
  const Field* find(std::string_view code) const;
  // The field whose name or one of whose synonyms has the same name_key(); nullptr when none.
  const Field* find_by_name_or_synonym(std::string_view name) const;
  // By code first, then by name or synonym.
  const Field* resolve(std::string_view code_or_name) const;

  // Every field, in the order loaded then added. A field's address never changes (forms keep
  // pointers to their fields while fields are added).
  const std::deque<Field>& fields() const { return fields_; }
  std::vector<const Field*> of_entity(std::string_view entity) const;
  size_t size() const { return fields_.size(); }

 private:
  void index(size_t i);
  std::deque<Field> fields_;
  std::unordered_map<std::string, size_t> by_code_;
  std::unordered_map<std::string, size_t> by_name_;  // name_key(name or synonym) → field
};

}  // namespace wangge::forms
