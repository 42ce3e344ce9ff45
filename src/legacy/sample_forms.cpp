#include "legacy/sample_forms.h"

#include <fmt/format.h>

#include <array>
#include <map>

#include "core/codes.h"
#include "core/error.h"
#include "legacy/normalize.h"
#include "legacy/sample_catalog.h"
#include "sheets/csv.h"
#include "sheets/xlsx_writer.h"

namespace wangge::legacy {
namespace {

using samples::Format;

// splitmix64: the same numbers on every platform, unlike <random>'s distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  template <class V>
  const auto& pick(const V& v) {
    return v[next() % v.size()];
  }

 private:
  uint64_t s_;
};

uint64_t hash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      if (i > start) out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

struct Col {
  std::string parent, header, field;
};

// "a=x;p{b=y;c=z}" → columns with their parents.
std::vector<Col> parse_columns(std::string_view spec) {
  std::vector<Col> out;
  std::string parent;
  for (std::string item : split(spec, ';')) {
    if (auto brace = item.find('{'); brace != std::string::npos) {
      parent = item.substr(0, brace);
      item = item.substr(brace + 1);
    }
    bool closes = !item.empty() && item.back() == '}';
    if (closes) item.pop_back();
    auto eq = item.find('=');
    out.push_back({parent, item.substr(0, eq), item.substr(eq + 1)});
    if (closes) parent.clear();
  }
  return out;
}

constexpr std::array<std::string_view, 13> kTownships{
    "文屏镇", "砚池街道", "龙头山镇", "水磨镇", "小寨镇",     "江底镇",    "火德红镇",
    "龙树镇", "新街镇",   "梭山镇",   "乐红镇", "桃源回族乡", "茨院回族乡"};
constexpr std::array<std::string_view, 12> kVillages{"龙泉村", "雨露社区", "砚池社区", "光明村",
                                                     "沙坝村", "骡马口村", "翠屏村",   "龙井村",
                                                     "新街村", "桃源村",   "茨院村",   "乐红村"};
constexpr std::array<std::string_view, 28> kSurnames{
    "张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴", "马", "朱", "胡", "郭",
    "何", "罗", "高", "林", "孔", "沈", "徐", "孙", "唐", "蒋", "陶", "鲁", "彭", "丁"};
constexpr std::array<std::string_view, 24> kGiven{
    "国华", "建国", "秀英", "桂芬", "明", "勇",   "丽",   "志强", "兴",   "春梅", "正荣", "发",
    "学文", "玉兰", "德",   "开友", "顺", "家福", "永红", "小芳", "光荣", "世平", "天才", "梅"};

// Values of one form: dates are written the way that form's clerk writes them.
class Values {
 public:
  Values(Rng& rng, int date_style) : rng_(rng), style_(date_style) {}

  sheets::Cell make(std::string_view gen) {
    auto parts = split(gen, ':');
    const std::string& kind = parts[0];
    if (kind == "int" || kind == "age") {
      return sheets::Cell::number(
          static_cast<double>(rng_.between(std::stoll(parts[1]), std::stoll(parts[2]))));
    }
    if (kind == "enum" || kind == "text") {
      auto options = split(parts[1], '|');
      const std::string& v = rng_.pick(options);
      bool numeric = std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
      return numeric ? sheets::Cell::number(std::stod(v)) : sheets::Cell(v);
    }
    return sheets::Cell(text(kind));
  }

 private:
  std::string text(const std::string& kind) {
    if (kind == "name") return std::string(rng_.pick(kSurnames)) + std::string(rng_.pick(kGiven));
    if (kind == "sex") return rng_.between(0, 1) ? "男" : "女";
    if (kind == "eth") {
      static const std::array<std::string_view, 6> e{"汉族", "汉族", "汉族",
                                                     "彝族", "回族", "苗族"};
      return std::string(rng_.pick(e));
    }
    if (kind == "id") return id_number(false);
    if (kind == "discert")
      return id_number(true) + fmt::format("{}{}", rng_.between(1, 7), rng_.between(1, 4));
    if (kind == "phone") {
      return fmt::format("1{}{:09d}", rng_.pick(std::array{3, 5, 8, 9}),
                         rng_.between(0, 999999999));
    }
    if (kind == "birth") return date(rng_.between(1935, 2015), true);
    if (kind == "recent") return date(rng_.between(2023, 2025), false);
    if (kind == "town") return std::string(rng_.pick(kTownships));
    if (kind == "village") return std::string(rng_.pick(kVillages));
    if (kind == "grid") return fmt::format("{}第{}网格", rng_.pick(kVillages), rng_.between(1, 9));
    if (kind == "group") return fmt::format("{}组", rng_.between(1, 12));
    if (kind == "addr") {
      return fmt::format("鲁甸县{}{}{}组{}号", rng_.pick(kTownships), rng_.pick(kVillages),
                         rng_.between(1, 12), rng_.between(1, 80));
    }
    if (kind == "bank") return fmt::format("6228{:015d}", rng_.between(0, 999999999999999));
    if (kind == "remark") {
      static const std::array<std::string_view, 10> r{
          "", "", "", "", "", "", "外出务工", "已走访", "新纳入", "户籍迁出"};
      return std::string(rng_.pick(r));
    }
    return "?";
  }

  std::string id_number(bool no_x) {
    for (;;) {
      std::string first17 = fmt::format(
          "{}{:04d}{:02d}{:02d}{:03d}", rng_.pick(std::array{"530621", "530602", "530622"}),
          rng_.between(1935, 2018), rng_.between(1, 12), rng_.between(1, 28), rng_.between(1, 999));
      char check = citizen_id::check_char(first17);
      if (!no_x || check != 'X') return first17 + check;
    }
  }

  std::string date(int64_t year, bool birth) {
    int64_t m = rng_.between(1, 12), d = rng_.between(1, 28);
    switch (style_) {
      case 0:
        return fmt::format("{}-{:02d}-{:02d}", year, m, d);
      case 1:
        return birth ? fmt::format("{}.{:02d}", year, m)
                     : fmt::format("{}.{:02d}.{:02d}", year, m, d);
      case 2:
        return fmt::format("{}年{}月{}日", year, m, d);
      default:
        return fmt::format("{}/{}/{}", year, m, d);
    }
  }

  Rng& rng_;
  int style_;
};

bool is_cjk_pair(std::string_view s) { return to_u32(s).size() == 2 && s.size() == 6; }

// The header as this form's clerk writes it.
std::string decorate(const std::string& header, unsigned style) {
  std::string h = header;
  if ((style & samples::kSpaced) && is_cjk_pair(h)) h = h.substr(0, 3) + "  " + h.substr(3);
  if (style & samples::kHalfWidth) {
    for (auto [from, to] : {std::pair{"（", "("}, {"）", ")"}, {"：", ":"}}) {
      for (size_t at; (at = h.find(from)) != std::string::npos;) h.replace(at, 3, to);
    }
  }
  if (style & samples::kFullWidth) {
    std::u32string u = to_u32(h);
    for (char32_t& c : u) {
      if (c >= U'0' && c <= U'9') c = c - U'0' + 0xFF10;
    }
    h = to_utf8(u);
  }
  if ((style & samples::kWrap) && to_u32(h).size() >= 6 && h.find('(') == std::string::npos &&
      h.find("（") == std::string::npos) {
    std::u32string u = to_u32(h);
    h = to_utf8(u.substr(0, u.size() / 2)) + "\n" + to_utf8(u.substr(u.size() / 2));
  }
  return h;
}

const std::map<std::string, std::string>& gens() {
  static const auto* m = [] {
    auto* out = new std::map<std::string, std::string>;
    for (const auto& f : samples::field_specs()) out->emplace(f.code, f.gen);
    return out;
  }();
  return *m;
}

}  // namespace

namespace {

void put(sheets::Sheet& s, int r, int c, sheets::Cell v) {
  if (static_cast<int>(s.rows.size()) <= r) s.rows.resize(r + 1);
  sheets::Row& row = s.rows[r];
  if (static_cast<int>(row.size()) <= c) row.resize(c + 1);
  row[c] = std::move(v);
}

void merge(sheets::Sheet& s, sheets::CellRange range) {
  if (range.first_row != range.last_row || range.first_col != range.last_col) {
    s.merges.push_back(range);
  }
}

struct Built {
  sheets::Sheet sheet;
  std::vector<SampleColumn> truth;
};

// Lays one form out: title, meta, header (one or two rows), data, totals, notes, signers.
Built build(const samples::FormSpec& spec, int form_index, uint64_t seed) {
  Built out;
  sheets::Sheet& s = out.sheet;
  s.name = "Sheet1";
  const unsigned st = spec.style;
  const auto cols = parse_columns(spec.columns);
  const int first = (st & samples::kSerial) ? 1 : 0;
  const int width = first + static_cast<int>(cols.size());
  const bool two_rows =
      std::any_of(cols.begin(), cols.end(), [](const Col& c) { return !c.parent.empty(); });
  Rng rng(seed ^ hash(spec.file));
  int r = 0;
  put(s, r, 0, std::string(spec.title));
  merge(s, {r, 0, r, width - 1});
  ++r;
  if (st & samples::kMeta) {
    put(s, r, 0, fmt::format("填报单位：鲁甸县{}（盖章）", rng.pick(kTownships)));
    put(s, r, std::max(1, width - 3), "填报时间：2024年  月  日");
    ++r;
  }
  const int h = r, depth = two_rows ? 2 : 1;
  auto header_cell = [&](int c, const std::string& text) {
    put(s, h, c, decorate(text, st));
    if (two_rows) merge(s, {h, c, h + 1, c});
  };
  if (first) header_cell(0, "序号");
  for (size_t i = 0; i < cols.size(); ++i) {
    int c = first + static_cast<int>(i);
    const Col& col = cols[i];
    std::string raw = col.header;
    if (col.parent.empty()) {
      header_cell(c, col.header);
    } else {
      if (i == 0 || cols[i - 1].parent != col.parent) {
        size_t span = 0;
        while (i + span < cols.size() && cols[i + span].parent == col.parent) ++span;
        put(s, h, c, decorate(col.parent, st));
        merge(s, {h, c, h, c + static_cast<int>(span) - 1});
      }
      put(s, h + 1, c, decorate(col.header, st));
      raw = col.parent + "/" + col.header;
    }
    out.truth.push_back({std::string(spec.file), c, raw, col.field});
  }
  r = h + depth;
  if (st & samples::kColNumbers) {
    for (int c = 0; c < width; ++c) put(s, r, c, sheets::Cell::number(c + 1));
    ++r;
  }
  Values values(rng, form_index % 4);
  std::vector<double> sums(width, 0);
  std::vector<bool> summable(width, false);
  for (int i = 0; i < spec.rows; ++i, ++r) {
    if (first) put(s, r, 0, sheets::Cell::number(i + 1));
    for (size_t k = 0; k < cols.size(); ++k) {
      int c = first + static_cast<int>(k);
      const std::string& gen = gens().at(cols[k].field);
      sheets::Cell v = values.make(gen);
      if (v.is_number() && gen.starts_with("int") && !cols[k].field.ends_with(".no")) {
        sums[c] += v.value();
        summable[c] = true;
      }
      put(s, r, c, std::move(v));
    }
  }
  if (st & samples::kTotals) {
    put(s, r, 0, "合计");
    for (int c = 1; c < width; ++c) {
      if (summable[c]) put(s, r, c, sheets::Cell::number(sums[c]));
    }
    ++r;
  }
  if (st & samples::kNotes) {
    for (std::string_view note :
         {"填表说明：1.本表由村（社区）填报，乡镇（街道）审核汇总后报县级主管部门；",
          "2.身份证号码须填写18位，日期按“年月日”填写；", "3.金额单位为元，人数单位为人。"}) {
      put(s, r, 0, std::string(note));
      merge(s, {r, 0, r, width - 1});
      ++r;
    }
  }
  if (st & samples::kSigners) {
    put(s, r, 0, "填报人：");
    put(s, r, std::min(width - 1, 3), "审核人：");
    if (width > 5) put(s, r, width - 2, "联系电话：");
    ++r;
  }
  return out;
}

void write(const std::filesystem::path& path, const samples::FormSpec& spec,
           const sheets::Sheet& sheet) {
  if (spec.format == Format::xlsx) {
    sheets::XlsxTableOptions o;
    o.bold_header = false;
    o.freeze_header = false;
    sheets::write_xlsx(path, sheet, o);
    return;
  }
  sheets::CsvWriteOptions o;
  o.utf8_bom = spec.format == Format::csv_bom;
  o.excel_text_guard = spec.format == Format::csv_bom;
  o.encoding = spec.format == Format::csv_gb18030 ? sheets::TextEncoding::gb18030
                                                  : sheets::TextEncoding::utf8;
  sheets::write_csv(path, sheet, o);
}

}  // namespace

int sample_form_count() { return static_cast<int>(samples::form_specs().size()); }

SampleSet write_sample_forms(const std::filesystem::path& dir, uint64_t seed) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw Error(ErrorKind::unavailable, "io_error", "无法创建文件夹 " + dir.string(),
                "cannot create " + dir.string());
  }
  SampleSet set;
  const auto& specs = samples::form_specs();
  for (size_t i = 0; i < specs.size(); ++i) {
    Built b = build(specs[i], static_cast<int>(i), seed);
    write(dir / std::string(specs[i].file), specs[i], b.sheet);
    set.files.emplace_back(specs[i].file);
    for (auto& t : b.truth) set.truth.push_back(std::move(t));
  }
  return set;
}

}  // namespace wangge::legacy
