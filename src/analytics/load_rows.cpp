#include "analytics/load_rows.h"

#include "analytics/entity.h"
#include "analytics/events_load.h"
#include "org/org.h"
#include "people/people.h"

namespace wangge::analytics {
namespace {

std::optional<uint32_t> pos_of(const OrgTree& tree, int64_t org_id) {
  auto it = tree.pos_of_id.find(org_id);
  if (it == tree.pos_of_id.end()) return std::nullopt;
  return it->second;
}

uint8_t color_code(const std::optional<std::string>& c) {
  if (!c || c->empty()) return 0;
  return static_cast<uint8_t>(people::parse_color(*c)) + 1;
}

}  // namespace

Table make_table(Entity e) {
  using T = ColumnType;
  std::vector<T> types;
  if (const EntitySpec* spec = extension(e)) {
    for (const auto& c : spec->columns) types.push_back(c.type);
  }
  switch (e) {
    case Entity::resident:
      types = {T::u8, T::i32, T::u8, T::u8, T::u8, T::u64, T::i64};
      break;
    case Entity::household:
      types = {T::u8, T::u64, T::u64, T::i32};
      break;
    case Entity::org:   // kind, flags
    case Entity::post:  // role, flags
      types = {T::u8, T::u64};
      break;
    case Entity::party_org:
      types = {T::u8};
      break;
    case Entity::event:
      types = event_column_types();
      break;
    default:  // a module's entity
      break;
  }
  Table t;
  for (auto ty : types) t.cols.push_back(Column{.type = ty});
  return t;
}

void append(Table& t, const RecordValues& v) {
  t.pos.push_back(v.pos);
  t.id.push_back(v.id);
  size_t ni = 0, bi = 0, wi = 0;
  for (auto& c : t.cols) {
    switch (c.type) {
      case ColumnType::u8:
        c.u8.push_back(static_cast<uint8_t>(v.num.at(ni++)));
        break;
      case ColumnType::i32:
        c.i32.push_back(static_cast<int32_t>(v.num.at(ni++)));
        break;
      case ColumnType::f32:
        c.f32.push_back(static_cast<float>(v.num.at(ni++)));
        break;
      case ColumnType::u64:
        c.u64.push_back(v.bits.at(bi++));
        break;
      case ColumnType::i64:
        c.i64.push_back(v.wide.at(wi++));
        break;
    }
  }
}

std::string_view simple_select(Entity e) {
  if (e == Entity::post) return "SELECT id, org_id, role, ended_at FROM posts";
  return "SELECT id, org_id, kind FROM party_orgs";
}

std::optional<RecordValues> resident_values(const store::Row& r, const OrgTree& tree) {
  auto pos = pos_of(tree, r.i64(2));
  if (!pos) return std::nullopt;
  RecordValues v;
  v.id = r.i64(0);
  v.pos = *pos;
  v.num = {static_cast<double>(r.i64(3)), static_cast<double>(ymd(r.text(4))),
           static_cast<double>(static_cast<int>(people::parse_relation(r.text(5))) + 1),
           static_cast<double>(static_cast<int>(people::parse_status(r.text(6))) + 1),
           static_cast<double>(color_code(r.opt_text(7)))};
  v.bits = {0};  // tags: filled from resident_tags
  v.wide = {r.i64(1)};
  return v;
}

std::optional<RecordValues> household_values(const store::Row& r, const OrgTree& tree) {
  auto pos = pos_of(tree, r.i64(1));
  if (!pos) return std::nullopt;
  RecordValues v;
  v.id = r.i64(0);
  v.pos = *pos;
  v.num = {static_cast<double>(color_code(r.opt_text(3))), 0};
  v.bits = {r.is_null(2) ? 0u : 1u, 0};  // flags, member tags (derived)
  return v;
}

std::optional<RecordValues> simple_values(Entity e, const store::Row& r, const OrgTree& tree) {
  auto pos = pos_of(tree, r.i64(1));
  if (!pos) return std::nullopt;
  RecordValues v;
  v.id = r.i64(0);
  v.pos = *pos;
  if (e == Entity::post) {
    v.num = {static_cast<double>(static_cast<int>(org::parse_post_role(r.text(2))) + 1)};
    v.bits = {r.is_null(3) ? 1u : 0u};
  } else {
    v.num = {static_cast<double>(static_cast<int>(org::parse_party_kind(r.text(2))) + 1)};
  }
  return v;
}

uint64_t tag_bit(std::string_view code) {
  auto i = people::tag_position(code);
  return i && *i < 64 ? uint64_t{1} << *i : 0;
}

uint64_t key_person_bits() {
  uint64_t bits = 0;
  const auto& cat = people::tag_catalogue();
  for (size_t i = 0; i < cat.size() && i < 64; ++i) {
    if (cat[i].key_person) bits |= uint64_t{1} << i;
  }
  return bits;
}

uint64_t role_flag(uint8_t role) {
  switch (static_cast<org::PostRole>(role - 1)) {
    case org::PostRole::grid_head:
      return OrgFlag::has_grid_head;
    case org::PostRole::grid_worker_full:
      return OrgFlag::has_full_worker;
    case org::PostRole::grid_worker_part:
      return OrgFlag::has_part_worker;
    case org::PostRole::building_head:
      return OrgFlag::has_building_head;
    case org::PostRole::party_household:
      return OrgFlag::has_party_household;
    case org::PostRole::secretary:
      return OrgFlag::has_secretary;
    default:
      return 0;
  }
}

int32_t ymd(std::string_view d) {
  if (d.size() < 10 || d[4] != '-' || d[7] != '-') return kNullI32;
  int32_t v = 0;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return kNullI32;
    v = v * 10 + (d[i] - '0');
  }
  return v;
}

}  // namespace wangge::analytics
