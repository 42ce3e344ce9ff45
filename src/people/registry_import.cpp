// Importing households and residents: validate every row, then apply all or none.
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <unordered_set>

#include "core/codes.h"
#include "core/error.h"
#include "org/org.h"
#include "org/service.h"
#include "people/registry_columns.h"
#include "people/registry_io.h"
#include "people/registry_writer.h"
#include "people/service.h"
#include "sheets/csv.h"
#include "sheets/xlsx_reader.h"

namespace wangge::people {
namespace {

using registry::Column;

bool is_xlsx(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  return magic[0] == 'P' && magic[1] == 'K';
}

// Streams the rows of a CSV or XLSX file.
void for_each_row(const std::filesystem::path& file, const sheets::RowCallback& fn) {
  if (!std::filesystem::is_regular_file(file)) {
    throw_bad_input("file_unreadable", "找不到文件：" + file.string(),
                    "no such file: " + file.string(), "file");
  }
  if (is_xlsx(file)) {
    sheets::XlsxReader(file).for_each_row(0, fn);
  } else {
    sheets::for_each_csv_row(file, fn);
  }
}

std::string trim(std::string_view s) {
  auto is_space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  // A full-width space (U+3000) is common in cells typed on Chinese keyboards.
  while (s.starts_with("\u3000")) s.remove_prefix(3);
  while (s.ends_with("\u3000")) s.remove_suffix(3);
  return std::string(s);
}

bool is_blank(const sheets::Row& row) {
  return std::all_of(row.begin(), row.end(),
                     [](const sheets::Cell& c) { return trim(c.text()).empty(); });
}

// Maps a header row to column positions; nullopt when it is not the header row.
std::optional<std::map<std::string_view, size_t>> match_header(const sheets::Row& row,
                                                               const std::vector<Column>& cols) {
  std::map<std::string_view, size_t> pos;
  for (size_t i = 0; i < row.size(); ++i) {
    std::string h = trim(row[i].text());
    // "联系电话（手机）" → "联系电话"
    for (std::string_view open : {"（", "("}) {
      if (auto paren = h.find(open); paren != std::string::npos) h = trim(h.substr(0, paren));
    }
    for (const auto& c : cols) {
      bool hit = h == c.header || h == c.key;
      for (auto syn : c.synonyms) hit |= !syn.empty() && h == syn;
      if (hit && !pos.count(c.key)) pos[c.key] = i;
    }
  }
  for (const auto& c : cols) {
    if (c.required && !pos.count(c.key)) return std::nullopt;
  }
  return pos;
}

struct Fields {
  const sheets::Row& row;
  const std::map<std::string_view, size_t>& pos;
  std::string get(std::string_view key) const {
    auto it = pos.find(key);
    if (it == pos.end() || it->second >= row.size()) return {};
    return trim(row[it->second].text());
  }
  const sheets::Cell* cell(std::string_view key) const {
    auto it = pos.find(key);
    return it == pos.end() || it->second >= row.size() ? nullptr : &row[it->second];
  }
};

std::optional<Sex> parse_sex(const std::string& s) {
  if (s.empty()) return std::nullopt;
  if (s == "男" || s == "1" || s == "male" || s == "M") return Sex::male;
  if (s == "女" || s == "2" || s == "female" || s == "F") return Sex::female;
  throw_bad_input("invalid_sex", "性别应为“男”或“女”：" + s, "sex must be 男 or 女: " + s, "sex");
}

// "1980-01-01", "1980/1/1", "1980.1.1", "19800101", or an Excel date serial number.
std::optional<Date> parse_birth(const sheets::Cell* cell, const std::string& s) {
  if (s.empty()) return std::nullopt;
  if (cell && cell->is_number() && cell->value() < 100000) {
    if (auto d = sheets::excel_serial_to_date(cell->value())) return *d;
  }
  std::string t = s;
  for (char& c : t) {
    if (c == '/' || c == '.') c = '-';
  }
  if (auto dash = t.find('-'); dash != std::string::npos) {
    auto dash2 = t.find('-', dash + 1);
    if (dash2 != std::string::npos) {
      std::string m = t.substr(dash + 1, dash2 - dash - 1), d = t.substr(dash2 + 1);
      if (m.size() == 1) m = "0" + m;
      if (d.size() == 1) d = "0" + d;
      t = t.substr(0, dash) + "-" + m + "-" + d;
    }
  }
  return parse_date(t, "birth_date");
}

std::vector<std::string> split_tags(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string t = trim(cur);
    if (!t.empty()) out.push_back(t);
    cur.clear();
  };
  for (size_t i = 0; i < s.size();) {
    bool sep = false;
    for (std::string_view d : {"、", "，", "；", ",", ";", "|"}) {
      if (std::string_view(s).substr(i).starts_with(d)) {
        flush();
        i += d.size();
        sep = true;
        break;
      }
    }
    if (!sep) cur += s[i++];
  }
  flush();
  return out;
}

people::NewResident read_resident(const Fields& f) {
  people::NewResident r;
  r.household_no = f.get("household_no");
  r.name = f.get("name");
  r.id_number = f.get("id_number");
  r.sex = parse_sex(f.get("sex"));
  r.birth = parse_birth(f.cell("birth_date"), f.get("birth_date"));
  r.phone = f.get("phone");
  std::string rel = f.get("relation");
  r.relation = rel.empty() ? people::Relation::other : people::parse_relation(rel);
  std::string status = f.get("status");
  r.status = status.empty() ? people::ResidentStatus::moved_in : people::parse_status(status);
  r.tags = split_tags(f.get("tags"));
  std::string color = f.get("color");
  if (!color.empty()) r.color = people::parse_color(color);
  return r;
}

people::NewHousehold read_household(const Fields& f) {
  people::NewHousehold h;
  h.household_no = f.get("household_no");
  h.org_code = f.get("org_code");
  h.building_code = f.get("building_code");
  h.address = f.get("address");
  std::string color = f.get("color");
  if (!color.empty()) h.color = people::parse_color(color);
  return h;
}

std::string header_of(const std::vector<Column>& cols, std::string_view key) {
  for (const auto& c : cols) {
    if (c.key == key) return std::string(c.header);
  }
  return std::string(key);
}

}  // namespace

Registry parse_registry(std::string_view what) {
  if (what == "residents") return Registry::residents;
  if (what == "households") return Registry::households;
  throw_bad_input("invalid_registry", "只能导入导出 residents 或 households",
                  "expected residents or households", "what");
}

std::vector<std::string> registry_headers(Registry what) {
  std::vector<std::string> out;
  for (const auto& c : registry::columns(what)) out.emplace_back(c.header);
  return out;
}

ImportResult import_registry(store::Database& db, const Vault& vault, Registry what,
                             const std::filesystem::path& file, const ImportOptions& opts) {
  const auto cols = registry::columns(what);
  ImportResult result;
  auto problem = [&](int64_t line, std::string column, std::string zh, std::string en) {
    if (result.problems.size() < opts.max_problems) {
      result.problems.push_back({line, std::move(column), std::move(zh), std::move(en)});
    }
  };

  // Pass 1: validate every row, touching nothing.
  std::optional<std::map<std::string_view, size_t>> header;
  std::unordered_set<std::string> seen;  // keys already in the file
  {
    auto tx = db.begin(store::TxMode::read);
    RegistryWriter checker(*tx, vault, opts.changed_by, file.filename().string());
    for_each_row(file, [&](const sheets::Row& row, int64_t line) {
      if (!header) {
        header = match_header(row, cols);
        return;
      }
      if (is_blank(row)) return;
      ++result.rows;
      Fields f{row, *header};
      try {
        if (what == Registry::residents) {
          auto r = read_resident(f);
          auto encoded = people::encode_resident(vault, r);
          if (!seen.insert(encoded.id_hash).second) {
            problem(line, header_of(cols, "id_number"), "公民身份号码在文件中重复",
                    "ID number repeated in the file");
            return;
          }
          checker.check(r);
        } else {
          auto h = read_household(f);
          people::check_household_fields(h);
          if (!seen.insert(h.household_no).second) {
            problem(line, header_of(cols, "household_no"), "户编号在文件中重复",
                    "household number repeated in the file");
            return;
          }
          checker.check(h);
        }
      } catch (const Error& e) {
        problem(line, header_of(cols, e.field()), e.message(Lang::zh), e.message(Lang::en));
      }
    });
  }
  if (!header) {
    std::string names;
    for (const auto& c : cols) {
      if (c.required) names += (names.empty() ? "" : "、") + std::string(c.header);
    }
    problem(1, "", "找不到表头：须包含 " + names + " 列",
            "no header row: the file needs the columns " + names);
  } else if (result.rows == 0) {
    problem(1, "", "文件中没有数据行", "the file holds no data rows");
  }
  if (!result.problems.empty()) return result;

  // Pass 2: apply every row in one transaction.
  db.transact([&](store::Tx& tx) {
    RegistryWriter writer(tx, vault, opts.changed_by, file.filename().string());
    bool past_header = false;
    int64_t applied = 0;
    for_each_row(file, [&](const sheets::Row& row, int64_t) {
      if (!past_header) {
        past_header = match_header(row, cols).has_value();
        return;
      }
      if (is_blank(row)) return;
      Fields f{row, *header};
      auto outcome = what == Registry::residents ? writer.apply(read_resident(f))
                                                 : writer.apply(read_household(f));
      switch (outcome) {
        case RegistryWriter::Outcome::unchanged:
          ++result.unchanged;
          break;
        case RegistryWriter::Outcome::inserted:
          ++result.inserted;
          break;
        case RegistryWriter::Outcome::updated:
          ++result.updated;
          break;
      }
      if (opts.on_applied) opts.on_applied(++applied, result.rows);
    });
    if (opts.before_commit) opts.before_commit(tx, result);
  });
  return result;
}

}  // namespace wangge::people
