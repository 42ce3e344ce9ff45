#include "analytics/index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <set>

#include "analytics/entity.h"
#include "core/error.h"
#include "events/events.h"
#include "org/org.h"
#include "people/people.h"

namespace wangge::analytics {
namespace {

constexpr std::string_view kEntityNames[] = {"resident", "household", "org",
                                             "post",     "party_org", "event"};

template <class V>
size_t cap(const V& v) {
  return v.capacity() * sizeof(typename V::value_type);
}

}  // namespace

std::string_view to_string(Entity e) {
  if (const EntitySpec* spec = extension(e)) return spec->name;
  return kEntityNames[static_cast<int>(e)];
}

std::optional<Entity> parse_entity(std::string_view s) {
  for (int i = 0; i < kEntityCount; ++i) {
    if (kEntityNames[i] == s) return static_cast<Entity>(i);
  }
  return parse_extension(s);
}

size_t Column::bytes() const { return cap(u8) + cap(i32) + cap(f32) + cap(u64) + cap(i64); }

void Column::clear(size_t slot) {
  switch (type) {
    case ColumnType::u8:
      u8[slot] = 0;
      break;
    case ColumnType::i32:
      i32[slot] = kNullI32;
      break;
    case ColumnType::f32:
      f32[slot] = std::nanf("");
      break;
    case ColumnType::u64:
      u64[slot] = 0;
      break;
    case ColumnType::i64:
      i64[slot] = 0;
      break;
  }
}

namespace {
template <class V>
void move_values(V& v, size_t from, size_t to, size_t n) {
  if (n) std::memmove(v.data() + to, v.data() + from, n * sizeof(typename V::value_type));
}
}  // namespace

void Column::shift(size_t from, size_t to, size_t n) {
  switch (type) {
    case ColumnType::u8:
      return move_values(u8, from, to, n);
    case ColumnType::i32:
      return move_values(i32, from, to, n);
    case ColumnType::f32:
      return move_values(f32, from, to, n);
    case ColumnType::u64:
      return move_values(u64, from, to, n);
    case ColumnType::i64:
      return move_values(i64, from, to, n);
  }
}

void Column::resize(size_t n) {
  switch (type) {
    case ColumnType::u8:
      u8.resize(n, 0);
      break;
    case ColumnType::i32:
      i32.resize(n, kNullI32);
      break;
    case ColumnType::f32:
      f32.resize(n, std::nanf(""));
      break;
    case ColumnType::u64:
      u64.resize(n, 0);
      break;
    case ColumnType::i64:
      i64.resize(n, 0);
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
  n += cap(live);
  for (const auto& column : planes) {
    for (const auto& plane : column) n += cap(plane);
  }
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

void build_planes(Table& t) {
  t.planes.assign(t.cols.size(), {});
  const size_t words = (t.size() + 63) / 64;
  for (size_t c = 0; c < t.cols.size(); ++c) {
    if (t.cols[c].type != ColumnType::u64) continue;
    const auto& v = t.cols[c].u64;
    uint64_t used = 0;
    for (uint64_t x : v) used |= x;
    auto& planes = t.planes[c];
    for (int b = 0; b < 64; ++b) {
      if ((used >> b) & 1) planes[b].assign(words, 0);
    }
    for (size_t s = 0; s < v.size(); ++s) {
      for (uint64_t x = v[s]; x; x &= x - 1) {
        planes[std::countr_zero(x)][s / 64] |= uint64_t{1} << (s % 64);
      }
    }
  }
}

void sync_planes(Table& t, size_t slot) {
  if (t.planes.size() != t.cols.size()) return build_planes(t);
  const size_t words = (t.size() + 63) / 64;
  for (size_t c = 0; c < t.cols.size(); ++c) {
    if (t.cols[c].type != ColumnType::u64) continue;
    const uint64_t x = t.cols[c].u64[slot];
    for (int b = 0; b < 64; ++b) {
      auto& plane = t.planes[c][b];
      const bool on = (x >> b) & 1;
      if (plane.empty() && !on) continue;
      if (plane.size() < words) plane.resize(words, 0);
      if (on) {
        plane[slot / 64] |= uint64_t{1} << (slot % 64);
      } else {
        plane[slot / 64] &= ~(uint64_t{1} << (slot % 64));
      }
    }
  }
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
  build_planes(t);
}

size_t Table::records() const {
  if (live.empty()) return size();
  size_t n = 0;
  for (uint64_t w : live) n += static_cast<size_t>(std::popcount(w));
  return n;
}

namespace {

void set_live(Table& t, size_t s, bool on) {
  if (t.live.empty()) {  // every slot live so far
    t.live.assign((t.size() + 63) / 64, ~uint64_t{0});
    if (t.size() % 64) t.live.back() = (uint64_t{1} << (t.size() % 64)) - 1;
  }
  if (on) {
    t.live[s / 64] |= uint64_t{1} << (s % 64);
  } else {
    t.live[s / 64] &= ~(uint64_t{1} << (s % 64));
  }
}

// The first gap in [from, to), or to.
size_t gap_after(const Table& t, size_t from, size_t to) {
  if (t.live.empty()) return to;
  for (size_t s = from; s < to;) {
    const uint64_t dead = ~t.live[s / 64] >> (s % 64);
    if (dead) return std::min(to, s + static_cast<size_t>(std::countr_zero(dead)));
    s = (s / 64 + 1) * 64;
  }
  return to;
}

// The last gap in [from, to), or to.
size_t gap_before(const Table& t, size_t from, size_t to) {
  if (t.live.empty()) return to;
  for (size_t s = to; s > from;) {
    const size_t last = s - 1, used = last % 64 + 1;
    uint64_t dead = ~t.live[last / 64];
    if (used < 64) dead &= (uint64_t{1} << used) - 1;
    if (dead) {
      const size_t g = last / 64 * 64 + 63 - static_cast<size_t>(std::countl_zero(dead));
      return g >= from ? g : to;
    }
    s = last / 64 * 64;
  }
  return to;
}

// Moves slots [from, from + n) to [to, to + n) with their ids and values; the pos of the moved
// slots and of the one freed are set by the caller. REQUIRES: every moved slot is live.
void shift_slots(Table& t, size_t from, size_t to, size_t n) {
  move_values(t.pos, from, to, n);
  move_values(t.id, from, to, n);
  for (auto& c : t.cols) c.shift(from, to, n);
  for (size_t s = to; s < to + n; ++s) {
    t.slot_by_id[static_cast<size_t>(t.id[s])] = static_cast<uint32_t>(s + 1);
    set_live(t, s, true);
    sync_planes(t, s);
  }
}

// A gap that belongs to the block of org p (a slot in [start[p], start[p + 1])), making one by
// shifting the slots between the block and the nearest gap, or by respreading.
size_t room_in(Table& t, size_t org_count, uint32_t p) {
  const size_t b0 = t.start[p], b1 = t.start[p + 1];
  if (size_t g = gap_after(t, b0, b1); g < b1) return g;
  const size_t right = gap_after(t, b1, std::min(t.size(), b1 + kShiftLimit));
  const size_t left_from = b0 > kShiftLimit ? b0 - kShiftLimit : 0;
  const size_t left = gap_before(t, left_from, b0);
  const bool has_right = right < std::min(t.size(), b1 + kShiftLimit);
  const bool has_left = left < b0;
  if (has_right && (!has_left || right - b1 <= b0 - left)) {
    const uint32_t r = t.pos[right];
    shift_slots(t, b1, b1 + 1, right - b1);
    for (size_t q = p + 1; q <= r; ++q) ++t.start[q];
    t.pos[b1] = p;
    t.id[b1] = -1;
    return b1;
  }
  if (has_left) {
    const uint32_t r = t.pos[left];
    shift_slots(t, left + 1, left, b0 - 1 - left);
    for (size_t q = r + 1; q <= p; ++q) --t.start[q];
    t.pos[b0 - 1] = p;
    t.id[b0 - 1] = -1;
    return b0 - 1;
  }
  respread(t, org_count, p);
  return gap_after(t, t.start[p], t.start[p + 1]);
}

}  // namespace

void respread(Table& t, size_t org_count, uint32_t also) {
  Table out;
  out.cols.resize(t.cols.size());
  for (size_t c = 0; c < t.cols.size(); ++c) out.cols[c].type = t.cols[c].type;
  std::vector<size_t> from;  // old slot per new slot (SIZE_MAX: a gap)
  from.reserve(t.size() + t.size() / 32 + org_count);
  for (uint32_t p = 0; p < org_count; ++p) {
    size_t n = 0;
    for (size_t s = t.start[p]; s < t.start[p + 1]; ++s) {
      if (!t.is_live(s)) continue;
      from.push_back(s);
      out.pos.push_back(p);
      ++n;
    }
    // The org that ran out grows by half: records keep arriving where they arrived before (a
    // grid worker reports in one grid), and geometric growth makes their respreads rare.
    const size_t gaps = p == also ? n / 2 + 64 : n ? n / 32 + 1 : 0;
    for (size_t g = gaps; g > 0; --g) {
      from.push_back(SIZE_MAX);
      out.pos.push_back(p);
    }
  }
  out.id.resize(from.size());
  out.live.assign((from.size() + 63) / 64, 0);
  for (size_t c = 0; c < out.cols.size(); ++c) {
    Column& dst = out.cols[c];
    const Column& src = t.cols[c];
    dst.resize(from.size());
    for (size_t s = 0; s < from.size(); ++s) {
      if (from[s] == SIZE_MAX) continue;
      switch (dst.type) {
        case ColumnType::u8:
          dst.u8[s] = src.u8[from[s]];
          break;
        case ColumnType::i32:
          dst.i32[s] = src.i32[from[s]];
          break;
        case ColumnType::f32:
          dst.f32[s] = src.f32[from[s]];
          break;
        case ColumnType::u64:
          dst.u64[s] = src.u64[from[s]];
          break;
        case ColumnType::i64:
          dst.i64[s] = src.i64[from[s]];
          break;
      }
    }
  }
  for (size_t s = 0; s < from.size(); ++s) {
    out.id[s] = from[s] == SIZE_MAX ? -1 : t.id[from[s]];
    if (from[s] != SIZE_MAX) out.live[s / 64] |= uint64_t{1} << (s % 64);
  }
  reindex(out, org_count);
  t = std::move(out);
}

void remove(Table& t, int64_t id) {
  auto slot = t.slot_of(id);
  if (!slot) return;
  set_live(t, *slot, false);
  t.id[*slot] = -1;
  for (auto& c : t.cols) c.clear(*slot);
  sync_planes(t, *slot);
  t.slot_by_id[static_cast<size_t>(id)] = 0;
}

void put(Table& t, size_t org_count, const RecordValues& v) {
  if (t.start.size() != org_count + 1) reindex(t, org_count);
  auto slot = t.slot_of(v.id);
  if (!slot || t.pos[*slot] != v.pos) {
    remove(t, v.id);
    const size_t at = room_in(t, org_count, v.pos);
    t.id[at] = v.id;
    if (static_cast<size_t>(v.id) >= t.slot_by_id.size()) {
      t.slot_by_id.resize(static_cast<size_t>(v.id) + 1 + t.slot_by_id.size() / 8, 0);
    }
    t.slot_by_id[static_cast<size_t>(v.id)] = static_cast<uint32_t>(at + 1);
    set_live(t, at, true);
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
  sync_planes(t, *slot);
}

Index::Index(store::Database& db) : db_(db), data_(std::make_unique<Data>()) {}

size_t Index::memory_bytes() const {
  std::shared_lock lock(mutex_);
  size_t n = data_->tree.bytes();
  for (const auto& t : data_->tables) n += t.bytes();
  return n;
}

namespace {
// A queue this long is applied by the thread that lengthens it, so that a server nobody reads
// from keeps the index (and the queue's memory) bounded.
constexpr size_t kApplyAt = 512;
}  // namespace

std::optional<Entity> Index::follows(const store::RecordKind* kind) {
  // The entities whose rows are these records (a resident's change reaches its household too,
  // a post's or party organisation's their org's flags: refresh_now does that).
  if (kind == &people::kResident) return Entity::resident;
  if (kind == &people::kHousehold) return Entity::household;
  if (kind == &org::kOrg) return Entity::org;
  if (kind == &org::kPost) return Entity::post;
  if (kind == &org::kPartyOrg) return Entity::party_org;
  if (kind == &events::kEvent) return Entity::event;
  return extension_following(kind);
}

void Index::changed(std::span<const store::Change> changes) {
  size_t n = 0;
  {
    std::lock_guard lock(pending_mu_);
    for (const auto& c : changes) {
      if (auto e = follows(c.kind)) pending_.emplace_back(*e, c.id);
    }
    n = pending_.size();
    pending_count_.store(n, std::memory_order_release);
  }
  if (n < kApplyAt) return;
  // Whoever finds the queue long applies it, unless a thread is applying already: then the
  // queue waits for the next refresh or read rather than this write for that thread.
  std::unique_lock applying(apply_mu_, std::try_to_lock);
  if (applying) apply_locked();
}

void Index::apply_pending() const {
  std::lock_guard applying(apply_mu_);
  apply_locked();
}

void Index::apply_locked() const {
  std::vector<std::pair<Entity, int64_t>> batch;
  {
    std::lock_guard lock(pending_mu_);
    batch.swap(pending_);
    pending_count_.store(0, std::memory_order_release);
  }
  if (batch.empty()) return;
  // A reload covers everything queued with it; events go in one batch; the rest one by one,
  // each once, in the order queued.
  if (std::any_of(batch.begin(), batch.end(),
                  [](const auto& p) { return p.first == Entity::org; })) {
    refresh_now(Entity::org, 0);
    return;
  }
  std::vector<int64_t> events;
  std::set<std::pair<Entity, int64_t>> seen;
  for (const auto& p : batch) {
    if (!seen.insert(p).second) continue;
    if (p.first == Entity::event) {
      events.push_back(p.second);
    } else {
      refresh_now(p.first, p.second);
    }
  }
  if (events.empty()) return;
  try {
    refresh_events(events);
  } catch (const std::exception& ex) {
    spdlog::error("analytics: refresh of {} events failed: {}", events.size(), ex.what());
  }
}

void Index::refresh_now(Entity e, int64_t id) const {
  try {
    if (extension(e)) return refresh_extension(e, id);
    switch (e) {
      case Entity::resident:
        refresh_resident(id);
        break;
      case Entity::household:
        refresh_household(id);
        break;
      case Entity::org:
        reload();
        break;
      case Entity::post:
      case Entity::party_org:
        refresh_simple(e, id);
        break;
      case Entity::event:
        refresh_events({id});
        break;
    }
  } catch (const std::exception& ex) {
    spdlog::error("analytics: refresh {} {} failed: {}", to_string(e), id, ex.what());
  }
}

}  // namespace wangge::analytics
