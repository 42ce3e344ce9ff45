#include "legacy/scoring.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "sheets/csv.h"

namespace wangge::legacy::scoring {
namespace {

using Truth = std::map<std::pair<std::string, int>, std::string>;

Truth truth_map(const std::vector<SampleColumn>& truth) {
  Truth out;
  for (const auto& t : truth) out[{t.file, t.column}] = t.field;
  return out;
}

}  // namespace

Score score(const Analysis& a, const std::vector<SampleColumn>& truth_list) {
  Truth truth = truth_map(truth_list);
  std::vector<std::string> field(a.columns.size());
  for (size_t c = 0; c < a.columns.size(); ++c) {
    auto it = truth.find({a.forms[a.columns[c].form].file, a.columns[c].index});
    field[c] = it == truth.end() ? "?" + std::to_string(c) : it->second;  // "?": never right
  }
  Score s;
  std::map<std::string, int64_t> per_field;
  for (const auto& [k, f] : truth) ++per_field[f];
  for (const auto& [f, n] : per_field) s.true_pairs += n * (n - 1) / 2;
  for (const auto& k : a.clusters) {
    for (size_t i = 0; i < k.columns.size(); ++i) {
      for (size_t j = i + 1; j < k.columns.size(); ++j) {
        ++s.predicted_pairs;
        s.right_pairs += field[k.columns[i]] == field[k.columns[j]];
      }
    }
  }
  s.precision = s.predicted_pairs ? double(s.right_pairs) / double(s.predicted_pairs) : 1.0;
  s.recall = s.true_pairs ? double(s.right_pairs) / double(s.true_pairs) : 1.0;
  return s;
}

void print(std::string_view what, const Analysis& a, const Score& s) {
  fmt::print(
      "{:<44} fields {:>3}  precision {:.3f}  recall {:.3f}  ({} of {} true pairs, {} "
      "proposed)\n",
      what, a.clusters.size(), s.precision, s.recall, s.right_pairs, s.true_pairs,
      s.predicted_pairs);
}

void explain(const Analysis& a, const std::vector<SampleColumn>& truth_list) {
  Truth truth = truth_map(truth_list);
  auto field_of = [&](size_t c) {
    auto it = truth.find({a.forms[a.columns[c].form].file, a.columns[c].index});
    return it == truth.end() ? std::string("(not in the answers)") : it->second;
  };
  std::map<std::string, std::map<int, std::set<std::string>>> split;  // field → cluster → names
  for (size_t c = 0; c < a.columns.size(); ++c) {
    split[field_of(c)][a.cluster_of[c]].insert(a.columns[c].name);
  }
  for (const auto& [f, parts] : split) {
    if (parts.size() < 2) continue;
    std::string line;
    for (const auto& [k, names] : parts) {
      line += " |";
      for (const auto& n : names) line += " " + n;
    }
    fmt::print("  left split  {:<28}{}\n", f, line);
  }
  for (const auto& k : a.clusters) {
    std::set<std::string> fields;
    for (int c : k.columns) fields.insert(field_of(static_cast<size_t>(c)));
    if (fields.size() < 2) continue;
    std::string line;
    for (const auto& f : fields) line += " " + f;
    fmt::print("  wrong merge 【{}】:{}\n", k.name, line);
  }
}

std::vector<SampleColumn> read_answers(const std::filesystem::path& file) {
  sheets::Sheet sheet = sheets::read_csv(file);
  if (sheet.rows.empty()) throw std::runtime_error(file.string() + ": empty");
  std::map<std::string, size_t> at;
  for (size_t c = 0; c < sheet.rows[0].size(); ++c) at[sheet.cell(0, c).text()] = c;
  for (const char* need : {"file", "column", "header", "field"}) {
    if (!at.count(need)) {
      throw std::runtime_error(file.string() + ": the header row lacks \"" + need + "\"");
    }
  }
  std::vector<SampleColumn> out;
  for (size_t r = 1; r < sheet.rows.size(); ++r) {
    SampleColumn t;
    t.file = sheet.cell(r, at["file"]).text();
    std::string column = sheet.cell(r, at["column"]).text();
    t.header = sheet.cell(r, at["header"]).text();
    t.field = sheet.cell(r, at["field"]).text();
    if (t.file.empty() && column.empty() && t.field.empty()) continue;  // a blank line
    bool number = !column.empty() && std::all_of(column.begin(), column.end(),
                                                 [](char ch) { return ch >= '0' && ch <= '9'; });
    if (t.file.empty() || t.field.empty() || !number) {
      throw std::runtime_error(fmt::format(
          "{} line {}: needs file, a zero-based column and a field", file.string(), r + 1));
    }
    t.column = std::stoi(column);
    out.push_back(std::move(t));
  }
  return out;
}

Analysis analyze_heldout(const std::filesystem::path& dir, const forms::Dictionary* dictionary) {
  std::vector<Unreadable> bad;
  auto forms = read_forms(dir, &bad);
  std::erase_if(forms, [](const LegacyForm& f) { return f.file == "answers.csv"; });
  Analysis a = analyze(std::move(forms), dictionary);
  std::erase_if(bad, [](const Unreadable& u) { return u.file == "answers.csv"; });
  a.unreadable = std::move(bad);
  return a;
}

}  // namespace wangge::legacy::scoring
