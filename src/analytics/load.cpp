// Reading the index from the database: the org tree first, then each entity, sorted into org
// preorder with a counting sort; household and org facts derived from residents and posts.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "analytics/entity.h"
#include "analytics/events_load.h"
#include "analytics/index.h"
#include "analytics/load_rows.h"
#include "org/org.h"
#include "people/people.h"

namespace wangge::analytics {
namespace {

void build_tree(store::Tx& tx, OrgTree& t) {
  struct Node {
    int64_t id;
    std::optional<int64_t> parent;
    std::string code, name;
    uint8_t kind;
  };
  std::vector<Node> nodes;
  tx.each("SELECT id, parent_id, code, name, kind FROM orgs ORDER BY code", {},
          [&](const store::Row& r) {
            nodes.push_back({r.i64(0), r.opt_i64(1), r.text(2), r.text(3),
                             static_cast<uint8_t>(org::parse_kind(r.text(4)))});
          });
  std::unordered_map<int64_t, size_t> at;
  for (size_t i = 0; i < nodes.size(); ++i) at[nodes[i].id] = i;
  std::vector<std::vector<size_t>> kids(nodes.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < nodes.size(); ++i) {  // nodes are in code order, so kids are too
    auto p = nodes[i].parent ? at.find(*nodes[i].parent) : at.end();
    (p == at.end() ? roots : kids[p->second]).push_back(i);
  }
  t = OrgTree{};
  t.end.resize(nodes.size());
  std::vector<std::pair<size_t, int32_t>> stack;  // node, parent position
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.emplace_back(*it, -1);
  std::vector<uint32_t> pos_of(nodes.size());
  while (!stack.empty()) {
    auto [n, parent] = stack.back();
    stack.pop_back();
    auto p = static_cast<uint32_t>(t.id.size());
    pos_of[n] = p;
    t.id.push_back(nodes[n].id);
    t.code.push_back(nodes[n].code);
    t.name.push_back(nodes[n].name);
    t.kind.push_back(nodes[n].kind);
    t.parent.push_back(parent);
    for (auto k = kids[n].rbegin(); k != kids[n].rend(); ++k)
      stack.emplace_back(*k, static_cast<int32_t>(p));
  }
  // end[p]: one past the last descendant; walk positions backwards, extending parents.
  for (size_t p = 0; p < t.id.size(); ++p) t.end[p] = static_cast<uint32_t>(p + 1);
  for (size_t p = t.id.size(); p-- > 0;) {
    if (t.parent[p] >= 0) t.end[t.parent[p]] = std::max(t.end[t.parent[p]], t.end[p]);
  }
  for (size_t p = 0; p < t.id.size(); ++p) {
    t.pos_of_id[t.id[p]] = static_cast<uint32_t>(p);
    t.pos_of_code[t.code[p]] = static_cast<uint32_t>(p);
  }
}

void load_residents(store::Tx& tx, const OrgTree& tree, Table& t) {
  t = make_table(Entity::resident);
  tx.each(std::string(kResidentSelect) + " ORDER BY id", {}, [&](const store::Row& r) {
    if (auto v = resident_values(r, tree)) append(t, *v);
  });
  reindex(t, tree.size());  // slots by id, for the tags below (still in id order)
  auto& tags = t.cols[col::tags].u64;
  tx.each("SELECT resident_id, tag FROM resident_tags", {}, [&](const store::Row& r) {
    if (auto slot = t.slot_of(r.i64(0))) tags[*slot] |= tag_bit(r.text(1));
  });
  sort_by_pos(t, tree.size());
}

void load_households(store::Tx& tx, const OrgTree& tree, Table& t, const Table& residents) {
  t = make_table(Entity::household);
  tx.each(std::string(kHouseholdSelect) + " ORDER BY id", {}, [&](const store::Row& r) {
    if (auto v = household_values(r, tree)) append(t, *v);
  });
  reindex(t, tree.size());
  // Member facts from the residents already loaded.
  const auto& hh = residents.cols[col::household].i64;
  const auto& status = residents.cols[col::status].u8;
  const auto& tags = residents.cols[col::tags].u64;
  auto& member_tags = t.cols[col::h_member_tags].u64;
  auto& size = t.cols[col::h_size].i32;
  std::fill(size.begin(), size.end(), 0);
  for (size_t i = 0; i < residents.size(); ++i) {
    if (status[i] != kStatusMovedIn) continue;
    if (auto slot = t.slot_of(hh[i])) {
      member_tags[*slot] |= tags[i];
      ++size[*slot];
    }
  }
  sort_by_pos(t, tree.size());
}

void load_simple(store::Tx& tx, const OrgTree& tree, Entity e, Table& t) {
  t = make_table(e);
  tx.each(std::string(simple_select(e)) + " ORDER BY id", {}, [&](const store::Row& r) {
    if (auto v = simple_values(e, r, tree)) append(t, *v);
  });
  sort_by_pos(t, tree.size());
}

// A module's entity (entity.h): one record per row of its table.
void load_extension(store::Tx& tx, const OrgTree& tree, Entity e, Table& t) {
  const EntitySpec& spec = *extension(e);
  t = make_table(e);
  tx.each(extension_select(spec) + " ORDER BY x.id", {}, [&](const store::Row& r) {
    if (auto v = extension_values(spec, r, tree)) append(t, *v);
  });
  sort_by_pos(t, tree.size());
}

// The org "table": one record per org node, at its own position.
void load_orgs(const OrgTree& tree, const Table& posts, const Table& party, Table& t) {
  t = make_table(Entity::org);
  for (size_t p = 0; p < tree.size(); ++p) {
    RecordValues v;
    v.id = tree.id[p];
    v.pos = static_cast<uint32_t>(p);
    v.num = {static_cast<double>(tree.kind[p] + 1)};
    v.bits = {0};
    append(t, v);
  }
  auto& flags = t.cols[col::o_flags].u64;
  const auto& role = posts.cols[col::p_role].u8;
  const auto& active = posts.cols[col::p_flags].u64;
  for (size_t i = 0; i < posts.size(); ++i) {
    if (active[i] & 1) flags[posts.pos[i]] |= role_flag(role[i]);
  }
  for (size_t i = 0; i < party.size(); ++i) flags[party.pos[i]] |= OrgFlag::has_party_org;
  reindex(t, tree.size());
}

}  // namespace

void sort_by_pos(Table& t, size_t org_count) {
  std::vector<uint32_t> start(org_count + 1, 0);
  for (uint32_t p : t.pos) ++start[p + 1];
  for (size_t p = 0; p < org_count; ++p) start[p + 1] += start[p];
  std::vector<uint32_t> order(t.pos.size());
  {
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < t.pos.size(); ++i) order[next[t.pos[i]]++] = static_cast<uint32_t>(i);
  }
  auto permute = [&order](auto& v) {
    if (v.empty()) return;
    std::remove_reference_t<decltype(v)> out(v.size());
    for (size_t i = 0; i < order.size(); ++i) out[i] = v[order[i]];
    v.swap(out);
  };
  permute(t.pos);
  permute(t.id);
  for (auto& c : t.cols) {
    permute(c.u8);
    permute(c.i32);
    permute(c.f32);
    permute(c.u64);
    permute(c.i64);
  }
  reindex(t, org_count);
}

void Index::load() { reload(); }

void Index::reload() const {
  auto started = std::chrono::steady_clock::now();
  auto fresh = std::make_unique<Data>();
  {
    auto tx = db_.begin(store::TxMode::read);
    build_tree(*tx, fresh->tree);
    const auto& tree = fresh->tree;
    load_residents(*tx, tree, fresh->table(Entity::resident));
    load_households(*tx, tree, fresh->table(Entity::household), fresh->table(Entity::resident));
    load_simple(*tx, tree, Entity::post, fresh->table(Entity::post));
    load_simple(*tx, tree, Entity::party_org, fresh->table(Entity::party_org));
    load_orgs(tree, fresh->table(Entity::post), fresh->table(Entity::party_org),
              fresh->table(Entity::org));
    fresh->events_loaded = load_events(*tx, tree, fresh->table(Entity::event));
    for (Entity e : extension_ids()) load_extension(*tx, tree, e, fresh->table(e));
  }
  {
    std::unique_lock lock(mutex_);
    data_ = std::move(fresh);
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started);
  spdlog::info("analytics: index loaded in {} ms, {} residents, {} MiB", ms.count(),
               snapshot()->table(Entity::resident).records(), memory_bytes() >> 20);
}

}  // namespace wangge::analytics
