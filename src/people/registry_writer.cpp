#include "people/registry_writer.h"

#include "core/error.h"
#include "core/time.h"

namespace wangge::people {

RegistryWriter::RegistryWriter(store::Tx& tx, const Vault& vault, std::string changed_by,
                               const std::string& source)
    : tx_(tx), vault_(vault), changed_by_(std::move(changed_by)), reason_("批量导入：" + source) {}

std::optional<RegistryWriter::HouseholdRef> RegistryWriter::household(const std::string& no) {
  // Rows of one household usually follow each other: remember the last one.
  if (last_household_ && last_household_->first == no) return last_household_->second;
  std::optional<HouseholdRef> ref;
  if (auto r = tx_.query_one("SELECT id, org_id FROM households WHERE household_no = ?", {no})) {
    ref = HouseholdRef{r->i64(0), r->i64(1)};
  }
  last_household_ = {no, ref};
  return ref;
}

std::optional<RegistryWriter::OrgRef> RegistryWriter::org(const std::string& code) {
  auto it = orgs_.find(code);
  if (it != orgs_.end()) return it->second;
  std::optional<OrgRef> ref;
  if (auto r = tx_.query_one("SELECT id, parent_id, kind FROM orgs WHERE code = ?", {code})) {
    ref = OrgRef{r->i64(0), r->opt_i64(1), r->text(2)};
  }
  orgs_.emplace(code, ref);
  return ref;
}

void RegistryWriter::check(const people::NewResident& r) {
  if (!household(r.household_no)) {
    throw_bad_input("unknown_household", "户编号不存在，请先导入住户：" + r.household_no,
                    "no such household (import households first): " + r.household_no,
                    "household_no");
  }
}

void RegistryWriter::check(const people::NewHousehold& h) {
  auto o = org(h.org_code);
  if (!o || (o->kind != "micro_grid" && o->kind != "grid")) {
    throw_bad_input("invalid_org", "所属网格不存在或不是网格/微网格：" + h.org_code,
                    "no such grid or micro-grid: " + h.org_code, "org_code");
  }
  if (!h.building_code.empty()) {
    auto b = org(h.building_code);
    if (!b || b->kind != "building" || b->parent_id != o->id) {
      throw_bad_input("invalid_building", "楼栋不存在或不在该网格内：" + h.building_code,
                      "no such building in this grid: " + h.building_code, "building_code");
    }
  }
}

RegistryWriter::Outcome RegistryWriter::apply(const people::NewResident& r) {
  people::ResidentRow row = people::encode_resident(vault_, r);
  auto hh = household(r.household_no);
  if (!hh) check(r);  // throws
  auto existing = tx_.query_one(
      "SELECT id, household_id, name, phone_enc, relation, status, color FROM residents "
      "WHERE id_hash = ?",
      {row.id_hash});
  const int64_t t = to_unix_ms(now());
  if (!existing) {
    people::insert_resident(tx_, row, hh->id, hh->org_id, {changed_by_, reason_});
    return Outcome::inserted;
  }
  const int64_t id = existing->i64(0);
  std::string old_phone = existing->is_null(3) ? "" : vault_.decrypt(existing->blob(3));
  std::string new_phone = r.phone.empty() ? "" : phone::normalize_mobile(r.phone);
  bool same = existing->i64(1) == hh->id && existing->text(2) == row.name &&
              old_phone == new_phone && existing->text(4) == row.relation &&
              existing->text(5) == row.status;
  bool same_tags = people::tags_of(tx_, id) == row.tags;
  bool same_color = !row.color || existing->opt_text(6) == row.color;
  if (same && same_tags && same_color) return Outcome::unchanged;
  if (!same) {
    tx_.exec(
        "UPDATE residents SET household_id = ?, org_id = ?, name = ?, name_pinyin = ?, "
        "name_initials = ?, phone_enc = ?, phone_mask = ?, relation = ?, status = ?, "
        "updated_at = ? WHERE id = ?",
        {hh->id, hh->org_id, row.name, row.name_pinyin, row.name_initials, row.phone_enc,
         row.phone_mask, row.relation, row.status, t, id});
  }
  if (!same_tags) people::set_tags(tx_, id, row.tags);
  if (!same_color) {
    people::change_color(tx_, people::Subject::resident, id, *r.color, reason_, changed_by_);
  }
  return Outcome::updated;
}

RegistryWriter::Outcome RegistryWriter::apply(const people::NewHousehold& h) {
  check(h);
  const int64_t org_id = org(h.org_code)->id;
  std::optional<int64_t> building;
  if (!h.building_code.empty()) building = org(h.building_code)->id;
  auto existing = tx_.query_one(
      "SELECT id, org_id, building_id, address, color FROM households WHERE household_no = ?",
      {h.household_no});
  if (!existing) {
    people::create_household(tx_, h, {changed_by_, reason_});
    last_household_.reset();
    return Outcome::inserted;
  }
  const int64_t id = existing->i64(0);
  bool same = existing->i64(1) == org_id && existing->opt_i64(2) == building &&
              existing->text(3) == h.address;
  bool same_color = existing->text(4) == people::to_string(h.color);
  if (same && same_color) return Outcome::unchanged;
  if (!same) {
    tx_.exec(
        "UPDATE households SET org_id = ?, building_id = ?, address = ?, updated_at = ? "
        "WHERE id = ?",
        {org_id, building, h.address, to_unix_ms(now()), id});
    // Residents follow their household into its grid.
    tx_.exec("UPDATE residents SET org_id = ? WHERE household_id = ?", {org_id, id});
  }
  if (!same_color) {
    people::change_color(tx_, people::Subject::household, id, h.color, reason_, changed_by_);
  }
  return Outcome::updated;
}

}  // namespace wangge::people
