// The index engine: compile each base indicator's filter into a predicate over columns,
// evaluate it in batches over the chosen org's record range (split across threads at org
// boundaries, so each thread owns the org nodes it writes), roll the per-node sums up the tree,
// and read off the rows.
#include "analytics/engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <thread>

#include "analytics/events_load.h"
#include "analytics/fields.h"
#include "analytics/levels.h"
#include "core/error.h"
#include "events/events.h"

namespace wangge::analytics {
namespace {

using tables::Expr;
constexpr size_t kBatch = 1024;

struct Pred {
  enum class Op { all, any, negate, flags, enum_in, i32_range, f32_range };
  Op op = Op::all;
  int column = 0;
  uint64_t bits = 0;
  int64_t lo = 0, hi = 0;
  double flo = 0, fhi = 0;
  std::vector<Pred> kids;
};

Pred leaf(Pred::Op op, int column) {
  Pred p;
  p.op = op;
  p.column = column;
  return p;
}

Pred i32_range(int column, int64_t lo, int64_t hi) {
  Pred p = leaf(Pred::Op::i32_range, column);
  p.lo = std::max<int64_t>(lo, static_cast<int64_t>(kNullI32) + 1);
  p.hi = hi;
  return p;
}

Pred none() {
  Pred p;
  p.op = Pred::Op::any;  // an empty "any" is false
  return p;
}

Pred negate(Pred inner) {
  Pred p;
  p.op = Pred::Op::negate;
  p.kids.push_back(std::move(inner));
  return p;
}

Pred both(Pred a, Pred b) {
  Pred p;
  p.op = Pred::Op::all;
  p.kids.push_back(std::move(a));
  p.kids.push_back(std::move(b));
  return p;
}

int category_value(std::string_view text, bool top, int& column) {
  const auto& cats = events::categories();
  const auto* c = events::find_category(text);
  if (!c) return -1;
  if (top && !c->parent.empty()) column = col::e_category;  // a sub-category: exact match
  for (size_t i = 0; i < cats.size(); ++i) {
    if (cats[i].code == c->code) return static_cast<int>(i + 1);
  }
  return -1;
}

// One comparison with one value; mirrors compare_one() in fields.cpp.
Pred compare(const Binding& b, Expr::Cmp cmp, double n, const std::string& text, int32_t as_of) {
  using K = Binding::Kind;
  if (cmp == Expr::Cmp::ne && b.kind != K::enum_u8 && b.kind != K::category) {
    return both(i32_range(b.column, INT64_MIN, INT64_MAX),
                negate(compare(b, Expr::Cmp::eq, n, text, as_of)));
  }
  switch (b.kind) {
    case K::enum_u8: {
      Pred p = leaf(Pred::Op::enum_in, b.column);
      uint64_t v = uint64_t{1} << (static_cast<int>(n) + 1);
      p.bits = cmp == Expr::Cmp::ne ? (~v & ~uint64_t{1}) : v;
      return p;
    }
    case K::category: {
      int column = b.column;
      int v = category_value(text, b.column == col::e_category_top, column);
      Pred p = v < 0 ? none() : i32_range(column, v, v);
      return cmp == Expr::Cmp::ne ? negate(std::move(p)) : p;
    }
    case K::age: {
      BirthRange r = age_range(cmp, n, as_of);
      if (r.empty) return none();
      return i32_range(b.column, static_cast<int64_t>(r.after) + 1, r.upto);
    }
    case K::f32: {
      Pred p = leaf(Pred::Op::f32_range, b.column);
      p.flo = -INFINITY;
      p.fhi = INFINITY;
      if (cmp == Expr::Cmp::ge || cmp == Expr::Cmp::eq) p.flo = n;
      if (cmp == Expr::Cmp::gt) p.flo = std::nextafter(n, INFINITY);
      if (cmp == Expr::Cmp::le || cmp == Expr::Cmp::eq) p.fhi = n;
      if (cmp == Expr::Cmp::lt) p.fhi = std::nextafter(n, -INFINITY);
      return p;
    }
    case K::i32:
    case K::day_ms: {
      IntRange r = int_range(cmp, n);
      if (r.empty) return none();
      return i32_range(b.column, r.lo, r.hi);
    }
    case K::flags_any:
      break;
  }
  return none();
}

Pred compile(Entity e, const Expr& x, int32_t as_of) {
  Pred p;
  switch (x.kind) {
    case Expr::Kind::all:
    case Expr::Kind::any:
      p.op = x.kind == Expr::Kind::all ? Pred::Op::all : Pred::Op::any;
      for (const auto& c : x.children) p.kids.push_back(compile(e, c, as_of));
      return p;
    case Expr::Kind::negate:
      return negate(compile(e, x.children.at(0), as_of));
    case Expr::Kind::truth: {
      Binding b = *bind(e, *x.field);
      p = leaf(Pred::Op::flags, b.column);
      p.bits = b.bits;
      return p;
    }
    case Expr::Kind::compare:
      break;
  }
  Binding b = *bind(e, *x.field);
  if (x.cmp != Expr::Cmp::in)
    return compare(b, x.cmp, x.numbers.empty() ? 0 : x.numbers[0], x.values.at(0), as_of);
  p.op = Pred::Op::any;
  for (size_t i = 0; i < x.values.size(); ++i) {
    p.kids.push_back(
        compare(b, Expr::Cmp::eq, i < x.numbers.size() ? x.numbers[i] : 0, x.values[i], as_of));
  }
  return p;
}

void eval(const Pred& p, const Table& t, size_t s, size_t n, uint8_t* out) {
  switch (p.op) {
    case Pred::Op::flags: {
      const uint64_t* v = t.cols[p.column].u64.data() + s;
      for (size_t i = 0; i < n; ++i) out[i] = (v[i] & p.bits) != 0;
      return;
    }
    case Pred::Op::enum_in: {
      const uint8_t* v = t.cols[p.column].u8.data() + s;
      for (size_t i = 0; i < n; ++i) out[i] = (p.bits >> (v[i] & 63)) & 1;
      return;
    }
    case Pred::Op::i32_range: {
      const int32_t* v = t.cols[p.column].i32.data() + s;
      for (size_t i = 0; i < n; ++i) out[i] = v[i] >= p.lo && v[i] <= p.hi;
      return;
    }
    case Pred::Op::f32_range: {
      const float* v = t.cols[p.column].f32.data() + s;
      for (size_t i = 0; i < n; ++i) out[i] = v[i] >= p.flo && v[i] <= p.fhi;  // NaN: false
      return;
    }
    case Pred::Op::negate:
      eval(p.kids[0], t, s, n, out);
      for (size_t i = 0; i < n; ++i) out[i] ^= 1;
      return;
    case Pred::Op::all:
    case Pred::Op::any: {
      bool all = p.op == Pred::Op::all;
      std::fill(out, out + n, all ? 1 : 0);
      uint8_t tmp[kBatch];
      for (const auto& k : p.kids) {
        eval(k, t, s, n, tmp);
        if (all) {
          for (size_t i = 0; i < n; ++i) out[i] &= tmp[i];
        } else {
          for (size_t i = 0; i < n; ++i) out[i] |= tmp[i];
        }
      }
      return;
    }
  }
}

// A base indicator ready to scan.
struct Plan {
  size_t index;  // in the form
  Entity entity;
  std::optional<Pred> pred;      // none: every record
  std::optional<Binding> value;  // sum / avg
};

double value_at(const Binding& b, const Table& t, size_t i, int32_t as_of) {
  switch (b.kind) {
    case Binding::Kind::age: {
      int32_t birth = t.cols[b.column].i32[i];
      return birth == kNullI32 ? NAN : age_years(birth, as_of);
    }
    case Binding::Kind::f32:
      return t.cols[b.column].f32[i];
    default: {
      int32_t v = t.cols[b.column].i32[i];
      return v == kNullI32 ? NAN : v;
    }
  }
}

// Per-node accumulators of one base indicator, indexed by position - first.
struct Acc {
  std::vector<double> count, sum;
};

// The base indicators of one entity, scanned together: the columns are read from memory once,
// and each distinct leaf comparison is evaluated once per batch whatever the number of
// indicators sharing it.
struct Program {
  struct Node {
    enum class Op { all, any, negate, leaf } op = Op::leaf;
    int leaf = -1;
    std::vector<Node> kids;
  };
  Entity entity = Entity::resident;
  std::vector<Pred> leaves;
  std::vector<std::string> keys;           // a leaf's identity, for sharing
  std::vector<size_t> plans;               // positions in the plan list
  std::vector<std::optional<Node>> trees;  // by plans[i]; none: every record

  Node add(const Pred& p) {
    Node n;
    if (p.op == Pred::Op::all || p.op == Pred::Op::any || p.op == Pred::Op::negate) {
      n.op = p.op == Pred::Op::all   ? Node::Op::all
             : p.op == Pred::Op::any ? Node::Op::any
                                     : Node::Op::negate;
      for (const auto& k : p.kids) n.kids.push_back(add(k));
      return n;
    }
    std::string key = std::to_string(static_cast<int>(p.op)) + "|" + std::to_string(p.column) +
                      "|" + std::to_string(p.bits) + "|" + std::to_string(p.lo) + "|" +
                      std::to_string(p.hi) + "|" + std::to_string(p.flo) + "|" +
                      std::to_string(p.fhi);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) {
        n.leaf = static_cast<int>(i);
        return n;
      }
    }
    keys.push_back(key);
    leaves.push_back(p);
    n.leaf = static_cast<int>(leaves.size() - 1);
    return n;
  }
};

using Buffers = std::vector<std::array<uint8_t, kBatch>>;

// The selection of a node: a leaf's own buffer, or one computed into out. AND / OR of leaves
// (the usual shape) run as one pass.
const uint8_t* combine(const Program::Node& node, const Buffers& leaf, size_t n, uint8_t* out) {
  using Op = Program::Node::Op;
  if (node.op == Op::leaf) return leaf[node.leaf].data();
  if (node.op == Op::negate) {
    const uint8_t* in = combine(node.kids[0], leaf, n, out);
    for (size_t i = 0; i < n; ++i) out[i] = in[i] ^ 1;
    return out;
  }
  const bool all = node.op == Op::all;
  std::fill(out, out + n, all ? 1 : 0);
  uint8_t tmp[kBatch];
  for (const auto& k : node.kids) {
    const uint8_t* src = combine(k, leaf, n, tmp);
    if (all) {
      for (size_t i = 0; i < n; ++i) out[i] &= src[i];
    } else {
      for (size_t i = 0; i < n; ++i) out[i] |= src[i];
    }
  }
  return out;
}

// One org's records within a batch: [b, e) relative to the batch start.
struct Segment {
  uint32_t org, b, e;
};

void scan(const Program& prog, const std::vector<Plan>& plans, const Table& t, size_t r0, size_t r1,
          uint32_t first, int32_t as_of, std::vector<Acc>& acc) {
  Buffers leaf(prog.leaves.size());
  uint8_t buf[kBatch];
  std::array<uint8_t, kBatch> ones;
  ones.fill(1);
  std::vector<Segment> segs;
  uint32_t p = t.pos[r0];  // records are in org order: walk the orgs along
  for (size_t s = r0; s < r1; s += kBatch) {
    const size_t n = std::min(kBatch, r1 - s);
    segs.clear();
    for (size_t i = 0; i < n;) {
      while (t.start[p + 1] <= s + i) ++p;
      size_t e = std::min<size_t>(n, t.start[p + 1] - s);
      segs.push_back({p - first, static_cast<uint32_t>(i), static_cast<uint32_t>(e)});
      i = e;
    }
    for (size_t l = 0; l < prog.leaves.size(); ++l) eval(prog.leaves[l], t, s, n, leaf[l].data());
    for (size_t k = 0; k < prog.plans.size(); ++k) {
      const Plan& plan = plans[prog.plans[k]];
      Acc& a = acc[prog.plans[k]];
      const uint8_t* sel = ones.data();
      if (prog.trees[k]) sel = combine(*prog.trees[k], leaf, n, buf);
      if (!plan.value) {
        for (const auto& g : segs) {
          unsigned c = 0;
          for (uint32_t i = g.b; i < g.e; ++i) c += sel[i];
          a.count[g.org] += c;
        }
        continue;
      }
      for (const auto& g : segs) {
        for (uint32_t i = g.b; i < g.e; ++i) {
          if (!sel[i]) continue;
          double v = value_at(*plan.value, t, s + i, as_of);
          if (std::isnan(v)) continue;
          a.count[g.org] += 1;
          a.sum[g.org] += v;
        }
      }
    }
  }
}

// Splits [r0, r1) into about `parts` pieces whose borders fall between orgs.
std::vector<size_t> split(const Table& t, size_t r0, size_t r1, size_t parts) {
  std::vector<size_t> cuts{r0};
  for (size_t k = 1; k < parts; ++k) {
    size_t at = r0 + (r1 - r0) * k / parts;
    if (at <= cuts.back() || at >= r1) continue;
    at = t.start[t.pos[at]];  // back to the start of that org's block
    if (at > cuts.back()) cuts.push_back(at);
  }
  cuts.push_back(r1);
  return cuts;
}

}  // namespace

int32_t to_ymd(Date d) {
  return static_cast<int>(d.year()) * 10000 +
         static_cast<int>(static_cast<unsigned>(d.month())) * 100 +
         static_cast<int>(static_cast<unsigned>(d.day()));
}

tables::Report run_report(const Index& index, const tables::Form& form, const ReportRequest& req) {
  auto data = index.read();
  const OrgTree& tree = data->tree;
  auto at = tree.find(req.org_code);
  if (!at) throw_not_found("组织机构不存在：" + req.org_code, "no such org: " + req.org_code);
  const uint32_t first = *at, last = tree.end[*at];
  auto kinds = row_kinds(static_cast<org::OrgKind>(tree.kind[first]), req.level, form);
  const int32_t as_of = to_ymd(req.as_of);

  std::vector<Plan> plans;
  for (size_t i = 0; i < form.indicators.size(); ++i) {
    const auto& ind = form.indicators[i];
    if (ind.aggregate == tables::Aggregate::ratio || ind.aggregate == tables::Aggregate::percent)
      continue;
    Plan p{i, *parse_entity(ind.entity), std::nullopt, std::nullopt};
    if (ind.filter) p.pred = compile(p.entity, *ind.filter, as_of);
    if (ind.period && req.from && req.to) {
      Binding b = *bind(p.entity, *ind.period);
      Pred range = i32_range(b.column, to_ymd(*req.from), to_ymd(*req.to));
      p.pred = p.pred ? both(std::move(*p.pred), std::move(range)) : std::move(range);
    }
    if (ind.field) p.value = bind(p.entity, *ind.field);
    plans.push_back(std::move(p));
  }

  const size_t nodes = last - first;
  std::vector<Acc> acc(plans.size());
  for (size_t k = 0; k < plans.size(); ++k) {
    acc[k].count.assign(nodes, 0);
    if (plans[k].value) acc[k].sum.assign(nodes, 0);
  }
  // One program per entity; tasks are (program, record range) pieces threads take in turn.
  std::vector<Program> programs;
  for (size_t k = 0; k < plans.size(); ++k) {
    auto it = std::find_if(programs.begin(), programs.end(),
                           [&](const Program& g) { return g.entity == plans[k].entity; });
    if (it == programs.end()) {
      programs.push_back(Program{});
      it = programs.end() - 1;
      it->entity = plans[k].entity;
    }
    it->plans.push_back(k);
    it->trees.push_back(plans[k].pred ? std::optional(it->add(*plans[k].pred)) : std::nullopt);
  }
  struct Task {
    size_t program, r0, r1;
  };
  std::vector<Task> tasks;
  size_t threads = req.threads > 0 ? static_cast<size_t>(req.threads)
                                   : std::max(1u, std::thread::hardware_concurrency());
  for (size_t g = 0; g < programs.size(); ++g) {
    const Table& t = data->table(programs[g].entity);
    if (t.start.size() < tree.size() + 1) continue;
    size_t r0 = t.start[first], r1 = t.start[last];
    if (r0 == r1) continue;
    size_t parts = std::clamp<size_t>((r1 - r0) / 32768, 1, threads * 4);
    auto cuts = split(t, r0, r1, parts);
    for (size_t c = 0; c + 1 < cuts.size(); ++c) tasks.push_back({g, cuts[c], cuts[c + 1]});
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < tasks.size();) {
      const Task& task = tasks[i];
      const Program& g = programs[task.program];
      scan(g, plans, data->table(g.entity), task.r0, task.r1, first, as_of, acc);
    }
  };
  std::vector<std::thread> pool;
  for (size_t i = 1; i < std::min(threads, tasks.size()); ++i) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();

  // Roll up: children come after their parent in preorder.
  for (auto& a : acc) {
    for (uint32_t p = last; p-- > first + 1;) {
      uint32_t parent = static_cast<uint32_t>(tree.parent[p]) - first;
      a.count[parent] += a.count[p - first];
      if (!a.sum.empty()) a.sum[parent] += a.sum[p - first];
    }
  }
  tables::Report r = report_head(form);
  r.org_code = tree.code[first];
  r.org_name = tree.name[first];
  r.level = level_name(static_cast<org::OrgKind>(tree.kind[first]), req.level, form);
  r.as_of = format_date(req.as_of);
  if (req.from && req.to) {
    r.period_from = format_date(*req.from);
    r.period_to = format_date(*req.to);
  }
  auto row_of = [&](uint32_t p) {
    tables::ReportRow row{tree.code[p], tree.name[p],
                          std::vector<std::optional<double>>(form.indicators.size())};
    for (size_t k = 0; k < plans.size(); ++k) {
      const auto& ind = form.indicators[plans[k].index];
      double c = acc[k].count[p - first];
      double s = acc[k].sum.empty() ? 0 : acc[k].sum[p - first];
      if (ind.aggregate == tables::Aggregate::count) row.values[plans[k].index] = c;
      if (ind.aggregate == tables::Aggregate::sum) row.values[plans[k].index] = s;
      if (ind.aggregate == tables::Aggregate::avg && c > 0) row.values[plans[k].index] = s / c;
    }
    tables::derive(form, row);
    return row;
  };
  for (uint32_t p = first; p < last; ++p) {
    auto k = static_cast<org::OrgKind>(tree.kind[p]);
    if (std::find(kinds.begin(), kinds.end(), k) != kinds.end()) r.rows.push_back(row_of(p));
  }
  std::stable_sort(r.rows.begin(), r.rows.end(),
                   [](const auto& a, const auto& b) { return a.org_code < b.org_code; });
  r.total = row_of(first);
  return r;
}

}  // namespace wangge::analytics
