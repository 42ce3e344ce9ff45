#include "legacy/normalize.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "legacy/owner.h"

namespace wangge::legacy {
namespace {

bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\v' || c == U'\f' ||
         c == 0xA0 || c == 0x3000 || c == 0x200B || c == 0xFEFF;
}

bool is_cn_numeral(char32_t c) {
  return std::u32string_view(U"一二三四五六七八九十").find(c) != std::u32string_view::npos;
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Drops 一、 1. 1、 (1) (一) ① at the start; keeps the text when nothing would remain.
std::u32string drop_numbering(std::u32string s) {
  size_t cut = 0;
  if (!s.empty() && s[0] >= 0x2460 && s[0] <= 0x249B) {
    cut = 1;  // ①..⑳, ⑴..⒇, ⒈..⒛
  } else if (!s.empty() && s[0] == U'(') {
    size_t i = 1;
    while (i < s.size() && (is_digit(s[i]) || is_cn_numeral(s[i]))) ++i;
    if (i > 1 && i < s.size() && s[i] == U')') cut = i + 1;
  } else {
    size_t i = 0;
    bool cn = !s.empty() && is_cn_numeral(s[0]);
    while (i < s.size() && (cn ? is_cn_numeral(s[i]) : is_digit(s[i]))) ++i;
    if (i > 0 && i < s.size()) {
      char32_t p = s[i];
      bool punct = p == U'、' || p == U'.' || p == U',' || p == U')';
      if (punct && !(i + 1 < s.size() && is_digit(s[i + 1]))) cut = i + 1;
    }
  }
  if (cut == 0 || cut >= s.size()) return s;
  return s.substr(cut);
}

constexpr std::array<std::u32string_view, 42> kUnits{
    U"人",    U"户",       U"元",       U"万元",     U"千元",  U"岁",   U"周岁", U"个",   U"次",
    U"件",    U"亩",       U"平方米",   U"m2",       U"㎡",    U"天",   U"日",   U"月",   U"年",
    U"元/月", U"元/人/月", U"元/人·月", U"元/年",    U"元/人", U"%",    U"名",   U"所",   U"处",
    U"间",    U"台",       U"辆",       U"公斤",     U"千克",  U"吨",   U"小时", U"公里", U"km",
    U"人次",  U"套",       U"栋",       U"元/人·年", U"万人",  U"元/户"};

bool is_unit(std::u32string_view s) {
  return std::find(kUnits.begin(), kUnits.end(), s) != kUnits.end();
}

// 村（社区）, 乡镇（街道）, 村（居）委会, 组（社）: the other kind of division the column also
// covers.
bool is_alternative_division(std::u32string_view s) {
  return !s.empty() && !division_level(to_utf8(s)).empty();
}

char32_t closing_of(char32_t c) {
  switch (c) {
    case U'(':
      return U')';
    case U'[':
      return U']';
    case U'【':
      return U'】';
    case U'〔':
      return U'〕';
    case U'〈':
      return U'〉';
    default:
      return 0;
  }
}

// "单位:元" → "元"; anything else unchanged.
std::u32string strip_unit_label(std::u32string s) {
  constexpr std::u32string_view label = U"单位:";
  if (s.starts_with(label)) s.erase(0, label.size());
  return s;
}

void trim_punct(std::u32string& s) {
  auto junk = [](char32_t c) {
    return c == U':' || c == U',' || c == U'.' || c == U';' || c == U'*' || c == U'※' ||
           c == U'★' || c == U'▲' || c == U'、' || c == U'。';
  };
  while (!s.empty() && junk(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && junk(s[i])) ++i;
  s.erase(0, i);
}

}  // namespace

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (int k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    }
    out += cp;
    i += n;
  }
  return out;
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t c : text) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string fold_width(std::string_view utf8) {
  std::u32string s = to_u32(utf8);
  for (char32_t& c : s) {
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
    if (c == 0x3000) c = U' ';
  }
  return to_utf8(s);
}

CleanName clean_header(std::string_view header) {
  std::u32string in = to_u32(fold_width(header));
  std::u32string s;
  for (char32_t c : in) {
    if (!is_space(c)) s += c;
  }
  trim_punct(s);
  s = drop_numbering(s);
  if (s.starts_with(U"其中:")) s.erase(0, 3);
  CleanName out;
  std::u32string name;
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t close = closing_of(s[i]);
    size_t end = close ? s.find(close, i + 1) : std::u32string::npos;
    if (end == std::u32string::npos) {
      name += s[i];
      continue;
    }
    std::u32string inner = strip_unit_label(s.substr(i + 1, end - i - 1));
    trim_punct(inner);
    if (is_alternative_division(inner)) {  // 村（社区）, 乡镇（街道）: part of the name
      name += U"(" + inner + U")";
      i = end;
      continue;
    }
    if (!inner.empty()) {
      if (is_unit(inner) && out.unit.empty()) {
        out.unit = to_utf8(inner);
      } else {
        out.remarks.push_back(to_utf8(inner));
      }
    }
    i = end;
  }
  // "金额单位:元" written without brackets.
  if (auto at = name.find(U"单位:"); at != std::u32string::npos && at > 0) {
    std::u32string unit = name.substr(at + 3);
    if (is_unit(unit) && out.unit.empty()) out.unit = to_utf8(unit);
    name.erase(at);
  }
  trim_punct(name);
  if (name.empty()) {
    name = to_u32(!out.remarks.empty() ? out.remarks.front() : out.unit);
  }
  out.name = to_utf8(name);
  return out;
}

bool is_row_number_header(std::string_view clean_name) {
  std::string n(clean_name);
  std::transform(n.begin(), n.end(), n.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return n == "序号" || n == "序" || n == "no" || n == "行号" || n == "序列号";
}

namespace {

// The levels of 统计用区划代码 below the prefecture, with the words clerks build their names
// from: 村（居）委会 is 村 + 居 + 委会, 所属社区 is 社区, 乡镇（街道）is 乡镇 + 街道. Plus the two
// levels below the village that forms also carry (村民小组 and 网格).
struct DivisionLevel {
  std::string_view canonical;
  std::vector<std::u32string_view> words;
};

const std::vector<DivisionLevel>& division_levels() {
  static const std::vector<DivisionLevel> levels{
      {"县(市、区)", {U"县", U"县区", U"区县", U"县市区", U"市区", U"区", U"市"}},
      {"乡镇(街道)",
       {U"乡", U"镇", U"乡镇", U"街道", U"街道办", U"街道办事处", U"办事处", U"民族乡"}},
      {"村(社区)",
       {U"村", U"社区", U"居", U"行政村", U"村庄", U"村委", U"居委", U"委", U"委会", U"委员会",
        U"村委会", U"居委会", U"村民委员会", U"居民委员会", U"社区居委会", U"村居"}},
      {"村民小组", {U"组", U"小组", U"村民小组", U"居民小组", U"村小组", U"社", U"组别"}},
      {"网格", {U"网格"}},
  };
  return levels;
}

// Whether `s` is made of the level's words only, with brackets and 、/ between them (longest
// word first at each place). "区" and "市" alone are not a county: 县 must be there.
bool made_of(std::u32string_view s, const DivisionLevel& level) {
  bool county = level.canonical.starts_with("县");
  bool has_county_word = false;
  size_t words = 0;
  for (size_t i = 0; i < s.size();) {
    if (std::u32string_view(U"()、/,和及或").find(s[i]) != std::u32string_view::npos) {
      ++i;
      continue;
    }
    size_t best = 0;
    for (auto w : level.words) {
      if (w.size() > best && s.substr(i).starts_with(w)) best = w.size();
    }
    if (best == 0) return false;
    has_county_word |= s.substr(i, best).find(U'县') != std::u32string_view::npos;
    i += best;
    ++words;
  }
  return words > 0 && (!county || has_county_word);
}

}  // namespace

std::string division_level(std::string_view clean_name) {
  std::u32string s = to_u32(clean_name);
  for (std::u32string_view p : {U"所属", U"所在", U"所辖", U"隶属", U"归属"}) {
    if (s.size() > p.size() && s.starts_with(p)) {
      s.erase(0, p.size());
      break;
    }
  }
  for (std::u32string_view x : {U"名称", U"全称", U"名"}) {
    if (s.size() > x.size() && s.ends_with(x)) {
      s.erase(s.size() - x.size());
      break;
    }
  }
  for (const DivisionLevel& level : division_levels()) {
    if (made_of(s, level)) return std::string(level.canonical);
  }
  return {};
}

const std::vector<std::vector<std::string_view>>& builtin_synonym_groups() {
  // Names clerks give the same fact; the first of each group is the canonical one.
  static const std::vector<std::vector<std::string_view>> groups{
      {"公民身份号码", "身份证号", "身份证号码", "身份证", "居民身份证号码", "居民身份证号",
       "身份号码", "公民身份证号码", "公民身份证号", "证件号码", "身份证件号码"},
      {"联系电话", "手机号码", "手机号", "电话", "联系方式", "电话号码", "手机", "联系电话号码",
       "移动电话"},
      {"出生日期", "出生年月", "出生年月日", "生日", "出生时间"},
      {"性别", "性別"},
      {"民族", "族别"},
      {"家庭住址", "现住址", "住址", "家庭地址", "居住地址", "现居住地址", "现居住地", "地址",
       "详细地址", "现住地址"},
      {"姓名", "名字", "人员姓名", "对象姓名"},
      {"年龄", "岁数", "周岁"},
      {"与户主关系", "与户主的关系", "家庭关系"},
      {"文化程度", "学历", "受教育程度"},
      {"健康状况", "身体状况", "健康状态"},
      {"婚姻状况", "婚姻状态"},
      {"户籍所在地", "户籍地", "户籍地址"},
      {"开户银行", "开户行", "开户银行名称"},
      {"银行卡号", "银行账号", "一卡通账号", "一卡通卡号", "卡号", "银行账户"},
      {"残疾证号", "残疾人证号", "残疾证号码", "残疾证编号", "残疾人证号码"},
      {"残疾类别", "残疾类型"},
      {"残疾等级", "残疾级别"},
      {"政治面貌", "政治身份"},
      {"备注", "说明"},
      {"户编号", "户号", "户籍编号", "户编码"},
      {"家庭人口", "家庭人口数", "家庭成员数", "户人口数", "家庭总人口", "家庭人数"},
      {"家庭年人均纯收入", "人均纯收入", "年人均纯收入", "家庭人均纯收入", "年人均收入"},
      {"困难残疾人生活补贴", "生活补贴", "残疾人生活补贴"},
      {"重度残疾人护理补贴", "护理补贴", "残疾人护理补贴"},
      {"月收入", "月工资", "月均收入", "月工资收入", "月平均收入"},
      {"入伍时间", "入伍年月", "入伍日期"},
      {"退役时间", "退伍时间", "退役年月", "退伍年月", "退役日期"},
      {"就读学校", "学校名称", "所在学校", "学校"},
      {"年级", "就读年级", "所在年级"},
      {"子女数", "子女个数", "子女人数", "现有子女数"},
      {"月保障金额", "月低保金", "月保障金", "每月低保金", "月低保金额"},
      {"网格员类型", "专兼职", "专职或兼职"},
      {"包保责任人", "包保干部", "包保人"},
  };
  return groups;
}

std::string builtin_canonical(std::string_view clean_name) {
  if (std::string level = division_level(clean_name); !level.empty()) return level;
  // Keyed by the clean form of each name, so the table can be written as clerks write.
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string, std::string>;
    for (const auto& g : builtin_synonym_groups()) {
      std::string canonical = clean_header(g.front()).name;
      for (auto n : g) m->emplace(clean_header(n).name, canonical);
    }
    return m;
  }();
  auto it = index->find(std::string(clean_name));
  return it == index->end() ? std::string(clean_name) : it->second;
}

std::string combine_header(std::string_view parent, std::string_view child) {
  static constexpr std::array<std::string_view, 8> kGroupingSuffixes{
      "基本信息", "基本情况", "信息", "情况", "资料", "方式", "概况", "明细"};
  if (parent.empty() || parent == "其中") return std::string(child);
  if (child == "其中") return std::string(parent);  // 其中 over 专职, 兼职: a level, not a name
  // A bracketed qualifier the parent kept ("当事人信息(申请方)") stays with the person.
  std::string_view bare = parent, bracket;
  if (auto open = parent.rfind('('); parent.ends_with(')') && open != std::string_view::npos &&
                                     open > 0 && parent.find('/', open) == std::string_view::npos) {
    bare = parent.substr(0, open);
    bracket = parent.substr(open);
  }
  for (auto suffix : kGroupingSuffixes) {
    if (!bare.ends_with(suffix)) continue;
    std::string_view qualifier = bare.substr(0, bare.size() - suffix.size());
    if (qualifier.ends_with("的")) qualifier.remove_suffix(std::string_view("的").size());
    // People other than the one a row describes: 监护人信息/姓名 is the guardian's name.
    if (!is_other_person(qualifier)) {
      return std::string(child);  // a grouping: 基本信息, 家庭成员情况, 服役情况
    }
    if (!bracket.empty()) {
      return std::string(qualifier) + std::string(bracket) + "/" + std::string(child);
    }
    if (child.starts_with(qualifier)) return std::string(child);
    return std::string(qualifier) + std::string(child);
  }
  if (child.starts_with(parent)) return std::string(child);
  return std::string(parent) + "/" + std::string(child);
}

}  // namespace wangge::legacy
