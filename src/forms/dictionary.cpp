#include "forms/dictionary.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "core/error.h"
#include "core/files.h"
#include "forms/dictionary_toml.h"

namespace wangge::forms {
namespace {

constexpr std::string_view kTypeNames[] = {"integer", "decimal", "text",      "date",
                                           "enum",    "boolean", "id_number", "phone"};
constexpr std::string_view kSensitivityNames[] = {"public", "internal", "personal",
                                                  "sensitive_personal"};

bool valid_code(std::string_view code) {
  if (code.empty()) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

// Where a field came from, for error messages while loading.
struct Origin {
  std::string file;
  int64_t line = 0;
};

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::unavailable, "io_error", "无法读取 " + p.string(),
                "cannot read " + p.string());
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Field read_field(const toml_in::TableReader& r, const std::string& group) {
  r.only({"code", "name", "type", "options", "unit", "entity", "department", "sensitivity",
          "synonyms", "description"});
  Field f;
  f.group = group;
  f.code = r.str("code", true);
  if (!valid_code(f.code)) {
    r.fail_at("code", "invalid_code", "编码只能含小写字母、数字、下划线和点",
              "a code may hold only a-z, 0-9, '_' and '.'");
  }
  f.name = r.str("name", true);
  try {
    f.type = parse_field_type(r.str("type", true));
    f.sensitivity = parse_sensitivity(r.str("sensitivity", true));
  } catch (const Error& e) {
    r.fail_at(e.field(), e.code(), e.message(Lang::zh), e.message(Lang::en));
  }
  f.options = r.strings("options");
  if (f.type == FieldType::enumeration && f.options.empty()) {
    r.fail_at("options", "missing_options", "枚举字段须列出选项", "an enum field needs options");
  }
  if (f.type != FieldType::enumeration && !f.options.empty()) {
    r.fail_at("options", "unexpected_options", "只有枚举字段才有选项",
              "only enum fields have options");
  }
  f.unit = r.str("unit", false);
  f.entity = r.str("entity", true);
  f.department = r.str("department", false);
  f.synonyms = r.strings("synonyms");
  f.description = r.str("description", false);
  return f;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string quote_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}

void write_field(std::ostream& out, const Field& f) {
  out << "[[field]]\n";
  out << "code = " << quote(f.code) << "\n";
  out << "name = " << quote(f.name) << "\n";
  out << "type = " << quote(to_string(f.type)) << "\n";
  if (!f.options.empty()) out << "options = " << quote_list(f.options) << "\n";
  if (!f.unit.empty()) out << "unit = " << quote(f.unit) << "\n";
  out << "entity = " << quote(f.entity) << "\n";
  if (!f.department.empty()) out << "department = " << quote(f.department) << "\n";
  out << "sensitivity = " << quote(to_string(f.sensitivity)) << "\n";
  if (!f.synonyms.empty()) out << "synonyms = " << quote_list(f.synonyms) << "\n";
  if (!f.description.empty()) out << "description = " << quote(f.description) << "\n";
}

std::filesystem::path exe_dir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : p.parent_path();
}

}  // namespace

std::string_view to_string(FieldType t) { return kTypeNames[static_cast<int>(t)]; }

FieldType parse_field_type(std::string_view s, std::string_view field) {
  for (size_t i = 0; i < std::size(kTypeNames); ++i) {
    if (kTypeNames[i] == s) return static_cast<FieldType>(i);
  }
  throw_bad_input("invalid_field_type", "不认识的字段类型 “" + std::string(s) + "”",
                  "unknown field type '" + std::string(s) + "'", std::string(field));
}

std::string_view to_string(Sensitivity s) { return kSensitivityNames[static_cast<int>(s)]; }

std::string_view label(Sensitivity s) {
  constexpr std::string_view labels[] = {"公开", "内部", "个人信息", "敏感个人信息"};
  return labels[static_cast<int>(s)];
}

Sensitivity parse_sensitivity(std::string_view s, std::string_view field) {
  for (size_t i = 0; i < std::size(kSensitivityNames); ++i) {
    if (kSensitivityNames[i] == s) return static_cast<Sensitivity>(i);
  }
  throw_bad_input("invalid_sensitivity", "不认识的数据分级 “" + std::string(s) + "”",
                  "unknown sensitivity '" + std::string(s) + "'", std::string(field));
}

std::string name_key(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size();) {
    auto c = static_cast<unsigned char>(name[i]);
    // U+FF01..U+FF5E (EF BC 81 .. EF BD 9E) fold to U+0021..U+007E; U+3000 (E3 80 80) is a space.
    if (c == 0xEF && i + 2 < name.size()) {
      auto b1 = static_cast<unsigned char>(name[i + 1]);
      auto b2 = static_cast<unsigned char>(name[i + 2]);
      unsigned cp = ((c & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        char a = static_cast<char>(cp - 0xFF01 + 0x21);
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        out += a;
        i += 3;
        continue;
      }
    }
    if (c == 0xE3 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
        static_cast<unsigned char>(name[i + 2]) == 0x80) {
      i += 3;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      ++i;
      continue;
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    ++i;
  }
  return out;
}

Dictionary Dictionary::load(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".toml") files.push_back(e.path());
  }
  if (ec) {
    throw Error(ErrorKind::unavailable, "io_error", "无法读取数据字典目录 " + dir.string(),
                "cannot read the dictionary folder " + dir.string());
  }
  std::sort(files.begin(), files.end());
  Dictionary d;
  for (const auto& path : files) {
    std::string file = path.filename().string();
    toml::table root = toml_in::parse(read_text(path), file);
    toml_in::TableReader top(root, file, "");
    top.only({"field"});
    for (const toml::table* t : top.tables("field")) {
      toml_in::TableReader r(*t, file, "field");
      Field f = read_field(r, path.stem().string());
      try {
        d.add(std::move(f));
      } catch (const Error& e) {
        // Duplicates: point at the key that collides.
        std::string key = e.field().empty() ? "code" : e.field();
        toml_in::fail(e.code(), file, r.line_of(key), "field." + key, e.message(Lang::zh),
                      e.message(Lang::en));
      }
    }
  }
  return d;
}

std::filesystem::path Dictionary::shipped_dir() {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("WANGGE_DATA_DIR")) candidates.emplace_back(env);
  if (const char* env = std::getenv("WANGGE_SOURCE_DIR")) {
    candidates.emplace_back(std::filesystem::path(env) / "data");
  }
#ifdef WANGGE_SOURCE_DATA_DIR
  candidates.emplace_back(WANGGE_SOURCE_DATA_DIR);
#endif
  auto exe = exe_dir();
  if (!exe.empty()) {
    candidates.push_back(exe / "../share/wangge");
    candidates.push_back(exe / "../../data");
    candidates.push_back(exe / "data");
  }
  for (const auto& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_directory(c / "dictionary", ec)) return c / "dictionary";
  }
  return {};
}

const Dictionary& Dictionary::shipped() {
  static const Dictionary d = [] {
    auto dir = shipped_dir();
    if (dir.empty()) {
      throw Error(ErrorKind::unavailable, "dictionary_missing",
                  "找不到数据字典 data/dictionary（可设置 WANGGE_DATA_DIR）",
                  "data/dictionary not found (set WANGGE_DATA_DIR)");
    }
    return load(dir);
  }();
  return d;
}

void Dictionary::save(const std::filesystem::path& dir) const {
  std::map<std::string, std::vector<const Field*>> groups;
  for (const auto& f : fields_) groups[f.group.empty() ? f.entity : f.group].push_back(&f);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (auto& [group, list] : groups) {
    std::sort(list.begin(), list.end(),
              [](const Field* a, const Field* b) { return a->code < b->code; });
    std::ostringstream out;
    out << "# 数据字典 field dictionary: " << group << " (see src/forms/dictionary.h)\n";
    for (const Field* f : list) {
      out << "\n";
      write_field(out, *f);
    }
    write_file_durably(dir / (group + ".toml"), out.str());
  }
}

void Dictionary::add(Field f) {
  if (!valid_code(f.code)) {
    throw_bad_input("invalid_code", "字段编码只能含小写字母、数字、下划线和点",
                    "a field code may hold only a-z, 0-9, '_' and '.'", "code");
  }
  if (f.name.empty()) throw_bad_input("missing", "字段名称不能为空", "name is empty", "name");
  if ((f.type == FieldType::enumeration) == f.options.empty()) {
    throw_bad_input("invalid_options", "只有枚举字段有选项，且必须有",
                    "enum fields, and only they, have options", "options");
  }
  if (by_code_.count(f.code)) {
    throw Error(ErrorKind::conflict, "duplicate_code", "字段编码 " + f.code + " 已存在",
                "field code " + f.code + " already exists", "code");
  }
  auto taken = [&](const std::string& n, const char* key) {
    auto it = by_name_.find(name_key(n));
    if (it != by_name_.end()) {
      throw Error(ErrorKind::conflict, "duplicate_name",
                  "名称 “" + n + "” 已是字段 " + fields_[it->second].code + " 的名称或同义词",
                  "name '" + n + "' already belongs to field " + fields_[it->second].code, key);
    }
  };
  taken(f.name, "name");
  for (const auto& s : f.synonyms) taken(s, "synonyms");
  // A synonym repeated inside the same field is harmless; keep the first.
  fields_.push_back(std::move(f));
  index(fields_.size() - 1);
}

void Dictionary::index(size_t i) {
  const Field& f = fields_[i];
  by_code_.emplace(f.code, i);
  by_name_.emplace(name_key(f.name), i);
  for (const auto& s : f.synonyms) by_name_.emplace(name_key(s), i);
}

const Field* Dictionary::find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &fields_[it->second];
}

const Field* Dictionary::find_by_name_or_synonym(std::string_view name) const {
  auto it = by_name_.find(name_key(name));
  return it == by_name_.end() ? nullptr : &fields_[it->second];
}

const Field* Dictionary::resolve(std::string_view code_or_name) const {
  if (const Field* f = find(code_or_name)) return f;
  return find_by_name_or_synonym(code_or_name);
}

std::vector<const Field*> Dictionary::of_entity(std::string_view entity) const {
  std::vector<const Field*> out;
  for (const auto& f : fields_) {
    if (f.entity == entity) out.push_back(&f);
  }
  return out;
}

}  // namespace wangge::forms
