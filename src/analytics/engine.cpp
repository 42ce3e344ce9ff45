// The index engine: compile each base indicator's filter into a predicate over columns and
// evaluate it as bitmasks, batch by batch, in one pass over the chosen org's record range (in
// chunks across threads). Every row is an org subtree and so one range of records: the pass
// keeps the running count (and value sum) at each slot where some row's range begins or ends,
// and a row is the difference of two of them — no per-node accumulators, no roll-up, no scan
// per row.
#include "analytics/engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <thread>

#include "analytics/events_load.h"
#include "analytics/fields.h"
#include "analytics/levels.h"
#include "analytics/scan.h"
#include "core/error.h"
#include "events/events.h"

namespace wangge::analytics {
namespace {

using forms::Expr;

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

using Words = std::array<uint64_t, scan::kScanWords>;

// A flags test from the column's bit planes: the OR of the planes of the bits asked for.
// REQUIRES: s is a multiple of 64.
void planes_any(const Pred& p, const Table& t, size_t s, size_t n, uint64_t* out) {
  const size_t words = (n + 63) / 64, at = s / 64;
  std::fill(out, out + words, 0);
  for (uint64_t bits = p.bits; bits; bits &= bits - 1) {
    const auto& plane = t.planes[p.column][std::countr_zero(bits)];
    const size_t have = std::min(words, plane.size() > at ? plane.size() - at : 0);
    for (size_t w = 0; w < have; ++w) out[w] |= plane[at + w];
  }
  if (n % 64) out[words - 1] &= scan::bit_span(0, n % 64);
}

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
  std::vector<std::vector<uint8_t>> enum_values;  // per leaf: the codes an enum_in accepts
  std::vector<std::string> keys;                  // a leaf's identity, for sharing
  std::vector<size_t> plans;                      // positions in the plan list
  std::vector<std::optional<Node>> trees;         // by plans[i]; none: every record

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
    std::vector<uint8_t> codes;
    for (int v = 0; v < 64 && p.op == Pred::Op::enum_in; ++v) {
      if ((p.bits >> v) & 1) codes.push_back(static_cast<uint8_t>(v));
    }
    enum_values.push_back(std::move(codes));
    n.leaf = static_cast<int>(leaves.size() - 1);
    return n;
  }

  // Leaf l over records [s, s + n) of t, as bits.
  void eval(size_t l, const Table& t, size_t s, size_t n, uint64_t* out) const {
    const Pred& p = leaves[l];
    switch (p.op) {
      case Pred::Op::flags:
        if (static_cast<size_t>(p.column) < t.planes.size()) return planes_any(p, t, s, n, out);
        return scan::flags_any(t.cols[p.column].u64.data() + s, n, p.bits, out);
      case Pred::Op::enum_in:
        return scan::u8_in(t.cols[p.column].u8.data() + s, n, enum_values[l].data(),
                           enum_values[l].size(), out);
      case Pred::Op::i32_range: {
        int64_t lo = std::max<int64_t>(p.lo, INT32_MIN), hi = std::min<int64_t>(p.hi, INT32_MAX);
        if (lo > hi) break;
        return scan::i32_range(t.cols[p.column].i32.data() + s, n, static_cast<int32_t>(lo),
                               static_cast<int32_t>(hi), out);
      }
      case Pred::Op::f32_range:
        return scan::f32_range(t.cols[p.column].f32.data() + s, n, p.flo, p.fhi, out);
      default:
        break;
    }
    std::fill(out, out + (n + 63) / 64, 0);
  }
};

// The selection of a node: a leaf's own words, or words computed into out.
const uint64_t* combine(const Program::Node& node, const std::vector<Words>& leaf, uint64_t* out) {
  using Op = Program::Node::Op;
  constexpr size_t W = scan::kScanWords;
  if (node.op == Op::leaf) return leaf[node.leaf].data();
  if (node.op == Op::negate) {
    const uint64_t* in = combine(node.kids[0], leaf, out);
    for (size_t w = 0; w < W; ++w) out[w] = ~in[w];
    return out;
  }
  const bool all = node.op == Op::all;
  std::fill(out, out + W, all ? ~uint64_t{0} : 0);
  uint64_t tmp[W];
  for (const auto& k : node.kids) {
    const uint64_t* src = combine(k, leaf, tmp);
    for (size_t w = 0; w < W; ++w) out[w] = all ? out[w] & src[w] : out[w] | src[w];
  }
  return out;
}

// What a scan of one entity produces. P(b), the number (and value sum) of the records of
// [r0, slot[b]) a plan selects, is kept per chunk: count[k * nb + b] counts from the start of
// the chunk owning b, and chunk totals carry the rest (resolve() adds them up).
struct Prefix {
  std::vector<uint32_t> slot;  // boundary slots, sorted
  std::vector<uint32_t> count;
  std::vector<double> sum;
  std::vector<uint32_t> chunk_count;  // [chunk * plans + k]
  std::vector<double> chunk_sum;
  std::vector<size_t> chunk_of;  // per boundary
};

struct Chunk {
  size_t program, c0, c1, index;
  size_t b0, b1;  // the boundaries it owns
};

// Counts (and sums) per plan at the chunk's boundaries, batch by batch: the plan's selection as
// bits, masked to the chunk and to live slots, then popcounts up to each boundary.
WANGGE_SCAN_CLONES void scan_chunk(const Program& prog, const std::vector<Plan>& plans,
                                   const Table& t, const Chunk& c, int32_t as_of, Prefix& out) {
  constexpr size_t W = scan::kScanWords, B = scan::kScanBatch;
  const size_t nb = out.slot.size(), np = prog.plans.size();
  std::vector<Words> leaf(prog.leaves.size());
  std::vector<uint32_t> run(np, 0);
  std::vector<double> run_sum(np, 0);
  std::vector<double> psum(B + 1);
  Words range{}, sel_buf{}, sel{};
  uint32_t cw[W + 1];
  size_t b = c.b0;
  for (size_t s = c.c0 - c.c0 % B; s < c.c1; s += B) {
    const size_t n = std::min(B, t.size() - s);
    const size_t lo = std::max(c.c0, s) - s, hi = std::min(c.c1, s + n) - s;
    for (size_t w = 0; w < W; ++w) {
      range[w] = scan::bit_span(
          static_cast<unsigned>(std::clamp<size_t>(lo, w * 64, w * 64 + 64) - w * 64),
          static_cast<unsigned>(std::clamp<size_t>(hi, w * 64, w * 64 + 64) - w * 64));
      if (!t.live.empty() && range[w]) range[w] &= t.live[s / 64 + w];
    }
    for (size_t l = 0; l < prog.leaves.size(); ++l) prog.eval(l, t, s, n, leaf[l].data());
    const size_t bend = b;
    for (size_t k = 0; k < np; ++k) {
      const Plan& plan = plans[prog.plans[k]];
      const uint64_t* src = prog.trees[k] ? combine(*prog.trees[k], leaf, sel_buf.data()) : nullptr;
      for (size_t w = 0; w < W; ++w) sel[w] = (src ? src[w] : ~uint64_t{0}) & range[w];
      if (plan.value) {  // sums: drop records without a value, then prefix sums of the rest
        psum[0] = 0;
        for (size_t i = 0; i < n; ++i) {
          double v = 0;
          if ((sel[i / 64] >> (i % 64)) & 1) {
            v = value_at(*plan.value, t, s + i, as_of);
            if (std::isnan(v)) {
              sel[i / 64] &= ~(uint64_t{1} << (i % 64));
              v = 0;
            }
          }
          psum[i + 1] = psum[i] + v;
        }
      }
      cw[0] = 0;
      for (size_t w = 0; w < W; ++w) cw[w + 1] = cw[w] + std::popcount(sel[w]);
      for (b = bend; b < c.b1 && out.slot[b] < s + n; ++b) {
        const size_t off = out.slot[b] - s, w = off / 64;
        out.count[k * nb + b] =
            run[k] + cw[w] + std::popcount(sel[w] & scan::bit_span(0, off % 64));
        if (plan.value) out.sum[k * nb + b] = run_sum[k] + psum[off];
      }
      run[k] += cw[W];
      if (plan.value) run_sum[k] += psum[n];
    }
    if (np == 0) b = bend;
  }
  for (; b < c.b1; ++b) {  // boundaries at the chunk's end (the table range's end)
    for (size_t k = 0; k < np; ++k) {
      out.count[k * nb + b] = run[k];
      if (plans[prog.plans[k]].value) out.sum[k * nb + b] = run_sum[k];
    }
  }
  for (size_t k = 0; k < np; ++k) {
    out.chunk_count[c.index * np + k] = run[k];
    if (plans[prog.plans[k]].value) out.chunk_sum[c.index * np + k] = run_sum[k];
  }
}

// Turns per-chunk counts into P(b) from the start of the range.
void resolve(Prefix& p, size_t plans, size_t chunks) {
  const size_t nb = p.slot.size();
  for (size_t k = 0; k < plans; ++k) {
    uint32_t base = 0;
    double base_sum = 0;
    size_t chunk = 0;
    for (size_t b = 0; b < nb; ++b) {
      for (; chunk < p.chunk_of[b]; ++chunk) {
        base += p.chunk_count[chunk * plans + k];
        if (!p.sum.empty()) base_sum += p.chunk_sum[chunk * plans + k];
      }
      p.count[k * nb + b] += base;
      if (!p.sum.empty()) p.sum[k * nb + b] += base_sum;
    }
  }
  (void)chunks;
}

}  // namespace

int32_t to_ymd(Date d) {
  return static_cast<int>(d.year()) * 10000 +
         static_cast<int>(static_cast<unsigned>(d.month())) * 100 +
         static_cast<int>(static_cast<unsigned>(d.day()));
}

namespace {

std::vector<Plan> plan_form(const forms::Form& form, const ReportRequest& req, int32_t as_of) {
  std::vector<Plan> plans;
  for (size_t i = 0; i < form.indicators.size(); ++i) {
    const auto& ind = form.indicators[i];
    if (ind.aggregate == forms::Aggregate::ratio || ind.aggregate == forms::Aggregate::percent)
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
  return plans;
}

std::vector<Program> programs_of(const std::vector<Plan>& plans) {
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
  return programs;
}

// The org positions where some row's subtree begins or ends (each row is [p, end[p])), in
// order, and for each such position its index in that list (at[p - first]).
struct Cuts {
  std::vector<uint32_t> org;
  std::vector<uint32_t> at;
};

Cuts cuts_of(const OrgTree& tree, uint32_t first, uint32_t last,
             const std::vector<uint32_t>& rows) {
  Cuts c;
  std::vector<uint8_t> mark(last - first + 1, 0);
  mark[0] = mark[last - first] = 1;
  for (uint32_t p : rows) mark[p - first] = mark[tree.end[p] - first] = 1;
  c.at.resize(mark.size());
  for (uint32_t q = 0; q < mark.size(); ++q) {
    if (!mark[q]) continue;
    c.at[q] = static_cast<uint32_t>(c.org.size());
    c.org.push_back(first + q);
  }
  return c;
}

// Scans every program over the chosen org's records on `threads` threads and returns, per
// program, P at the cuts.
std::vector<Prefix> scan_all(const Data& data, const std::vector<Program>& programs,
                             const std::vector<Plan>& plans, const Cuts& cuts, size_t threads,
                             int32_t as_of) {
  constexpr size_t B = scan::kScanBatch;
  std::vector<Prefix> out(programs.size());
  std::vector<Chunk> chunks;
  for (size_t g = 0; g < programs.size(); ++g) {
    const Table& t = data.table(programs[g].entity);
    Prefix& p = out[g];
    const size_t np = programs[g].plans.size();
    bool sums = false;
    for (size_t k : programs[g].plans) sums = sums || plans[k].value.has_value();
    const bool indexed = t.start.size() >= data.tree.size() + 1;
    p.slot.resize(cuts.org.size());
    for (size_t b = 0; b < cuts.org.size(); ++b) p.slot[b] = indexed ? t.start[cuts.org[b]] : 0;
    p.count.assign(np * p.slot.size(), 0);
    if (sums) p.sum.assign(np * p.slot.size(), 0);
    p.chunk_of.assign(p.slot.size(), 0);
    const size_t r0 = p.slot.front(), r1 = p.slot.back();
    if (r0 == r1) {
      p.chunk_count.assign(np, 0);
      p.chunk_sum.assign(np, 0);
      continue;
    }
    size_t len = std::max<size_t>(B * 32, (r1 - r0) / (threads * 4));
    len = (len + B - 1) / B * B;
    size_t index = 0;
    for (size_t c0 = r0; c0 < r1; ++index) {
      size_t c1 = std::min(r1, (c0 - c0 % B) + len);
      auto b0 = std::lower_bound(p.slot.begin(), p.slot.end(), c0) - p.slot.begin();
      auto b1 = c1 == r1 ? p.slot.size()
                         : std::lower_bound(p.slot.begin(), p.slot.end(), c1) - p.slot.begin();
      for (auto b = b0; b < static_cast<ptrdiff_t>(b1); ++b) p.chunk_of[b] = index;
      chunks.push_back({g, c0, c1, index, static_cast<size_t>(b0), static_cast<size_t>(b1)});
      c0 = c1;
    }
    p.chunk_count.assign(index * np, 0);
    p.chunk_sum.assign(sums ? index * np : 0, 0);
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < chunks.size();) {
      const Chunk& c = chunks[i];
      const Program& g = programs[c.program];
      scan_chunk(g, plans, data.table(g.entity), c, as_of, out[c.program]);
    }
  };
  std::vector<std::thread> pool;
  for (size_t i = 1; i < std::min(threads, chunks.size()); ++i) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  for (size_t g = 0; g < programs.size(); ++g) {
    if (out[g].chunk_sum.empty() && !out[g].sum.empty()) out[g].chunk_sum.assign(1, 0);
    resolve(out[g], programs[g].plans.size(), 0);
  }
  return out;
}

}  // namespace

forms::Report run_report(const Index& index, const forms::Form& form, const ReportRequest& req) {
  auto data = index.read();
  const OrgTree& tree = data->tree;
  auto at = tree.find(req.org_code);
  if (!at) throw_not_found("组织机构不存在：" + req.org_code, "no such org: " + req.org_code);
  const uint32_t first = *at, last = tree.end[*at];
  auto kinds = row_kinds(static_cast<org::OrgKind>(tree.kind[first]), req.level, form);
  const int32_t as_of = to_ymd(req.as_of);
  bool is_row[256] = {};
  for (auto k : kinds) is_row[static_cast<uint8_t>(k)] = true;
  std::vector<uint32_t> rows;
  for (uint32_t p = first; p < last; ++p) {
    if (is_row[tree.kind[p]]) rows.push_back(p);
  }

  const std::vector<Plan> plans = plan_form(form, req, as_of);
  const std::vector<Program> programs = programs_of(plans);
  const Cuts cuts = cuts_of(tree, first, last, rows);
  size_t threads = req.threads > 0 ? static_cast<size_t>(req.threads)
                                   : std::max(1u, std::thread::hardware_concurrency());
  const std::vector<Prefix> prefix = scan_all(*data, programs, plans, cuts, threads, as_of);

  forms::Report r = report_head(form, req, tree.code[first], tree.name[first],
                                static_cast<org::OrgKind>(tree.kind[first]));
  auto row_of = [&](uint32_t p) {
    forms::ReportRow row{tree.code[p], tree.name[p],
                         std::vector<std::optional<double>>(form.indicators.size())};
    const size_t lo = cuts.at[p - first], hi = cuts.at[tree.end[p] - first];
    for (size_t g = 0; g < programs.size(); ++g) {
      const Prefix& pre = prefix[g];
      const size_t nb = pre.slot.size();
      for (size_t k = 0; k < programs[g].plans.size(); ++k) {
        const Plan& plan = plans[programs[g].plans[k]];
        const auto& ind = form.indicators[plan.index];
        double c = pre.count[k * nb + hi] - pre.count[k * nb + lo];
        double s = pre.sum.empty() ? 0 : pre.sum[k * nb + hi] - pre.sum[k * nb + lo];
        if (ind.aggregate == forms::Aggregate::count) row.values[plan.index] = c;
        if (ind.aggregate == forms::Aggregate::sum) row.values[plan.index] = s;
        if (ind.aggregate == forms::Aggregate::avg && c > 0) row.values[plan.index] = s / c;
      }
    }
    forms::derive(form, row);
    return row;
  };
  // Long reports are built in two halves on two threads.
  auto fill = [&](size_t a, size_t b, std::vector<forms::ReportRow>& out) {
    out.reserve(b - a);
    for (size_t i = a; i < b; ++i) out.push_back(row_of(rows[i]));
  };
  const size_t half = threads > 1 && rows.size() >= 4096 ? rows.size() / 2 : rows.size();
  std::vector<forms::ReportRow> upper;
  std::thread second;
  if (half < rows.size()) second = std::thread(fill, half, rows.size(), std::ref(upper));
  fill(0, half, r.rows);
  if (second.joinable()) second.join();
  r.rows.insert(r.rows.end(), std::make_move_iterator(upper.begin()),
                std::make_move_iterator(upper.end()));
  auto by_code = [](const auto& a, const auto& b) { return a.org_code < b.org_code; };
  if (!std::is_sorted(r.rows.begin(), r.rows.end(), by_code)) {
    std::stable_sort(r.rows.begin(), r.rows.end(), by_code);
  }
  r.total = row_of(first);
  return r;
}

std::vector<int64_t> select_ids(const Data& data, Entity e, const forms::Expr* filter, uint32_t p,
                                int32_t as_of) {
  Program prog;
  prog.entity = e;
  std::optional<Program::Node> tree;
  if (filter) tree = prog.add(compile(e, *filter, as_of));
  const Table& t = data.table(e);
  std::vector<int64_t> out;
  if (t.start.size() != data.tree.size() + 1) return out;
  constexpr size_t B = scan::kScanBatch, W = scan::kScanWords;
  const size_t r0 = t.start[p], r1 = t.start[data.tree.end[p]];
  std::vector<Words> leaf(prog.leaves.size());
  Words buf{};
  for (size_t s = r0 - r0 % B; s < r1; s += B) {
    const size_t n = std::min(B, t.size() - s);
    for (size_t l = 0; l < prog.leaves.size(); ++l) prog.eval(l, t, s, n, leaf[l].data());
    const uint64_t* sel = tree ? combine(*tree, leaf, buf.data()) : nullptr;
    for (size_t w = 0; w < W && s + w * 64 < s + n; ++w) {
      uint64_t bits = sel ? sel[w] : ~uint64_t{0};
      if (!t.live.empty()) bits &= t.live[s / 64 + w];
      for (; bits; bits &= bits - 1) {
        const size_t i = s + w * 64 + static_cast<size_t>(std::countr_zero(bits));
        if (i >= r0 && i < r1) out.push_back(t.id[i]);
      }
    }
  }
  return out;
}

}  // namespace wangge::analytics
