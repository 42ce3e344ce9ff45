// Registering and editing a resident on a user's behalf: the data scope, sensitive tags, the
// duplicate check across the whole registry and its daily limit. The routes parse and answer;
// the rules are here, in the caller's transaction.
#include <algorithm>
#include <iterator>

#include "core/codes.h"
#include "core/error.h"
#include "people/query.h"
#include "people/service.h"

namespace wangge::people {
namespace {

// Tags the registrar may not see may not be set by them either.
// (find_tag(tx, …) also finds a tag another process added since this one loaded its catalogue.)
void check_tags_visible(store::Tx& tx, const std::vector<std::string>& tags, bool sees_sensitive) {
  for (const auto& t : tags) {
    const Tag* tag = find_tag(tx, t);
    if (sees_sensitive) continue;
    if (tag && tag->sensitive) {
      throw Error(ErrorKind::forbidden, "forbidden", "无权设置敏感标签：" + t,
                  "not allowed to set a sensitive tag: " + t, "tags");
    }
  }
}

// The refusal when the number may not be registered now, else nullopt.
std::optional<Refusal> refuse_duplicate(store::Tx& tx, const Vault& vault, const Registrar& who,
                                        const NewResident& r, Date day) {
  if (probes_on(tx, who.username, day) >= kProbesPerDay) {
    return Refusal{.kind = Refusal::Kind::over_daily_limit};
  }
  auto id = citizen_id::try_parse(r.id_number);
  if (!id) return std::nullopt;  // encode_resident says what is wrong with it
  auto holder = find_id_holder(tx, vault.lookup_hash(id->number));
  if (!holder) return std::nullopt;
  if (holder->org_code.starts_with(who.scope_prefix)) {
    return Refusal{.kind = Refusal::Kind::duplicate_here, .resident_id = holder->id};
  }
  // Never the number, its hash, or where it is registered: only that it was tried.
  return Refusal{.kind = Refusal::Kind::registered_elsewhere,
                 .hits_today = record_probe(tx, who.username, day)};
}

}  // namespace

std::variant<int64_t, Refusal> register_resident(store::Tx& tx, const Vault& vault,
                                                 const Registrar& who, const NewResident& r,
                                                 Date day) {
  check_tags_visible(tx, r.tags, who.sees_sensitive);
  if (who.scope_prefix.empty() || !household_org(tx, who.scope_prefix, r.household_no)) {
    // The same answer as for a household that does not exist: numbers cannot be probed.
    throw_bad_input("unknown_household", "户编号不存在：" + r.household_no,
                    "no such household: " + r.household_no, "household_no");
  }
  if (auto refused = refuse_duplicate(tx, vault, who, r, day)) return *refused;
  return create_resident(tx, vault, r, {.by = who.username});
}

void patch_resident(store::Tx& tx, const Vault& vault, const Registrar& who, int64_t id,
                    const ResidentPatch& patch, Instant at) {
  if (!patch.name && !patch.phone && !patch.relation && !patch.status && !patch.tags &&
      !patch.color && !patch.reason) {
    throw_bad_input("empty_patch", "没有要修改的字段", "nothing to change");
  }
  if (patch.reason && !patch.color) {
    throw_bad_input("unexpected_reason", "原因只随颜色调整填写",
                    "reason goes with a colour change only", "reason");
  }
  if (who.scope_prefix.empty() || !resident_org(tx, who.scope_prefix, id)) {
    throw_not_found("居民不存在：" + std::to_string(id), "no such resident: " + std::to_string(id));
  }
  NewResident r = load_resident(tx, vault, id);
  if (patch.name) r.name = *patch.name;
  if (patch.phone) r.phone = *patch.phone;
  if (patch.relation) r.relation = *patch.relation;
  if (patch.status) r.status = *patch.status;
  if (patch.tags) {
    check_tags_visible(tx, *patch.tags, who.sees_sensitive);
    std::vector<std::string> kept;  // sensitive tags the registrar cannot see stay as they are
    if (!who.sees_sensitive) {
      std::copy_if(r.tags.begin(), r.tags.end(), std::back_inserter(kept), [](const auto& t) {
        const Tag* tag = find_tag(t);
        return tag && tag->sensitive;
      });
    }
    r.tags = *patch.tags;
    r.tags.insert(r.tags.end(), kept.begin(), kept.end());
  }
  ResidentRow row = encode_resident(vault, r);
  update_resident(tx, id, row, at);
  if (patch.tags) set_tags(tx, id, row.tags);
  if (patch.color) {
    change_color(tx, Subject::resident, id, *patch.color, patch.reason.value_or(""), who.username);
  } else if (patch.tags) {
    // Newly a key person and no colour yet: the colour the categories' rules give, on record.
    auto current = tx.query_one("SELECT color FROM residents WHERE id = ?", {id});
    auto color = rule_color(row.tags);
    if (current && current->is_null(0) && color) {
      change_color(tx, Subject::resident, id, *color, "按重点人员类别的颜色规则定色", who.username);
    }
  }
}

}  // namespace wangge::people
