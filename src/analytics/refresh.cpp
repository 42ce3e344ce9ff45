// Refreshing one record after a committed write: read it (and what derives from it) in a read
// transaction without any lock, then take the writer lock only to swap the values in.
#include <algorithm>
#include <mutex>
#include <unordered_set>

#include "analytics/entity.h"
#include "analytics/events_load.h"
#include "analytics/index.h"
#include "analytics/load_rows.h"

namespace wangge::analytics {

void Index::refresh_resident(int64_t id) const {
  std::optional<store::Row> row;
  std::vector<std::string> tags;
  {
    auto tx = db_.begin(store::TxMode::read);
    row = tx->query_one(std::string(kResidentSelect) + " WHERE id = ?", {id});
    for (const auto& r : tx->query("SELECT tag FROM resident_tags WHERE resident_id = ?", {id})) {
      tags.push_back(r.text(0));
    }
  }
  std::optional<int64_t> old_household;
  {
    std::unique_lock lock(mutex_);
    Table& t = data_->table(Entity::resident);
    if (auto slot = t.slot_of(id)) old_household = t.cols[col::household].i64[*slot];
    std::optional<RecordValues> v;
    if (row) v = resident_values(*row, data_->tree);
    if (!v) {
      remove(t, id);
    } else {
      for (const auto& tag : tags) v->bits[0] |= tag_bit(tag);
      put(t, data_->tree.size(), *v);
    }
  }
  // The household's member facts (size, member tags) follow its residents.
  if (old_household) refresh_household(*old_household);
  if (row && (!old_household || row->i64(1) != *old_household)) refresh_household(row->i64(1));
}

void Index::refresh_household(int64_t id) const {
  std::optional<store::Row> row;
  uint64_t member_tags = 0;
  int64_t size = 0;
  {
    auto tx = db_.begin(store::TxMode::read);
    row = tx->query_one(std::string(kHouseholdSelect) + " WHERE id = ?", {id});
    if (row) {
      size = tx->query_int(
          "SELECT COUNT(*) FROM residents WHERE household_id = ? AND status = 'moved_in'", {id});
      for (const auto& r : tx->query("SELECT DISTINCT t.tag FROM resident_tags t JOIN residents r "
                                     "ON r.id = t.resident_id WHERE r.household_id = ? AND "
                                     "r.status = 'moved_in'",
                                     {id})) {
        member_tags |= tag_bit(r.text(0));
      }
    }
  }
  std::unique_lock lock(mutex_);
  Table& t = data_->table(Entity::household);
  std::optional<RecordValues> v;
  if (row) v = household_values(*row, data_->tree);
  if (!v) {
    remove(t, id);
    return;
  }
  v->bits[1] = member_tags;
  v->num[1] = static_cast<double>(size);
  put(t, data_->tree.size(), *v);
}

void Index::refresh_simple(Entity e, int64_t id) const {
  std::optional<store::Row> row;
  {
    auto tx = db_.begin(store::TxMode::read);
    row = tx->query_one(std::string(simple_select(e)) + " WHERE id = ?", {id});
  }
  std::optional<int64_t> old_org, new_org;
  {
    std::unique_lock lock(mutex_);
    Table& t = data_->table(e);
    if (auto slot = t.slot_of(id)) old_org = data_->tree.id[t.pos[*slot]];
    std::optional<RecordValues> v;
    if (row) v = simple_values(e, *row, data_->tree);
    if (v) {
      put(t, data_->tree.size(), *v);
      new_org = row->i64(1);
    } else {
      remove(t, id);
    }
  }
  if (old_org) refresh_org_flags(*old_org);
  if (new_org && new_org != old_org) refresh_org_flags(*new_org);
}

// An org's flags from its posts and party organisations, recomputed from the index itself.
void Index::refresh_org_flags(int64_t org_id) const {
  std::unique_lock lock(mutex_);
  auto it = data_->tree.pos_of_id.find(org_id);
  if (it == data_->tree.pos_of_id.end()) return;
  uint32_t p = it->second;
  uint64_t flags = 0;
  const Table& posts = data_->table(Entity::post);
  for (uint32_t i = posts.start[p]; i < posts.start[p + 1]; ++i) {
    if (posts.is_live(i) && (posts.cols[col::p_flags].u64[i] & 1))
      flags |= role_flag(posts.cols[col::p_role].u8[i]);
  }
  const Table& party = data_->table(Entity::party_org);
  for (uint32_t i = party.start[p]; i < party.start[p + 1]; ++i) {
    if (party.is_live(i)) flags |= OrgFlag::has_party_org;
  }
  Table& orgs = data_->table(Entity::org);
  if (auto slot = orgs.slot_of(org_id)) {
    orgs.cols[col::o_flags].u64[*slot] = flags;
    sync_planes(orgs, *slot);
  }
}

void Index::refresh_extension(Entity e, int64_t id) const {
  const EntitySpec& spec = *extension(e);
  std::optional<store::Row> row;
  {
    auto tx = db_.begin(store::TxMode::read);
    row = tx->query_one(extension_select(spec) + " WHERE x.id = ?", {id});
  }
  std::unique_lock lock(mutex_);
  Table& t = data_->table(e);
  std::optional<RecordValues> v;
  if (row) v = extension_values(spec, *row, data_->tree);
  if (v) {
    put(t, data_->tree.size(), *v);
  } else {
    remove(t, id);
  }
}

void Index::refresh_events(const std::vector<int64_t>& ids) const {
  std::vector<store::Row> rows;
  {
    auto tx = db_.begin(store::TxMode::read);
    if (!events_schema_.load(std::memory_order_relaxed)) {
      if (!has_events(*tx)) return;
      events_schema_.store(true, std::memory_order_relaxed);
    }
    // In chunks of at most 256 ids per statement (a cached statement per chunk size).
    for (size_t i = 0; i < ids.size(); i += 256) {
      size_t n = std::min<size_t>(256, ids.size() - i);
      std::string sql = std::string(kEventSelect) + " WHERE id IN (?";
      for (size_t k = 1; k < n; ++k) sql += ",?";
      sql += ')';
      store::Params params(ids.begin() + static_cast<std::ptrdiff_t>(i),
                           ids.begin() + static_cast<std::ptrdiff_t>(i + n));
      for (auto& r : tx->query(sql, params)) rows.push_back(std::move(r));
    }
  }
  std::unordered_set<int64_t> found;
  std::unique_lock lock(mutex_);
  Table& t = data_->table(Entity::event);
  for (const auto& row : rows) {
    found.insert(row.i64(0));
    if (auto v = event_values(row, data_->tree)) {
      put(t, data_->tree.size(), *v);
      data_->events_loaded = true;
    } else {
      remove(t, row.i64(0));
    }
  }
  for (int64_t id : ids) {
    if (!found.contains(id)) remove(t, id);
  }
}

}  // namespace wangge::analytics
