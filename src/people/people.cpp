#include "people/people.h"

#include <array>
#include <utility>

#include "core/error.h"

namespace wangge::people {
namespace {

template <class E, size_t N>
struct Names {
  std::array<std::tuple<E, std::string_view, std::string_view>, N> items;  // enum, code, 中文

  std::string_view code(E e) const {
    for (const auto& [k, c, l] : items) {
      if (k == e) return c;
    }
    return "";
  }
  std::string_view zh(E e) const {
    for (const auto& [k, c, l] : items) {
      if (k == e) return l;
    }
    return "";
  }
  std::optional<E> parse(std::string_view s) const {
    for (const auto& [k, c, l] : items) {
      if (s == c || s == l) return k;
    }
    return std::nullopt;
  }
};

constexpr Names<RiskColor, 3> kColors{{{
    {RiskColor::green, "green", "绿"},
    {RiskColor::yellow, "yellow", "黄"},
    {RiskColor::red, "red", "红"},
}}};

constexpr Names<Relation, 9> kRelations{{{
    {Relation::head, "head", "户主"},
    {Relation::spouse, "spouse", "配偶"},
    {Relation::child, "child", "子女"},
    {Relation::parent, "parent", "父母"},
    {Relation::grandchild, "grandchild", "孙子女"},
    {Relation::grandparent, "grandparent", "祖父母"},
    {Relation::sibling, "sibling", "兄弟姐妹"},
    {Relation::in_law, "in_law", "儿媳女婿"},
    {Relation::other, "other", "其他"},
}}};

constexpr Names<ResidentStatus, 3> kStatuses{{{
    {ResidentStatus::moved_in, "moved_in", "在册"},
    {ResidentStatus::moved_out, "moved_out", "迁出"},
    {ResidentStatus::deceased, "deceased", "死亡"},
}}};

[[noreturn]] void unknown(std::string_view what_zh, std::string_view field, std::string_view s) {
  throw_bad_input("invalid_" + std::string(field),
                  "无法识别的" + std::string(what_zh) + "：" + std::string(s),
                  "unknown " + std::string(field) + ": " + std::string(s), std::string(field));
}

}  // namespace

std::string_view to_string(RiskColor c) { return kColors.code(c); }
std::string_view label(RiskColor c) { return kColors.zh(c); }
RiskColor parse_color(std::string_view s, std::string_view field) {
  if (s.ends_with("色")) s.remove_suffix(std::string_view("色").size());
  if (auto c = kColors.parse(s)) return *c;
  unknown("颜色（红/黄/绿）", field, s);
}

std::string_view to_string(Relation r) { return kRelations.code(r); }
std::string_view label(Relation r) { return kRelations.zh(r); }
Relation parse_relation(std::string_view s, std::string_view field) {
  if (auto r = kRelations.parse(s)) return *r;
  // Common spellings in household registers.
  if (s == "本人") return Relation::head;
  if (s == "妻" || s == "夫" || s == "妻子" || s == "丈夫") return Relation::spouse;
  if (s == "子" || s == "女" || s == "儿子" || s == "女儿" || s == "长子" || s == "长女" ||
      s == "次子" || s == "次女") {
    return Relation::child;
  }
  if (s == "父亲" || s == "母亲" || s == "父" || s == "母") return Relation::parent;
  if (s == "孙子" || s == "孙女") return Relation::grandchild;
  if (s == "祖父" || s == "祖母") return Relation::grandparent;
  if (s == "儿媳" || s == "女婿") return Relation::in_law;
  unknown("与户主关系", field, s);
}

std::string_view to_string(ResidentStatus s) { return kStatuses.code(s); }
std::string_view label(ResidentStatus s) { return kStatuses.zh(s); }
ResidentStatus parse_status(std::string_view s, std::string_view field) {
  if (auto r = kStatuses.parse(s)) return *r;
  if (s == "迁入" || s == "正常") return ResidentStatus::moved_in;
  if (s == "已迁出") return ResidentStatus::moved_out;
  if (s == "已故" || s == "已死亡") return ResidentStatus::deceased;
  unknown("人员状态", field, s);
}

const std::vector<Tag>& shipped_tags() {
  constexpr auto R = RiskColor::red, Y = RiskColor::yellow, G = RiskColor::green;
  static const std::vector<Tag> tags{
      {"dibao", "低保", "救助"},
      {"tekun", "特困", "救助"},
      {"tuopin", "脱贫户", "帮扶"},
      {"jiance", "防返贫监测户", "帮扶"},
      {"banqian", "易地搬迁", "帮扶"},
      {"liushou_elder", "留守老人", "关爱"},
      {"liushou_child", "留守儿童", "关爱"},
      {"alone_elder", "独居老人", "关爱"},
      {"disabled", "残疾人", "关爱", true},
      {"veteran", "退役军人", "身份"},
      {"party_member", "党员", "身份"},
      {"new_employment", "新就业群体", "身份"},
      // 重点人员: sensitive personal information, each carries a risk colour.
      {"kp_correction", "社区矫正对象", "重点人员", true, true, Y},
      {"kp_released", "刑满释放人员", "重点人员", true, true, Y},
      {"kp_mental", "严重精神障碍患者", "重点人员", true, true, Y},
      {"kp_drug", "社区戒毒康复人员", "重点人员", true, true, Y},
      {"kp_petition", "重点信访人员", "重点人员", true, true, Y},
      {"kp_youth", "重点青少年", "重点人员", true, true, G},
      {"kp_dispute", "矛盾纠纷当事人", "重点人员", true, true, G},
      {"kp_cult", "涉邪教人员", "重点人员", true, true, R},
      // The seeds count 17 categories (鲁甸); the nine below complete the first eight
      // (people migration 6 adds them to a database of the first release).
      {"kp_extreme", "个人极端风险人员", "重点人员", true, true, R},
      {"kp_gang", "涉黑涉恶人员", "重点人员", true, true, R},
      {"kp_gun", "涉枪涉爆人员", "重点人员", true, true, R},
      {"kp_mass", "群体性事件重点人员", "重点人员", true, true, R},
      {"kp_fraud", "涉诈高危人员", "重点人员", true, true, Y},
      {"kp_drug_user", "社会面吸毒人员", "重点人员", true, true, Y},
      {"kp_aids", "艾滋病感染者", "重点人员", true, true, Y},
      {"kp_religion", "非法宗教活动人员", "重点人员", true, true, Y},
      {"kp_domestic", "家庭暴力当事人", "重点人员", true, true, G},
  };
  return tags;
}

}  // namespace wangge::people
