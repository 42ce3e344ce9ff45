// Rule 4's name test (相近名称): when two clean names are close enough to be one field.
#include <algorithm>
#include <array>
#include <map>

#include "legacy/cluster.h"
#include "legacy/normalize.h"
#include "legacy/owner.h"

namespace wangge::legacy {
namespace {

// Endings that say the same thing: 走访时间 / 走访日期, 纠纷类型 / 纠纷类别.
constexpr std::array<std::array<std::u32string_view, 4>, 7> kEndingClasses{{
    {U"时间", U"日期", U"年月", U"时期"},
    {U"类别", U"类型", U"种类", U""},
    {U"情况", U"状况", U"状态", U""},
    {U"方式", U"形式", U"方法", U""},
    {U"人数", U"人口", U"人口数", U""},
    {U"地点", U"地址", U"所在地", U""},
    {U"名称", U"名", U"", U""},
}};

// Characters that make two otherwise equal names different fields.
constexpr std::array<std::u32string_view, 20> kOpposites{
    U"男女", U"城乡", U"城农", U"月年", U"年日", U"月日", U"上下", U"前后", U"出入", U"新旧",
    U"增减", U"收支", U"内外", U"已未", U"高低", U"父母", U"专兼", U"户人", U"起止", U"省县"};

// Words naming whose fact it is: 户主姓名 is not 姓名, 监护人电话 is not 电话.
constexpr std::array<std::u32string_view, 17> kQualifiers{
    U"户主",   U"监护人", U"父亲",   U"母亲",   U"父母",   U"配偶", U"子女", U"法人", U"负责人",
    U"联系人", U"帮扶",   U"申请人", U"当事人", U"网格员", U"本人", U"家庭", U"成员"};

// Modifiers that change the quantity: 月保障金额 is not 保障金额.
constexpr std::u32string_view kTimeWords = U"年月日季周";

// Ends a name with one of these and the field stays the same: 身份证号 / 身份证号码.
constexpr std::array<std::u32string_view, 4> kFillers{U"号码", U"码", U"的", U"名称"};

bool has(std::u32string_view s, std::u32string_view w) {
  return s.find(w) != std::u32string_view::npos;
}

bool blocked(const std::u32string& a, const std::u32string& b) {
  auto only_in = [](const std::u32string& x, const std::u32string& y, char32_t c) {
    return x.find(c) != std::u32string::npos && y.find(c) == std::u32string::npos;
  };
  for (char32_t c : a + b) {
    if (c >= U'0' && c <= U'9' && (only_in(a, b, c) || only_in(b, a, c))) return true;
  }
  for (auto pair : kOpposites) {
    char32_t x = pair[0], y = pair[1];
    if ((only_in(a, b, x) && only_in(b, a, y)) || (only_in(a, b, y) && only_in(b, a, x))) {
      return true;
    }
  }
  for (auto q : kQualifiers) {
    if (has(a, q) != has(b, q)) return true;
  }
  return false;
}

// Splits off an equivalent ending: (stem, class) with class -1 when none.
std::pair<std::u32string, int> split_ending(const std::u32string& s) {
  int best_class = -1;
  size_t best_len = 0;
  for (size_t k = 0; k < kEndingClasses.size(); ++k) {
    for (auto e : kEndingClasses[k]) {
      if (!e.empty() && e.size() > best_len && s.size() > e.size() && s.ends_with(e)) {
        best_class = static_cast<int>(k);
        best_len = e.size();
      }
    }
  }
  return {s.substr(0, s.size() - best_len), best_class};
}

// One character inserted anywhere (残疾证号 / 残疾人证号).
bool one_insertion(const std::u32string& shorter, const std::u32string& longer) {
  if (longer.size() != shorter.size() + 1) return false;
  size_t i = 0;
  while (i < shorter.size() && shorter[i] == longer[i]) ++i;
  return shorter.compare(i, std::u32string::npos, longer, i + 1, std::u32string::npos) == 0;
}

// Dice coefficient over the characters (as multisets).
double overlap(const std::u32string& a, const std::u32string& b) {
  std::map<char32_t, int> ca, cb;
  for (char32_t c : a) ++ca[c];
  for (char32_t c : b) ++cb[c];
  int common = 0;
  for (auto [c, n] : ca) common += std::min(n, cb.count(c) ? cb[c] : 0);
  return 2.0 * common / static_cast<double>(a.size() + b.size());
}

}  // namespace

bool similar_names(const std::string& left, const std::string& right, std::string* detail,
                   Confidence* confidence) {
  Confidence sure = Confidence::low;
  auto say = [&](std::string text) {
    if (detail) *detail = std::move(text);
    if (confidence) *confidence = sure;
    return true;
  };
  std::u32string a = to_u32(left), b = to_u32(right);
  if (a == b) return sure = Confidence::high, say("名称相同");
  // Whose fact and which level come first: no test below may cross them.
  NameSense sl = read_sense(left), sr = read_sense(right);
  if (sl.level != sr.level) return false;
  if (!sl.level.empty() && sl.owner != sr.owner) return false;  // 迁出地/县 is not 县
  if (!sl.level.empty()) return sure = Confidence::high, say("同一级区划（" + sl.level + "）");
  if (sl.owner != sr.owner) {
    // 调解人员 / 调解员: one role in other words; the same fact of it.
    if (!owners_compatible(sl.owner, sr.owner) ||
        read_sense(sl.fact).key != read_sense(sr.fact).key) {
      return false;
    }
    return say("同一角色（" + sl.owner + " / " + sr.owner + "）");
  }
  if (a.size() > b.size()) std::swap(a, b);
  if (a.size() < 2 || blocked(a, b)) return false;
  auto [stem_a, class_a] = split_ending(a);
  auto [stem_b, class_b] = split_ending(b);
  if (class_a >= 0 && class_a == class_b && stem_a.size() >= 2 &&
      (stem_a == stem_b || one_insertion(stem_a, stem_b) || one_insertion(stem_b, stem_a))) {
    sure = stem_a == stem_b ? Confidence::high : Confidence::low;
    return say("结尾同义（" + to_utf8(a.substr(stem_a.size())) + " / " +
               to_utf8(b.substr(stem_b.size())) + "）");
  }
  for (auto f : kFillers) {
    if (b.size() == a.size() + f.size() && b.starts_with(a) && b.ends_with(f)) {
      sure = Confidence::high;
      return say("多了结尾“" + to_utf8(f) + "”");
    }
  }
  // 调解员 / 调解员姓名: a person noun and its name.
  if (b == a + U"姓名" && (a.ends_with(U"人") || a.ends_with(U"员"))) {
    return say("多了结尾“姓名”");
  }
  if (a.size() >= 3 && one_insertion(a, b)) {
    size_t at = 0;
    while (at < a.size() && a[at] == b[at]) ++at;
    if (has(kTimeWords, std::u32string(1, b[at]))) return false;  // 保障金额 / 月保障金额
    return say("多一个字");
  }
  // 老人姓名, 党员姓名, 参保人姓名: the name of the person the form is about (names of other
  // people — 户主, 监护人, 网格员 — were blocked above).
  if (a == U"姓名" && b.ends_with(a) && b.size() <= 5) {
    return say("表中人员的姓名（" + to_utf8(b.substr(0, b.size() - 2)) + "）");
  }
  if (a.size() >= 4 && b.ends_with(a) && b.size() - a.size() <= 2 &&
      std::none_of(b.begin(), b.begin() + static_cast<long>(b.size() - a.size()),
                   [](char32_t c) { return has(kTimeWords, std::u32string(1, c)); })) {
    return say("前面多了修饰“" + to_utf8(b.substr(0, b.size() - a.size())) + "”");
  }
  if (a.size() >= 4 && class_a == class_b) {
    double o = overlap(stem_a.empty() ? a : stem_a, stem_b.empty() ? b : stem_b);
    if (o >= 0.75) return say("字符重合 " + std::to_string(o).substr(0, 4));
  }
  return false;
}

}  // namespace wangge::legacy
