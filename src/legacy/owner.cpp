#include "legacy/owner.h"

#include <algorithm>
#include <array>

#include "legacy/normalize.h"

namespace wangge::legacy {
namespace {

// Kin, household roles and posts: always someone beside the row's person (老人子女 too).
constexpr std::array<std::u32string_view, 38> kAlwaysOther{
    U"户主",     U"父亲",       U"母亲",   U"父母",   U"配偶",     U"子女", U"儿子",   U"女儿",
    U"儿女",     U"丈夫",       U"妻子",   U"家属",   U"亲属",     U"祖父", U"祖母",   U"祖父母",
    U"外祖父",   U"外祖母",     U"爷爷",   U"奶奶",   U"兄弟姐妹", U"家长", U"监护人", U"法人",
    U"法人代表", U"法定代表人", U"网格长", U"楼栋长", U"单元长",   U"组长", U"村长",   U"户长",
    U"队长",     U"站长",       U"所长",   U"院长",   U"校长",     U"社长"};

// How words for people end: 监护人, 网格员, 包保干部, 挂联领导, 驻村第一书记 …
constexpr std::array<std::u32string_view, 9> kPersonEndings{
    U"人", U"员", U"干部", U"领导", U"书记", U"主任", U"民警", U"医生", U"老师"};

// What another person does for or about the row's person: a word ending like a person that
// holds one of these is that other person (帮扶人员, 调解员, 结对关爱人, 工作人员).
constexpr std::array<std::u32string_view, 37> kActs{
    U"监护", U"联系", U"帮扶", U"包保", U"包联", U"挂包", U"挂钩", U"挂联", U"结对", U"关爱",
    U"调解", U"走访", U"负责", U"责任", U"经办", U"管控", U"稳控", U"监管", U"管护", U"照料",
    U"照护", U"看护", U"陪护", U"赡养", U"抚养", U"扶养", U"代理", U"委托", U"担保", U"介绍",
    U"审核", U"填报", U"网格", U"工作", U"驻村", U"包村", U"联络"};

// The row's own person, named by what the form is about: 老人姓名 is the elder's name.
constexpr std::array<std::u32string_view, 16> kOwnEndings{
    U"老人", U"老年人", U"本人",   U"个人",   U"人员",   U"成员", U"党员", U"残疾人",
    U"军人", U"病人",   U"参保人", U"领取人", U"户籍人", U"居民", U"学员", U"职工"};

// Facts of a person that a role before them owns: 监护人联系电话, 户主身份证号, 帮扶人单位.
constexpr std::array<std::string_view, 13> kPersonalCanonicals{
    "姓名",     "联系电话", "公民身份号码", "性别",     "出生日期", "年龄",      "民族",
    "家庭住址", "文化程度", "政治面貌",     "健康状况", "婚姻状况", "户籍所在地"};
constexpr std::array<std::string_view, 10> kPersonalExtra{
    "工作单位", "单位",   "所在单位", "职务", "职业",
    "务工地点", "务工地", "工作地点", "签字", "签名"};

bool ends_with_any(std::u32string_view w, auto const& list) {
  return std::any_of(list.begin(), list.end(), [&](auto e) { return w.ends_with(e); });
}

bool contains_any(std::u32string_view w, auto const& list) {
  return std::any_of(list.begin(), list.end(),
                     [&](auto e) { return w.find(e) != std::u32string_view::npos; });
}

enum class Person { none, own, other };

Person person_kind(std::u32string_view w) {
  if (w.empty() || w.starts_with(U"与") || w.starts_with(U"和")) return Person::none;
  if (ends_with_any(w, kAlwaysOther)) return Person::other;
  if (!ends_with_any(w, kPersonEndings)) return Person::none;
  if (contains_any(w, kActs)) return Person::other;
  if (w == U"人" || ends_with_any(w, kOwnEndings)) return Person::own;
  return Person::other;
}

bool personal_fact(const std::string& fact) {
  std::string c = builtin_canonical(fact);
  return std::find(kPersonalCanonicals.begin(), kPersonalCanonicals.end(), c) !=
             kPersonalCanonicals.end() ||
         std::find(kPersonalExtra.begin(), kPersonalExtra.end(), fact) != kPersonalExtra.end();
}

// The built-in canonical name; for "parent/child" the child's when only the child is known
// (补贴标准/生活补贴 is 困难残疾人生活补贴).
std::string canonical_fact(const std::string& fact) {
  std::string canonical = builtin_canonical(fact);
  auto slash = fact.rfind('/');
  if (canonical != fact || slash == std::string::npos) return canonical;
  std::string child = fact.substr(slash + 1);
  std::string child_canonical = builtin_canonical(child);
  return child_canonical != child ? child_canonical : canonical;
}

NameSense make(const std::string& owner, std::string fact, std::string_view whole) {
  NameSense s;
  s.level = division_level(whole);
  s.owner = owner.empty() ? std::string() : builtin_canonical(owner);
  s.fact = std::move(fact);
  s.key = (s.owner.empty() ? "" : s.owner + "的") + canonical_fact(s.fact);
  return s;
}

// Splits "户主身份证号" into the person and the fact: the longest person word in front of a
// personal fact. Returns false when the name has none.
bool split_prefix(const std::u32string& s, Person* kind, std::string* person, std::string* fact) {
  if (s.size() < 2) return false;
  for (size_t i = s.size() - 1; i >= 1; --i) {
    std::u32string_view p(s.data(), i);
    Person k = person_kind(p);
    if (k == Person::none) continue;
    std::u32string rest = s.substr(i);
    if (rest.starts_with(U"的")) rest.erase(0, 1);
    std::string r = to_utf8(rest);
    if (rest.empty() || !personal_fact(r)) continue;
    *kind = k;
    *person = to_utf8(p);
    *fact = std::move(r);
    return true;
  }
  return false;
}

// "当事人(申请方)" → "当事人": the word without the qualifier a group parent may carry.
std::string without_qualifier(const std::string& seg) {
  if (!seg.ends_with(')')) return seg;
  auto open = seg.rfind('(');
  return open == std::string::npos || open == 0 ? seg : seg.substr(0, open);
}

// A place of something, not the row's own location: 迁出地, 原籍, 户籍地, 务工地点, 工作地,
// 安置地. 所在地, 居住地, 现住址, 家庭地址 and 地址 alone are where the row itself is.
bool is_other_place(const std::string& word) {
  std::u32string w = to_u32(word);
  if (w.empty() || !division_level(word).empty()) return false;
  if (w.find(U'籍') != std::u32string::npos) return true;  // 原籍, 户籍地, 户籍所在地, 籍贯
  if (!w.ends_with(U"地") && !w.ends_with(U"地点") && !w.ends_with(U"地址") &&
      !w.ends_with(U"去向")) {
    return false;
  }
  for (std::u32string_view own : {U"所在", U"住", U"居", U"家庭"}) {
    if (w.find(own) != std::u32string::npos) return false;
  }
  return w != U"地点" && w != U"地址";
}

// The place without its other words for place: 务工地点 and 务工地 are one, 户籍所在地 is 户籍地.
std::string place_canonical(const std::string& seg) {
  std::string bare = without_qualifier(seg), qualifier = seg.substr(bare.size());
  std::u32string w = to_u32(bare);
  if (auto at = w.find(U"所在"); at != std::u32string::npos && at > 0) w.erase(at, 2);
  if (w.size() > 2 && (w.ends_with(U"地点") || w.ends_with(U"地址"))) w.pop_back();
  return to_utf8(w) + qualifier;
}

}  // namespace

bool is_other_person(std::string_view word) { return person_kind(to_u32(word)) == Person::other; }

bool owners_compatible(std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (a.empty() || b.empty()) return false;
  // 调解人员 / 调解员, 帮扶人 / 帮扶干部: the same act, a different word for the person.
  auto stem = [](std::string_view w) {
    std::u32string s = to_u32(w);
    size_t cut = 0;
    for (std::u32string_view e : {U"人员", U"人", U"员", U"干部", U"领导"}) {
      if (s.ends_with(e) && s.size() > e.size() && e.size() > cut) cut = e.size();
    }
    return s.substr(0, s.size() - cut);
  };
  std::u32string x = stem(a), y = stem(b);
  return x == y && x.size() >= 2 && person_kind(to_u32(a)) == Person::other &&
         person_kind(to_u32(b)) == Person::other;
}

std::vector<std::string> household_head_names(const std::vector<std::string>& clean_names) {
  // The person facts a household's row gives of its 户主 (not 家庭住址: the household's own).
  constexpr std::array<std::string_view, 10> kHeadFacts{
      "公民身份号码", "联系电话", "性别",     "出生日期", "年龄",
      "民族",         "文化程度", "政治面貌", "健康状况", "婚姻状况"};
  std::vector<std::string> out(clean_names.size());
  std::vector<NameSense> senses;
  senses.reserve(clean_names.size());
  for (const auto& n : clean_names) senses.push_back(read_sense(n));
  auto names_head = [](const NameSense& s) {
    return s.owner == "户主" && builtin_canonical(s.fact) == "姓名";
  };
  // Any name of the row's own person: 姓名, 老人姓名, 女方姓名, 家庭成员姓名.
  auto names_own = [](const NameSense& s) {
    return s.owner.empty() && s.level.empty() &&
           (s.key == "姓名" || (s.fact.ends_with("姓名") && s.fact.find('/') == std::string::npos));
  };
  if (std::none_of(senses.begin(), senses.end(), names_head) ||
      std::any_of(senses.begin(), senses.end(), names_own)) {
    return out;
  }
  for (size_t i = 0; i < clean_names.size(); ++i) {
    const NameSense& s = senses[i];
    if (!s.owner.empty() || !s.level.empty() || clean_names[i].find('/') != std::string::npos) {
      continue;
    }
    if (std::find(kHeadFacts.begin(), kHeadFacts.end(), s.key) != kHeadFacts.end()) {
      out[i] = "户主" + clean_names[i];
    }
  }
  return out;
}

NameSense read_sense(std::string_view clean_name) {
  std::string name(clean_name);
  if (auto slash = name.rfind('/'); slash != std::string::npos) {
    NameSense child = read_sense(name.substr(slash + 1));
    std::string parent = name.substr(0, slash);
    for (size_t from = 0; from <= parent.size();) {
      size_t to = std::min(parent.find('/', from), parent.size());
      std::string seg = parent.substr(from, to - from);
      std::string bare =
          without_qualifier(seg);  // 当事人(申请方): another party than 当事人(被申请方)
      if (child.owner.empty() && is_other_person(bare)) {
        return make(seg, child.fact, name);  // 监护人/联系电话
      }
      if (child.owner.empty() && !child.level.empty() && is_other_place(bare)) {
        NameSense s;  // 迁出地/县: the county moved from, not the row's own county
        s.level = child.level;
        s.owner = place_canonical(seg);
        s.fact = child.fact;
        s.key = s.owner + "的" + s.level;
        return s;
      }
      from = to + 1;
    }
    if (!child.owner.empty()) return make(child.owner, child.fact, name);
    return make("", name, name);  // 2024年/人数, 补贴标准/生活补贴
  }
  std::u32string s = to_u32(name);
  Person kind = Person::none;
  std::string person, fact;
  if (split_prefix(s, &kind, &person, &fact)) {
    return kind == Person::other ? make(person, fact, name) : make("", fact, name);
  }
  if (person_kind(s) == Person::other) return make(name, "姓名", name);  // 户主, 帮扶责任人
  return make("", name, name);
}

}  // namespace wangge::legacy
