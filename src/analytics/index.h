// The in-memory columnar index behind reports and dashboards (DESIGN §6). At start it loads the
// org tree and every resident, household, post, party organisation (and event) into columns
// ordered by the org tree's preorder, so that every org subtree is one contiguous range of
// records; tags and yes/no facts are bits, enums are small integers, dates are yyyymmdd.
// The database stays the source of truth: changed() queues the records a committed write
// changed to be re-read (subscribe it to Database::subscribe); the queue is applied in batches,
// before the next read() and whenever it grows long, so a write costs one queue push and a
// reader always sees every write committed before it asked.
//
// Thread safety: any number of readers (Index::read()) run at once; applying the queue and
// load() take the writer side of a shared mutex only while they swap values in, after reading
// the database. One thread applies the queue at a time, so a later state is never overwritten
// by an earlier one.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/database.h"

namespace wangge::analytics {

// The built-in entities; the modules' own follow them (entity.h: kEntityCount + i).
enum class Entity : uint8_t { resident, household, org, post, party_org, event };
inline constexpr int kEntityCount = 6;
std::string_view to_string(Entity e);
std::optional<Entity> parse_entity(std::string_view s);

// Null markers: enums use 0 (an option is index + 1), i32 columns INT32_MIN, f32 NaN.
inline constexpr int32_t kNullI32 = std::numeric_limits<int32_t>::min();

// The columns of each entity (positions in Table::cols).
namespace col {
// resident
inline constexpr int sex = 0, birth = 1, relation = 2, status = 3, color = 4, tags = 5,
                     household = 6;
// household: flags bit 0 = in a building; member_tags = tags of members 在册; size = members 在册
inline constexpr int h_color = 0, h_flags = 1, h_member_tags = 2, h_size = 3;
// org: kind = OrgKind + 1; flags: see OrgFlag
inline constexpr int o_kind = 0, o_flags = 1;
// post: role = PostRole + 1; flags bit 0 = active (not ended)
inline constexpr int p_role = 0, p_flags = 1;
// party_org: kind = PartyKind + 1
inline constexpr int q_kind = 0;
}  // namespace col

// Bits of an org's flags column: what the node has directly (not its subtree).
enum OrgFlag : uint64_t {
  has_grid_head = 1 << 0,        // 网格长 in post
  has_full_worker = 1 << 1,      // 专职网格员
  has_part_worker = 1 << 2,      // 兼职网格员
  has_building_head = 1 << 3,    // 楼栋长
  has_party_org = 1 << 4,        // a party organisation sits beside it
  has_party_household = 1 << 5,  // 党员中心户
  has_secretary = 1 << 6,        // 村（社区）书记
};

enum class ColumnType : uint8_t { u8, i32, f32, u64, i64 };

// One column; only the vector of its type is used.
struct Column {
  ColumnType type = ColumnType::u8;
  std::vector<uint8_t> u8;
  std::vector<int32_t> i32;
  std::vector<float> f32;
  std::vector<uint64_t> u64;
  std::vector<int64_t> i64;

  size_t bytes() const;
  void clear(size_t slot);  // writes the null value
  // Moves values [from, from + n) to [to, to + n) (the ranges may overlap).
  void shift(size_t from, size_t to, size_t n);
  void resize(size_t n);  // new slots null
  void set(size_t slot, double v);
  void set_bits(size_t slot, uint64_t v);
  void set_i64(size_t slot, int64_t v);
};

// The records of one entity, sorted by org position. A slot may be a gap (no record: live bit
// clear, id -1, null values; it keeps the pos of its place), left by a removal or by
// respread(), so that a record moving between orgs shifts a few slots instead of the table.
struct Table {
  std::vector<uint32_t> pos;  // org preorder position of the record's org
  std::vector<int64_t> id;
  std::vector<Column> cols;
  // start[p]: the first record whose pos >= p; size org count + 1. The records of the subtree
  // of p are [start[p], start[tree.end[p]]).
  std::vector<uint32_t> start;
  // id → slot + 1 (0: absent). Record ids are dense (database sequences), so a vector.
  std::vector<uint32_t> slot_by_id;
  // Bit s set: slot s holds a record. Empty: every slot does.
  std::vector<uint64_t> live;
  // Bit-sliced copies of the u64 columns (tags, flags): planes[c][b] has bit b of column c for
  // every slot (word s / 64, bit s % 64), so a tag test reads one bit per record instead of
  // eight bytes. Empty for a column that is not u64 and for a bit no record has.
  // Kept by reindex(), put(), remove() and sync_planes().
  std::vector<std::array<std::vector<uint64_t>, 64>> planes;
  bool is_live(size_t s) const { return live.empty() || ((live[s / 64] >> (s % 64)) & 1); }
  std::optional<size_t> slot_of(int64_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= slot_by_id.size() || !slot_by_id[id]) return {};
    return slot_by_id[id] - 1;
  }

  size_t size() const { return pos.size(); }  // slots, gaps included
  size_t records() const;                     // live slots
  size_t bytes() const;
};

// The org tree in preorder (children by code). The subtree of p is [p, end[p]).
struct OrgTree {
  std::vector<int64_t> id;
  std::vector<std::string> code, name;
  std::vector<uint8_t> kind;    // org::OrgKind
  std::vector<int32_t> parent;  // position; -1 for a root
  std::vector<uint32_t> end;
  std::unordered_map<int64_t, uint32_t> pos_of_id;
  std::unordered_map<std::string, uint32_t> pos_of_code;

  size_t size() const { return id.size(); }
  std::optional<uint32_t> find(std::string_view code) const;
  size_t bytes() const;
};

// The number of entities: the built-in ones and those the modules installed (entity.h).
size_t entity_count();

struct Data {
  Data() : tables(entity_count()) {}
  OrgTree tree;
  // By Entity: the built-in ones, then the modules' (entity.h), kEntityCount + i.
  std::vector<Table> tables;
  bool events_loaded = false;  // the events tables exist and were loaded
  const Table& table(Entity e) const { return tables[static_cast<int>(e)]; }
  Table& table(Entity e) { return tables[static_cast<int>(e)]; }
};

class Index {
 public:
  explicit Index(store::Database& db);
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Reads everything from the database and replaces the contents.
  void load();
  // Queues the records a committed transaction changed to be re-read (subscribe it with
  // Database::subscribe): residents, households, posts, party organisations, events; an org
  // node reloads the tree and everything (rare). Records the index does not hold are passed
  // over. Never throws (a failure is logged and the next load() repairs it).
  void changed(std::span<const store::Change> changes);
  void changed(const store::Change& change) { changed(std::span(&change, 1)); }
  // The entity whose records are of this kind, if the index holds them.
  static std::optional<Entity> follows(const store::RecordKind* kind);
  // Applies the queued refreshes now (read() does so first).
  void apply_pending() const;
  // Records queued and not yet applied: how far the index is behind the database now.
  size_t pending() const { return pending_count_.load(std::memory_order_relaxed); }

  // A read view; holds the shared lock while alive.
  class Reader {
   public:
    const Data& operator*() const { return *data_; }
    const Data* operator->() const { return data_; }

   private:
    friend class Index;
    Reader(std::shared_mutex& m, const Data* d) : lock_(m), data_(d) {}
    std::shared_lock<std::shared_mutex> lock_;
    const Data* data_;
  };
  // Applies the queued refreshes first.
  Reader read() const {
    if (pending_count_.load(std::memory_order_acquire) > 0) apply_pending();
    return snapshot();
  }

  // The bytes the columns and maps take (capacity, not size).
  size_t memory_bytes() const;
  store::Database& database() const { return db_; }

 private:
  // The index caches the database: bringing it up to date (the queue, a reload) is not a
  // change a reader could tell from a fresh load, so those members are const.
  Reader snapshot() const { return Reader(mutex_, data_.get()); }
  void reload() const;
  void apply_locked() const;  // apply_pending() under apply_mu_
  void refresh_now(Entity e, int64_t id) const;
  void refresh_resident(int64_t id) const;
  void refresh_household(int64_t id) const;
  void refresh_simple(Entity e, int64_t id) const;
  void refresh_org_flags(int64_t org_id) const;
  void refresh_events(const std::vector<int64_t>& ids) const;
  void refresh_extension(Entity e, int64_t id) const;

  store::Database& db_;
  mutable std::shared_mutex mutex_;
  mutable std::unique_ptr<Data> data_;
  // The refresh queue (pending_mu_), its length for read()'s unlocked look, and the lock of the
  // one thread applying it.
  mutable std::mutex pending_mu_;
  mutable std::vector<std::pair<Entity, int64_t>> pending_;
  mutable std::atomic<size_t> pending_count_{0};
  mutable std::mutex apply_mu_;
  // Once the events tables exist they stay: refresh_events() stops asking after the first yes.
  mutable std::atomic<bool> events_schema_{false};
};

// One record's values for Table::put (by column position).
struct RecordValues {
  int64_t id = 0;
  uint32_t pos = 0;
  std::vector<double> num;     // for u8 / i32 / f32 columns (ignored for u64 / i64)
  std::vector<uint64_t> bits;  // for u64 columns
  std::vector<int64_t> wide;   // for i64 columns
};
// Inserts or replaces the record with values.id, keeping the table sorted. A record new to its
// org takes a gap of the org's block, else the nearest gap within kShiftLimit slots is
// brought next to the block by shifting the slots between (O(distance)); with none that near,
// the table is respread first (O(n), after which gaps are near again).
// REQUIRES: the writer lock.
void put(Table& t, size_t org_count, const RecordValues& v);
// Removes the record with this id, if present: its slot becomes a gap (O(columns)).
void remove(Table& t, int64_t id);
// A shift moves up to this many slots, each with its columns and bit planes (~1 ms).
inline constexpr size_t kShiftLimit = 1 << 12;
// Rewrites the table with gaps: after the records of every org that has some, one gap per 32
// records and one more; after those of the org `also` (the one that ran out), half as many gaps
// as records and 64 more. O(n). REQUIRES: tree-sized start[].
void respread(Table& t, size_t org_count, uint32_t also = UINT32_MAX);
// Rebuilds start[], slot_by_id and planes from pos / id / the columns.
// REQUIRES: records sorted by pos.
void reindex(Table& t, size_t org_count);
// Rebuilds every plane from the u64 columns.
void build_planes(Table& t);
// Copies the u64 values of one slot into the planes (after writing them in place).
void sync_planes(Table& t, size_t slot);

}  // namespace wangge::analytics
