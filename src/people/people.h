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

// A tag of the catalogue (tags table): 低保, 留守儿童, 社区矫正对象 … and a county's own.
struct Tag {
  std::string code;         // "dibao"
  std::string name;         // "低保"
  std::string category;     // "救助" / "关爱" / "身份" / "重点人员"
  bool sensitive = false;   // 敏感个人信息: masked and audited like ID numbers
  bool key_person = false;  // 重点人员: carries a risk colour
  // 红黄绿 rule of a key-person category: the colour a person registered in it starts with
  // (the most severe of their categories); workers change it afterwards with a reason.
  std::optional<RiskColor> color;
  bool own = false;  // the county's own (POST /api/v1/tags, `wangge tags add`), not shipped

  bool operator==(const Tag&) const = default;
};
// At most this many tags in all: the analytics index gives each tag one bit of a uint64.
inline constexpr size_t kMaxTags = 64;

// The shipped tags in their fixed order (the migrations insert them). Holds the 17 key-person
// categories of the seeds (鲁甸: 20,860 people in 17 categories). Append, never reorder.
const std::vector<Tag>& shipped_tags();
// The catalogue this process uses: the shipped tags in their order, then the county's own by
// their sort (append only, so a tag's position — its bit in the index — never changes). Until
// load_catalogue() runs it holds the shipped tags. Thread-safe; the reference and the pointers
// of find_tag stay valid for the life of the process.
const std::vector<Tag>& tag_catalogue();
// A tag's position in tag_catalogue() (its bit in the index), or nullopt.
std::optional<size_t> tag_position(std::string_view code);
// Replaces the catalogue with the tags table of this database (every command and the server
// call it when they open one, through the module's `opened` hook).
void load_catalogue(store::Database& db);
void load_catalogue(store::Tx& tx);
// The colour the rules give a person with these tags (codes), or nullopt when no tag has one.
std::optional<RiskColor> rule_color(const std::vector<std::string>& tag_codes);
// By code or by Chinese name; nullptr when unknown.
const Tag* find_tag(std::string_view code_or_name);
// The same, but a tag another process added since the catalogue was loaded (`wangge tags add`
// beside a running server) is found too: on a miss the catalogue is reloaded from tx.
const Tag* find_tag(store::Tx& tx, std::string_view code_or_name);

// A county's own tag (a category of key persons, usually).
struct NewTag {
  std::string code;  // [a-z][a-z0-9_]{1,31}
  std::string name;  // 1–20 characters
  std::string category = "重点人员";
  bool key_person = true;
  std::optional<RiskColor> color;
  bool sensitive = true;
};
// Validates and inserts a tag at the end of the catalogue (sort after every other). Throws
// Error(bad_input, field) for a bad code, name, category; Error(conflict) for a code or name
// already taken ("duplicate_tag") or when the catalogue already holds kMaxTags
// ("too_many_tags"). The caller reloads the catalogue after the commit (load_catalogue).
Tag add_tag(store::Tx& tx, const NewTag& t);
// The tags table's rows in catalogue order.
std::vector<Tag> list_tags(store::Tx& tx);

const std::vector<store::Migration>& migrations();

}  // namespace wangge::people
