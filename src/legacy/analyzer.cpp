#include "legacy/analyzer.h"

#include <algorithm>
#include <map>

#include "core/error.h"
#include "legacy/normalize.h"
#include "legacy/owner.h"
#include "sheets/csv.h"
#include "sheets/xlsx_reader.h"

namespace wangge::legacy {
namespace {

std::string lower_ext(const std::filesystem::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

bool any_name_has(const FormLayout& l, std::string_view word) {
  return std::any_of(l.columns.begin(), l.columns.end(),
                     [&](const RawColumn& c) { return c.name.find(word) != std::string::npos; });
}

// What one row of the form describes, from its title and column names.
std::string guess_entity(const FormLayout& l) {
  for (std::string_view w : {"纠纷", "隐患", "事件", "诉求", "信访"}) {
    if (l.title.find(w) != std::string::npos) return "event";
  }
  bool person = any_name_has(l, "身份") || any_name_has(l, "姓名");
  bool head = any_name_has(l, "户主");
  if (head && !any_name_has(l, "与户主")) return "household";
  if (person) return "resident";
  return "org";
}

// Adds the sheet as a form when it has a header; false when it has none.
bool add_sheet(std::vector<LegacyForm>& out, std::string file, std::string format,
               const sheets::Sheet& sheet) {
  FormLayout layout = detect_layout(sheet);
  if (layout.columns.empty()) return false;
  LegacyForm f{std::move(file), std::move(format), guess_entity(layout), std::move(layout)};
  out.push_back(std::move(f));
  return true;
}

void read_one(const std::filesystem::path& path, const std::string& rel,
              std::vector<LegacyForm>& out, std::vector<Unreadable>* bad) {
  int used = 0;
  if (lower_ext(path) == ".csv") {
    used += add_sheet(out, rel, "csv", sheets::read_csv(path));
  } else {
    sheets::XlsxReader book(path);
    for (size_t i = 0; i < book.sheets().size(); ++i) {
      if (book.sheets()[i].hidden) continue;
      sheets::Sheet sheet = book.read_sheet(static_cast<int>(i));
      if (sheet.rows.empty()) continue;
      used += add_sheet(out, used == 0 ? rel : rel + "#" + sheet.name, "xlsx", sheet);
    }
  }
  if (used == 0 && bad) bad->push_back({rel, "未找到表头（没有一行像列名）"});
}

// Real date cells reach us as Excel serial numbers (45292 is 2024-01-01): a column named
// like a date whose numbers all have five digits up to 60000 (1927 to 2064) holds dates.
bool looks_like_excel_dates(const RawColumn& c) {
  bool named = false;
  for (std::string_view w : {"日期", "时间", "年月", "生日"}) {
    named |= c.name.find(w) != std::string::npos;
  }
  if (!named) return false;
  return std::all_of(c.values.begin(), c.values.end(), [](const std::string& v) {
    return v.size() == 5 && v >= "03000" && v <= "60000";
  });
}

ColumnInfo column_info(const LegacyForm& f, int form, const RawColumn& c) {
  ColumnInfo info;
  info.form = form;
  info.index = c.index;
  for (size_t i = 0; i < c.header.size(); ++i) info.raw += (i ? "/" : "") + c.header[i];
  info.name = c.name;
  info.unit = c.unit;
  info.profile = profile_values(c.values);
  if (info.profile.kind == ColumnKind::integer && looks_like_excel_dates(c)) {
    info.profile.kind = ColumnKind::date;
  }
  for (const auto& v : c.values) {
    if (info.examples.size() >= 3) break;
    if (std::find(info.examples.begin(), info.examples.end(), v) == info.examples.end()) {
      info.examples.push_back(v);
    }
  }
  (void)f;
  return info;
}

}  // namespace

std::vector<LegacyForm> read_forms(const std::filesystem::path& dir,
                                   std::vector<Unreadable>* unreadable) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw_bad_input("not_a_folder", "不是文件夹：" + dir.string(), "not a folder: " + dir.string(),
                    "dir");
  }
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string ext = lower_ext(it->path());
    if ((ext == ".csv" || ext == ".xlsx") && !it->path().filename().string().starts_with("~$")) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<LegacyForm> out;
  for (const auto& path : files) {
    std::string rel = std::filesystem::relative(path, dir).generic_string();
    try {
      read_one(path, rel, out, unreadable);
    } catch (const Error& e) {
      if (unreadable) unreadable->push_back({rel, e.message(Lang::zh)});
    }
  }
  return out;
}

Analysis analyze(std::vector<LegacyForm> forms, const forms::Dictionary* dictionary,
                 const ClusterOptions& options) {
  Analysis a;
  a.forms = std::move(forms);
  for (size_t f = 0; f < a.forms.size(); ++f) {
    a.skipped_columns += a.forms[f].layout.skipped_columns;
    size_t first = a.columns.size();
    std::vector<std::string> names;
    for (const RawColumn& c : a.forms[f].layout.columns) {
      a.columns.push_back(column_info(a.forms[f], static_cast<int>(f), c));
      names.push_back(c.name);
    }
    // A form of households: its unlabelled 身份证号码, 联系电话 … are the 户主's.
    auto head = household_head_names(names);
    for (size_t i = 0; i < head.size(); ++i) {
      if (head[i].empty()) continue;
      ColumnInfo& info = a.columns[first + i];
      info.note = "本表每行是一户（有户主姓名，没有本人姓名列），“" + info.name + "”记作户主的";
      info.name = head[i];
    }
  }
  a.clusters = cluster_columns(a.columns, dictionary, options);
  a.cluster_of.assign(a.columns.size(), -1);
  for (size_t k = 0; k < a.clusters.size(); ++k) {
    for (int c : a.clusters[k].columns) a.cluster_of[c] = static_cast<int>(k);
    a.clusters_in_dictionary += a.clusters[k].field != nullptr;
  }
  std::vector<bool> complete(a.forms.size(), true);
  for (size_t c = 0; c < a.columns.size(); ++c) {
    if (!a.clusters[a.cluster_of[c]].field) complete[a.columns[c].form] = false;
  }
  a.forms_from_dictionary = static_cast<int>(std::count(complete.begin(), complete.end(), true));
  return a;
}

Analysis analyze_folder(const std::filesystem::path& dir, const forms::Dictionary* dictionary,
                        const ClusterOptions& options) {
  std::vector<Unreadable> bad;
  auto forms = read_forms(dir, &bad);
  Analysis a = analyze(std::move(forms), dictionary, options);
  a.unreadable = std::move(bad);
  return a;
}

}  // namespace wangge::legacy
