// People: households (户), residents (人), tags (标签), and the red/yellow/green risk colour
// (红黄绿) of households and key persons, with its full history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/time.h"
#include "store/migrations.h"

namespace wangge::people {

// The records of this room whose changes readers outside a transaction follow (Tx::changed).
inline constexpr store::RecordKind kResident{"resident"};
inline constexpr store::RecordKind kHousehold{"household"};

// 红黄绿分类管理: red needs close attention, yellow watching, green ordinary.
enum class RiskColor { green, yellow, red };
std::string_view to_string(RiskColor c);
std::string_view label(RiskColor c);  // 绿 / 黄 / 红
// Accepts "red", "红", "红色" (and the others alike). Throws Error(bad_input, field).
RiskColor parse_color(std::string_view s, std::string_view field = "color");

// 与户主关系
enum class Relation {
  head,
  spouse,
  child,
  parent,
  grandchild,
  grandparent,
  sibling,
  in_law,
  other
};
std::string_view to_string(Relation r);
std::string_view label(Relation r);  // 户主 / 配偶 / 子女 …
Relation parse_relation(std::string_view s, std::string_view field = "relation");

// 人员状态: 在册 (moved in / living here), 迁出, 死亡.
enum class ResidentStatus { moved_in, moved_out, deceased };
std::string_view to_string(ResidentStatus s);
std::string_view label(ResidentStatus s);
ResidentStatus parse_status(std::string_view s, std::string_view field = "status");

// A tag of the shipped catalogue (tags table): 低保, 留守儿童, 社区矫正对象 …
struct Tag {
  std::string code;         // "dibao"
  std::string name;         // "低保"
  std::string category;     // "救助" / "关爱" / "身份" / "重点人员"
  bool sensitive = false;   // 敏感个人信息: masked and audited like ID numbers
  bool key_person = false;  // 重点人员: carries a risk colour
  // 红黄绿 rule of a key-person category: the colour a person registered in it starts with
  // (the most severe of their categories); workers change it afterwards with a reason.
  std::optional<RiskColor> color;
};
// The catalogue in its order (the index's tag bits follow it; append, never reorder). Holds the
// 17 key-person categories of the seeds (鲁甸: 20,860 people in 17 categories).
const std::vector<Tag>& tag_catalogue();
// The colour the rules give a person with these tags (codes), or nullopt when no tag has one.
std::optional<RiskColor> rule_color(const std::vector<std::string>& tag_codes);
// By code or by Chinese name; nullptr when unknown.
const Tag* find_tag(std::string_view code_or_name);

const std::vector<store::Migration>& migrations();

}  // namespace wangge::people
