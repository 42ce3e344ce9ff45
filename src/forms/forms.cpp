#include "forms/forms.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/files.h"
#include "forms/dictionary_toml.h"

namespace wangge::forms {
namespace {

constexpr std::string_view kAggregates[] = {"count", "sum", "avg", "ratio", "percent"};
constexpr std::string_view kLevels[] = {"city", "county",     "township", "village",
                                        "grid", "micro_grid", "building", "child"};

bool valid_code(std::string_view c) {
  return !c.empty() && std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

Place place_of(const toml_in::TableReader& r, std::string_view key) {
  return {r.file(), key.empty() ? r.line() : r.line_of(key), r.path(key)};
}

void check_field(const toml_in::TableReader& r, std::string_view key, std::string_view entity,
                 const Field& f, FieldUse use, const FieldCheck& check) {
  if (!check) return;
  std::string why = check(entity, f, use);
  if (why.empty()) return;
  auto bar = why.find('|');
  std::string zh = why.substr(0, bar), en = bar == std::string::npos ? zh : why.substr(bar + 1);
  r.fail_at(key, "unsupported_field", zh, en);
}

Aggregate parse_aggregate(const toml_in::TableReader& r) {
  std::string a = r.str("aggregate", true);
  for (size_t i = 0; i < std::size(kAggregates); ++i) {
    if (kAggregates[i] == a) return static_cast<Aggregate>(i);
  }
  r.fail_at("aggregate", "invalid_aggregate", "应为 count、sum、avg、ratio 或 percent",
            "must be count, sum, avg, ratio or percent");
}

void read_base(const toml_in::TableReader& r, Indicator& ind, const Dictionary& dict,
               const FieldCheck& check) {
  ind.entity = r.str("entity", true);
  check_field(r, "entity", ind.entity, Field{}, FieldUse::entity, check);
  if (!r.str("numerator", false).empty() || !r.str("denominator", false).empty()) {
    r.fail_at("numerator", "unexpected_key", "只有 ratio / percent 指标有分子分母",
              "only ratio / percent indicators have a numerator and denominator");
  }
  if (std::string f = r.str("filter", false); !f.empty()) {
    ind.filter = parse_filter(f, dict, place_of(r, "filter"));
    for (const Field* used : fields_of(*ind.filter))
      check_field(r, "filter", ind.entity, *used, FieldUse::filter, check);
  }
  std::string field = r.str("field", ind.aggregate != Aggregate::count);
  if (!field.empty()) {
    if (ind.aggregate == Aggregate::count) {
      r.fail_at("field", "unexpected_key", "count 指标不需要 field", "count takes no field");
    }
    ind.field = dict.resolve(field);
    if (!ind.field) {
      r.fail_at("field", "unknown_field", "数据字典中没有字段 “" + field + "”",
                "no field '" + field + "' in the dictionary");
    }
    if (ind.field->type != FieldType::integer && ind.field->type != FieldType::decimal) {
      r.fail_at("field", "not_numeric", "求和、平均的字段须为数值",
                "sum / avg need a numeric field");
    }
    check_field(r, "field", ind.entity, *ind.field, FieldUse::value, check);
  }
  if (std::string p = r.str("period", false); !p.empty()) {
    ind.period = dict.resolve(p);
    if (!ind.period || ind.period->type != FieldType::date) {
      r.fail_at("period", "invalid_period", "报告期字段须为数据字典中的日期字段",
                "period must name a date field of the dictionary");
    }
    check_field(r, "period", ind.entity, *ind.period, FieldUse::filter, check);
  }
}

void read_derived(const toml_in::TableReader& r, Indicator& ind, const Form& form) {
  for (const char* k : {"entity", "filter", "field", "period"}) {
    if (!r.str(k, false).empty()) {
      r.fail_at(
          k, "unexpected_key", "ratio / percent 指标由其他指标计算，不能有此项",
          "ratio / percent indicators are computed from others and take no " + std::string(k));
    }
  }
  ind.numerator = r.str("numerator", true);
  ind.denominator = r.str("denominator", true);
  auto find = [&](const std::string& code, const char* key) {
    for (size_t i = 0; i < form.indicators.size(); ++i) {
      if (form.indicators[i].code == code) return static_cast<int>(i);
    }
    r.fail_at(key, "unknown_indicator", "前面没有编码为 “" + code + "” 的指标",
              "no earlier indicator has the code '" + code + "'");
  };
  ind.numerator_index = find(ind.numerator, "numerator");
  ind.denominator_index = find(ind.denominator, "denominator");
}

Indicator read_indicator(const toml_in::TableReader& r, const Form& form, const Dictionary& dict,
                         const FieldCheck& check) {
  r.only({"code", "name", "name_en", "group", "group_en", "unit", "entity", "aggregate", "field",
          "filter", "numerator", "denominator", "decimals", "period"});
  Indicator ind;
  ind.place = place_of(r, "");
  ind.code = r.str("code", true);
  if (!valid_code(ind.code)) {
    r.fail_at("code", "invalid_code", "编码只能含小写字母、数字和下划线",
              "a code may hold only a-z, 0-9 and '_'");
  }
  for (const auto& other : form.indicators) {
    if (other.code == ind.code)
      r.fail_at("code", "duplicate_code", "指标编码重复", "duplicate code");
  }
  ind.name = r.str("name", true);
  ind.group = r.str("group", false);
  ind.name_en = r.str("name_en", false);
  ind.group_en = r.str("group_en", false);
  ind.unit = r.str("unit", false);
  ind.aggregate = parse_aggregate(r);
  bool derived = ind.aggregate == Aggregate::ratio || ind.aggregate == Aggregate::percent;
  if (derived) {
    read_derived(r, ind, form);
  } else {
    read_base(r, ind, dict, check);
  }
  ind.decimals = derived || ind.aggregate == Aggregate::avg ? 2 : 0;
  if (auto d = r.number("decimals")) {
    if (*d < 0 || *d > 6 || *d != static_cast<int>(*d)) {
      r.fail_at("decimals", "invalid_decimals", "应为 0 到 6 的整数", "must be an integer 0–6");
    }
    ind.decimals = static_cast<int>(*d);
  }
  return ind;
}

// kind = "roster": the entity, the filter and the [[column]]s.
void read_roster(const toml_in::TableReader& top, Form& form, const Dictionary& dict,
                 const FieldCheck& check) {
  if (!form.level.empty()) {
    top.fail_at("level", "unexpected_key", "名册的行是记录，不按层级",
                "a roster's rows are records");
  }
  if (!top.tables("indicator").empty()) {
    top.fail_at("indicator", "unexpected_key", "名册只有 [[column]]，没有 [[indicator]]",
                "a roster has [[column]]s, not [[indicator]]s");
  }
  form.entity = top.str("entity", true);
  check_field(top, "entity", form.entity, Field{}, FieldUse::entity, check);
  if (std::string f = top.str("filter", false); !f.empty()) {
    form.filter = parse_filter(f, dict, place_of(top, "filter"));
    for (const Field* used : fields_of(*form.filter))
      check_field(top, "filter", form.entity, *used, FieldUse::filter, check);
  }
  auto tables = top.tables("column");
  if (tables.empty())
    top.fail_at("column", "missing", "至少要有一个 [[column]]", "needs a [[column]]");
  for (size_t i = 0; i < tables.size(); ++i) {
    toml_in::TableReader r(*tables[i], top.file(), "column[" + std::to_string(i + 1) + "]");
    r.only({"field", "name", "name_en"});
    RosterColumn c;
    c.place = place_of(r, "");
    std::string field = r.str("field", true);
    c.field = dict.resolve(field);
    if (!c.field) {
      r.fail_at("field", "unknown_field", "数据字典中没有字段 “" + field + "”",
                "no field '" + field + "' in the dictionary");
    }
    check_field(r, "field", form.entity, *c.field, FieldUse::column, check);
    c.name = r.str("name", false);
    if (c.name.empty()) c.name = c.field->name;
    c.name_en = r.str("name_en", false);
    form.columns.push_back(std::move(c));
  }
}

}  // namespace

void fail_at(const Place& at, std::string_view code, std::string_view zh, std::string_view en) {
  toml_in::fail(code, at.file, at.line, at.key, zh, en);
}

std::string_view to_string(Aggregate a) { return kAggregates[static_cast<int>(a)]; }

Form parse_form(std::string_view toml_text, std::string_view file, const Dictionary& dict,
                const FieldCheck& check) {
  toml::table root = toml_in::parse(toml_text, file);
  toml_in::TableReader top(root, std::string(file), "");
  top.only({"code", "title", "title_en", "department", "description", "level", "kind", "entity",
            "filter", "indicator", "column"});
  Form form;
  form.code = std::filesystem::path(std::string(file)).stem().string();
  if (std::string c = top.str("code", false); !c.empty() && c != form.code) {
    top.fail_at("code", "code_mismatch", "编码须与文件名一致（" + form.code + "）",
                "code must match the file name (" + form.code + ")");
  }
  form.title = top.str("title", true);
  form.title_en = top.str("title_en", false);
  form.department = top.str("department", false);
  form.description = top.str("description", false);
  form.level = top.str("level", false);
  if (!form.level.empty() &&
      std::find(std::begin(kLevels), std::end(kLevels), form.level) == std::end(kLevels)) {
    top.fail_at("level", "invalid_level",
                "应为 county、township、village、grid、micro_grid、building 或 child",
                "must be county, township, village, grid, micro_grid, building or child");
  }
  if (std::string kind = top.str("kind", false); kind == "roster") {
    form.kind = FormKind::roster;
    read_roster(top, form, dict, check);
    form.source = std::string(toml_text);
    return form;
  } else if (!kind.empty() && kind != "summary") {
    top.fail_at("kind", "invalid_kind", "应为 summary（统计表）或 roster（名册）",
                "must be summary or roster");
  }
  for (const char* k : {"entity", "filter", "column"}) {
    if (std::string_view(k) == "column" ? !top.tables(k).empty() : !top.str(k, false).empty())
      top.fail_at(k, "unexpected_key", "只有名册（kind = \"roster\"）有此项",
                  "only a roster (kind = \"roster\") takes " + std::string(k));
  }
  auto tables = top.tables("indicator");
  if (tables.empty()) {
    top.fail_at("indicator", "missing", "至少要有一个 [[indicator]]", "needs an [[indicator]]");
  }
  for (size_t i = 0; i < tables.size(); ++i) {
    toml_in::TableReader r(*tables[i], std::string(file),
                           "indicator[" + std::to_string(i + 1) + "]");
    form.indicators.push_back(read_indicator(r, form, dict, check));
  }
  form.source = std::string(toml_text);
  return form;
}

FormSet FormSet::load(const std::filesystem::path& dir, const Dictionary& dict,
                      const FieldCheck& check) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".toml") files.push_back(e.path());
  }
  if (ec) {
    throw Error(ErrorKind::unavailable, "io_error", "无法读取报表目录 " + dir.string(),
                "cannot read the forms folder " + dir.string());
  }
  std::sort(files.begin(), files.end());
  FormSet set;
  for (const auto& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    auto form = std::make_shared<Form>(parse_form(s.str(), p.filename().string(), dict, check));
    set.forms_[form->code] = std::move(form);
  }
  return set;
}

std::filesystem::path FormSet::shipped_dir() {
  auto d = Dictionary::shipped_dir();
  if (d.empty()) return {};
  return d.parent_path() / "forms";
}

const Form* FormSet::find(std::string_view code) const {
  auto it = forms_.find(code);
  return it == forms_.end() ? nullptr : it->second.get();
}

std::vector<const Form*> FormSet::all() const {
  std::vector<const Form*> out;
  for (const auto& [code, f] : forms_) out.push_back(f.get());
  return out;
}

const Form& FormSet::put(std::string_view code, std::string_view toml_text, const Dictionary& dict,
                         const FieldCheck& check, const std::filesystem::path& dir) {
  if (!valid_code(code)) {
    throw_bad_input("invalid_code", "报表编码只能含小写字母、数字和下划线",
                    "a form code may hold only a-z, 0-9 and '_'", "code");
  }
  std::string file = std::string(code) + ".toml";
  auto form = std::make_shared<Form>(parse_form(toml_text, file, dict, check));
  // A console edit answered 2xx must survive a power cut (core/files.h).
  if (!dir.empty()) write_file_durably(dir / file, toml_text);
  auto& slot = forms_[std::string(code)];
  slot = std::move(form);
  return *slot;
}

}  // namespace wangge::forms
