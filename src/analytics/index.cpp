#include "analytics/index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace wangge::analytics {
namespace {

constexpr std::string_view kEntityNames[] = {"resident", "household", "org",
                                             "post",     "party_org", "event"};

template <class V>
size_t cap(const V& v) {
  return v.capacity() * sizeof(typename V::value_type);
}

}  // namespace

std::string_view to_string(Entity e) { return kEntityNames[static_cast<int>(e)]; }

std::optional<Entity> parse_entity(std::string_view s) {
  for (int i = 0; i < kEntityCount; ++i) {
    if (kEntityNames[i] == s) return static_cast<Entity>(i);
  }
  return std::nullopt;
}

size_t Column::bytes() const { return cap(u8) + cap(i32) + cap(f32) + cap(u64) + cap(i64); }

void Column::erase(size_t slot) {
  switch (type) {
    case ColumnType::u8:
      u8.erase(u8.begin() + static_cast<ptrdiff_t>(slot));
      break;
    case ColumnType::i32:
      i32.erase(i32.begin() + static_cast<ptrdiff_t>(slot));
      break;
    case ColumnType::f32:
      f32.erase(f32.begin() + static_cast<ptrdiff_t>(slot));
      break;
    case ColumnType::u64:
      u64.erase(u64.begin() + static_cast<ptrdiff_t>(slot));
      break;
    case ColumnType::i64:
      i64.erase(i64.begin() + static_cast<ptrdiff_t>(slot));
      break;
  }
}

void Column::insert(size_t slot) {
  auto at = [slot](auto& v) { return v.begin() + static_cast<ptrdiff_t>(slot); };
  switch (type) {
    case ColumnType::u8:
      u8.insert(at(u8), 0);
      break;
    case ColumnType::i32:
      i32.insert(at(i32), kNullI32);
      break;
    case ColumnType::f32:
      f32.insert(at(f32), std::nanf(""));
      break;
    case ColumnType::u64:
      u64.insert(at(u64), 0);
      break;
    case ColumnType::i64:
      i64.insert(at(i64), 0);
      break;
  }
}

void Column::set(size_t slot, double v) {
  switch (type) {
    case ColumnType::u8:
      u8[slot] = static_cast<uint8_t>(v);
      break;
    case ColumnType::i32:
      i32[slot] = static_cast<int32_t>(v);
      break;
    case ColumnType::f32:
      f32[slot] = static_cast<float>(v);
      break;
    case ColumnType::u64:
      u64[slot] = static_cast<uint64_t>(v);
      break;
    case ColumnType::i64:
      i64[slot] = static_cast<int64_t>(v);
      break;
  }
}

void Column::set_bits(size_t slot, uint64_t v) { u64[slot] = v; }
void Column::set_i64(size_t slot, int64_t v) { i64[slot] = v; }

size_t Table::bytes() const {
  size_t n = cap(pos) + cap(id) + cap(start) + cap(slot_by_id);
  for (const auto& c : cols) n += c.bytes();
  return n;
}

std::optional<uint32_t> OrgTree::find(std::string_view c) const {
  auto it = pos_of_code.find(std::string(c));
  if (it == pos_of_code.end()) return std::nullopt;
  return it->second;
}

size_t OrgTree::bytes() const {
  size_t n = cap(id) + cap(code) + cap(name) + cap(kind) + cap(parent) + cap(end);
  for (const auto& s : code) n += s.capacity() > 15 ? s.capacity() : 0;
  for (const auto& s : name) n += s.capacity() > 15 ? s.capacity() : 0;
  // Hash maps: a node and a bucket pointer per entry, roughly.
  n += pos_of_id.size() * (sizeof(void*) * 2 + 16) + pos_of_code.size() * (sizeof(void*) * 2 + 48);
  return n;
}

void reindex(Table& t, size_t org_count) {
  t.start.assign(org_count + 1, 0);
  for (uint32_t p : t.pos) ++t.start[p + 1];
  for (size_t p = 0; p < org_count; ++p) t.start[p + 1] += t.start[p];
  int64_t max_id = 0;
  for (int64_t id : t.id) max_id = std::max(max_id, id);
  t.slot_by_id.assign(static_cast<size_t>(max_id) + 1, 0);
  for (size_t s = 0; s < t.id.size(); ++s) {
    if (t.id[s] >= 0) t.slot_by_id[static_cast<size_t>(t.id[s])] = static_cast<uint32_t>(s + 1);
  }
}

void remove(Table& t, int64_t id) {
  auto slot = t.slot_of(id);
  if (!slot) return;
  uint32_t p = t.pos[*slot];
  t.pos.erase(t.pos.begin() + static_cast<ptrdiff_t>(*slot));
  t.id.erase(t.id.begin() + static_cast<ptrdiff_t>(*slot));
  for (auto& c : t.cols) c.erase(*slot);
  for (size_t q = p + 1; q < t.start.size(); ++q) --t.start[q];
  t.slot_by_id[static_cast<size_t>(id)] = 0;
  for (size_t s = *slot; s < t.id.size(); ++s)
    t.slot_by_id[static_cast<size_t>(t.id[s])] = static_cast<uint32_t>(s + 1);
}

void put(Table& t, size_t org_count, const RecordValues& v) {
  if (t.start.size() != org_count + 1) reindex(t, org_count);
  auto slot = t.slot_of(v.id);
  if (!slot || t.pos[*slot] != v.pos) {
    remove(t, v.id);
    // At the end of the org's block: records of one org stay in arrival order.
    size_t at = t.start[v.pos + 1];
    t.pos.insert(t.pos.begin() + static_cast<ptrdiff_t>(at), v.pos);
    t.id.insert(t.id.begin() + static_cast<ptrdiff_t>(at), v.id);
    for (auto& c : t.cols) c.insert(at);
    for (size_t q = v.pos + 1; q < t.start.size(); ++q) ++t.start[q];
    if (static_cast<size_t>(v.id) >= t.slot_by_id.size()) {
      t.slot_by_id.resize(static_cast<size_t>(v.id) + 1 + t.slot_by_id.size() / 8, 0);
    }
    for (size_t s = at; s < t.id.size(); ++s)
      t.slot_by_id[static_cast<size_t>(t.id[s])] = static_cast<uint32_t>(s + 1);
    slot = at;
  }
  size_t ni = 0, bi = 0, wi = 0;
  for (auto& c : t.cols) {
    if (c.type == ColumnType::u64) {
      c.set_bits(*slot, v.bits.at(bi++));
    } else if (c.type == ColumnType::i64) {
      c.set_i64(*slot, v.wide.at(wi++));
    } else {
      c.set(*slot, v.num.at(ni++));
    }
  }
}

Index::Index(store::Database& db) : db_(db), data_(std::make_unique<Data>()) {}

size_t Index::memory_bytes() const {
  std::shared_lock lock(mutex_);
  size_t n = data_->tree.bytes();
  for (const auto& t : data_->tables) n += t.bytes();
  return n;
}

void Index::refresh(std::string_view entity, int64_t id) {
  try {
    auto e = parse_entity(entity);
    if (!e) return;
    switch (*e) {
      case Entity::resident:
        refresh_resident(id);
        break;
      case Entity::household:
        refresh_household(id);
        break;
      case Entity::org:
        load();
        break;
      case Entity::post:
      case Entity::party_org:
        refresh_simple(*e, id);
        break;
      case Entity::event:
        refresh_event(id);
        break;
    }
  } catch (const std::exception& ex) {
    spdlog::error("analytics: refresh {} {} failed: {}", entity, id, ex.what());
  }
}

}  // namespace wangge::analytics
