// The analyser's report, as text for a person and as JSON for programs.
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/codes.h"
#include "core/error.h"
#include "legacy/analyzer.h"
#include "legacy/normalize.h"

namespace wangge::legacy {
namespace {

bool has_any(const std::string& s, std::initializer_list<std::string_view> words) {
  for (auto w : words) {
    if (s.find(w) != std::string::npos) return true;
  }
  return false;
}

// Example values as they may be shown: ID numbers and phones masked, people's names cut to
// the surname (张**), addresses to their first characters.
std::string shown(const std::string& v, const FieldCluster& k) {
  if (k.kind == ColumnKind::id_number) return citizen_id::mask(v);
  if (k.kind == ColumnKind::phone) return phone::mask(v);
  std::u32string u = to_u32(v);
  if (has_any(k.name, {"姓名", "户主", "监护人", "责任人", "当事人", "调解", "网格员", "干部"}) &&
      u.size() >= 2 && u.size() <= 4) {
    return to_utf8(u.substr(0, 1)) + std::string(u.size() - 1, '*');
  }
  if (has_any(k.name, {"住址", "地址"}) && u.size() > 6) return to_utf8(u.substr(0, 6)) + "…";
  return v;
}

std::string where(const Analysis& a, int c) {
  const ColumnInfo& col = a.columns[c];
  return fmt::format("{} {}列", a.forms[col.form].file, sheets::column_name(col.index));
}

std::vector<std::string> examples(const Analysis& a, const FieldCluster& k, size_t n) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (int c : k.columns) {
    for (const auto& v : a.columns[c].examples) {
      if (out.size() < n && seen.insert(v).second) out.push_back(shown(v, k));
    }
  }
  return out;
}

// The distinct headers of a cluster, as written.
std::vector<std::string> raw_headers(const Analysis& a, const FieldCluster& k) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (int c : k.columns) {
    if (seen.insert(a.columns[c].raw).second) out.push_back(a.columns[c].raw);
  }
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep, size_t max) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max; ++i) out += (i ? std::string(sep) : "") + v[i];
  if (v.size() > max) out += fmt::format("{}…（共{}个）", sep, v.size());
  return out;
}

std::string quoted(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != '\n' && c != '\r') out += c;  // a header broken over lines reads as one
  }
  return "“" + out + "”";
}

void render_merge(std::string& out, const Analysis& a, const FieldCluster& k) {
  std::set<int> forms;
  for (int c : k.columns) forms.insert(a.columns[c].form);
  out += fmt::format("  【{}】 {}，{}张表 {}列{}{}\n", k.name, to_string(k.kind), forms.size(),
                     k.columns.size(), k.unit.empty() ? "" : "，单位 " + k.unit,
                     k.field ? "，数据字典 " + k.field->code : "，新字段");
  std::vector<std::string> heads;
  for (const auto& h : raw_headers(a, k)) heads.push_back(quoted(h));
  out += "     原列名：" + join(heads, "、", 12) + "\n";
  if (raw_headers(a, k).size() > k.names.size()) {
    out += "     规则 名称相同：规范化后相同（全半角、空格、单位、编号）\n";
  }
  for (const Evidence& e : k.evidence) {
    out += fmt::format(
        "     规则 {}：{} ＋ {}（{}）{}\n", label(e.rule), quoted(e.left), quoted(e.right),
        e.detail, e.confidence == Confidence::low ? "【低置信度，需确认 low confidence】" : "");
  }
  std::set<std::string> notes;
  for (int c : k.columns) {
    if (!a.columns[c].note.empty()) notes.insert(a.columns[c].note);
  }
  for (const auto& n : notes) out += "     读法：" + n + "\n";
  auto ex = examples(a, k, 4);
  if (!ex.empty()) out += "     示例值：" + join(ex, "，", 4) + "\n";
  std::vector<std::string> at;
  for (int c : k.columns) at.push_back(where(a, c));
  out += "     出现在：" + join(at, "；", 4) + "\n";
}

}  // namespace

std::string render_text(const Analysis& a) {
  int xlsx = 0, merged = 0;
  for (const auto& f : a.forms) xlsx += f.format == "xlsx";
  for (const auto& k : a.clusters) merged += k.columns.size() > 1;
  std::string out;
  out += fmt::format("读取表格 forms read:                 {}（XLSX {}，CSV {}；未能读取 {}）\n",
                     a.forms.size(), xlsx, a.forms.size() - xlsx, a.unreadable.size());
  out += fmt::format("原始列 raw columns:                  {}（另有序号列、无列名列 {} 列未计）\n",
                     a.columns.size(), a.skipped_columns);
  out += fmt::format("合并后字段 unique fields:            {}（其中 {} 个由多列合并）\n",
                     a.clusters.size(), merged);
  out += fmt::format("已在数据字典 fields in dictionary:   {}；新字段 new fields: {}\n",
                     a.clusters_in_dictionary, a.clusters.size() - a.clusters_in_dictionary);
  out += fmt::format("可由数据字典生成的表 forms fully generated from the dictionary: {} / {}\n",
                     a.forms_from_dictionary, a.forms.size());
  for (const auto& u : a.unreadable) out += fmt::format("  未能读取 {}：{}\n", u.file, u.reason);
  out += fmt::format("\n建议合并 proposed merges（{} 个字段）:\n", merged);
  for (const auto& k : a.clusters) {
    if (k.columns.size() > 1) render_merge(out, a, k);
  }
  auto lines = confirmation_lines(a);
  if (!lines.empty()) {
    out += fmt::format(
        "\n待确认的低置信度合并 low-confidence merges to confirm（{} 个）：--apply 只写入高置信度"
        "的合并；确认某个合并，把下面一行写进确认文件并以 --confirm 文件 指定 (copy a line into "
        "the file given to --confirm):\n",
        lines.size());
    for (const auto& l : lines) out += "  " + l + "\n";
  }
  return out;
}

nlohmann::json to_json(const Analysis& a) {
  using nlohmann::json;
  int merged = 0;
  for (const auto& k : a.clusters) merged += k.columns.size() > 1;
  json summary{{"forms_read", a.forms.size()},
               {"unreadable", a.unreadable.size()},
               {"raw_columns", a.columns.size()},
               {"skipped_columns", a.skipped_columns},
               {"unique_fields", a.clusters.size()},
               {"merged_fields", merged},
               {"fields_in_dictionary", a.clusters_in_dictionary},
               {"forms_from_dictionary", a.forms_from_dictionary},
               {"low_confidence_merges", confirmation_lines(a).size()}};
  json forms = json::array();
  for (size_t f = 0; f < a.forms.size(); ++f) {
    const auto& l = a.forms[f].layout;
    json cols = json::array();
    for (size_t c = 0; c < a.columns.size(); ++c) {
      if (a.columns[c].form != static_cast<int>(f)) continue;
      const auto& k = a.clusters[a.cluster_of[c]];
      cols.push_back({{"column", sheets::column_name(a.columns[c].index)},
                      {"header", a.columns[c].raw},
                      {"name", a.columns[c].name},
                      {"note", a.columns[c].note},
                      {"unit", a.columns[c].unit},
                      {"kind", to_string(a.columns[c].profile.kind)},
                      {"field", k.name},
                      {"dictionary_code", k.field ? json(k.field->code) : json(nullptr)}});
    }
    forms.push_back({{"file", a.forms[f].file},
                     {"format", a.forms[f].format},
                     {"title", l.title},
                     {"entity", a.forms[f].entity},
                     {"header_rows", l.header_rows},
                     {"data_rows", l.data_last - l.data_first + 1},
                     {"notes", l.notes},
                     {"columns", cols}});
  }
  json fields = json::array();
  for (const auto& k : a.clusters) {
    json evidence = json::array();
    for (const auto& e : k.evidence) {
      evidence.push_back({{"rule", to_string(e.rule)},
                          {"left", e.left},
                          {"right", e.right},
                          {"detail", e.detail},
                          {"confidence", to_string(e.confidence)}});
    }
    json at = json::array();
    for (int c : k.columns) {
      at.push_back({{"file", a.forms[a.columns[c].form].file},
                    {"column", sheets::column_name(a.columns[c].index)},
                    {"header", a.columns[c].raw}});
    }
    fields.push_back({{"name", k.name},
                      {"names", k.names},
                      {"kind", to_string(k.kind)},
                      {"unit", k.unit},
                      {"dictionary_code", k.field ? json(k.field->code) : json(nullptr)},
                      {"columns", at},
                      {"evidence", evidence},
                      {"examples", examples(a, k, 4)}});
  }
  json unreadable = json::array();
  for (const auto& u : a.unreadable) unreadable.push_back({{"file", u.file}, {"reason", u.reason}});
  return {{"summary", summary},
          {"forms", forms},
          {"fields", fields},
          {"unreadable", unreadable},
          {"to_confirm", confirmation_lines(a)}};
}

std::vector<std::string> confirmation_lines(const Analysis& a) {
  std::vector<std::string> out;
  for (const auto& k : a.clusters) {
    for (const auto& e : k.evidence) {
      if (e.confidence == Confidence::low) out.push_back(e.left + " = " + e.right);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> read_confirmations(
    const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw_bad_input("confirm_unreadable", "无法读取确认文件：" + file.string(),
                    "cannot read the confirmation file: " + file.string(), "confirm");
  }
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (n == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // a BOM
    auto trim = [](std::string s) {
      s = fold_width(s);
      size_t b = s.find_first_not_of(" \t\r");
      size_t e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    std::string t = trim(line);
    if (t.empty() || t.starts_with("#")) continue;
    auto eq = t.find('=');
    std::string left = eq == std::string::npos ? "" : trim(t.substr(0, eq));
    std::string right = eq == std::string::npos ? "" : trim(t.substr(eq + 1));
    if (left.empty() || right.empty()) {
      throw_bad_input(
          "confirm_line", fmt::format("确认文件第 {} 行应为“名称A = 名称B”：{}", n, line),
          fmt::format("line {} of the confirmation file is not \"name = name\"", n), "confirm");
    }
    out.emplace_back(clean_header(left).name, clean_header(right).name);
  }
  return out;
}

}  // namespace wangge::legacy
