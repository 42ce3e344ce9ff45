// Listing events within the actor's reach, and nearby open events offered as duplicates.
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "events/internal.h"
#include "events/service.h"
#include "org/service.h"

namespace wangge::events {
namespace {

constexpr const char* kOpenStates =
    "('reported','accepted','dispatched','in_progress',"
    "'returned','reopened')";

struct Where {
  std::string sql = " WHERE 1 = 1";
  store::Params params;
  void add(const std::string& clause, store::Params p = {}) {
    sql += " AND " + clause;
    params.insert(params.end(), std::make_move_iterator(p.begin()),
                  std::make_move_iterator(p.end()));
  }
};

// "(col >= ? AND col < ?)" for the subtree of root.
std::string subtree(const std::string& col) { return "(" + col + " >= ? AND " + col + " < ?)"; }

void add_visibility(store::Tx& tx, const Actor& actor, Where& w) {
  if (actor.is_system()) return;
  std::string sql = "(";
  store::Params p;
  if (!actor.org_code.empty() && !actor.resident_only()) {
    std::string root = detail::scope_root(tx, actor);
    std::string prefix = org::subtree_prefix(root);
    // A department handler sees the events of its parts only (service.h).
    int subtrees = 1;
    if (!actor.parts_only()) {
      sql += subtree("o.code") + " OR " + subtree("g.code") + " OR ";
      subtrees = 3;
    }
    sql +=
        "EXISTS (SELECT 1 FROM event_parts p JOIN orgs po ON po.id = p.org_id "
        "WHERE p.event_id = e.id AND " +
        subtree("po.code") + ")";
    for (int i = 0; i < subtrees; ++i) {
      p.emplace_back(prefix);
      p.emplace_back(prefix + ":");
    }
  } else {
    sql += "1 = 0";
  }
  if (actor.user_id != 0) {
    sql +=
        " OR e.reporter_user_id = ? OR EXISTS (SELECT 1 FROM event_followers f WHERE "
        "f.event_id = e.id AND f.user_id = ?)";
    p.emplace_back(actor.user_id);
    p.emplace_back(actor.user_id);
  }
  w.add(sql + ")", std::move(p));
}

}  // namespace

namespace {

// "%word%" for LIKE … ESCAPE '\', the word's own % _ and \ taken literally.
std::string like_pattern(std::string_view word) {
  std::string out = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

void add_category(Where& w, const std::string& code) {
  const Category* c = find_category(code);
  if (!c) {
    throw_bad_input("invalid_category", "未知的事件分类：" + code, "unknown category: " + code,
                    "category");
  }
  if (c->reportable) {
    w.add("e.category = ?", {c->code});
  } else {
    w.add("(e.category >= ? AND e.category < ?)", {c->code + ".", c->code + "/"});
  }
}

// "e.col IN (?, ?, …)" over the names.
template <class T>
void add_any(Where& w, const char* col, const std::vector<T>& values) {
  if (values.empty()) return;
  std::string sql = std::string(col) + " IN (";
  store::Params p;
  for (size_t i = 0; i < values.size(); ++i) {
    sql += i ? ", ?" : "?";
    p.emplace_back(std::string(to_string(values[i])));
  }
  w.add(sql + ")", std::move(p));
}

void add_search(Where& w, const EventFilter& f) {
  if (!f.number.empty()) {
    std::string n = f.number;
    bool digits = n.size() <= 18 &&
                  std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
      w.add("(e.id = ? OR e.external_ref = ?)", {std::stoll(n), n});
    } else {
      w.add("e.external_ref = ?", {n});
    }
  }
  if (!f.keyword.empty()) {
    if (f.keyword.size() > 150) {  // 50 Chinese characters of UTF-8
      throw_bad_input("invalid_keyword", "关键词过长（至多50字）", "keyword too long (50 at most)",
                      "q");
    }
    std::string p = like_pattern(f.keyword);
    w.add(
        "(e.title LIKE ? ESCAPE '\\' OR e.description LIKE ? ESCAPE '\\' OR e.address LIKE ? "
        "ESCAPE '\\')",
        {p, p, p});
  }
  if (f.reported_from) w.add("e.reported_at >= ?", {to_unix_ms(*f.reported_from)});
  if (f.reported_to) w.add("e.reported_at < ?", {to_unix_ms(*f.reported_to)});
  if (f.reported_from && f.reported_to && *f.reported_to <= *f.reported_from) {
    throw_bad_input("invalid_period", "结束时间须晚于开始时间", "to must be after from", "to");
  }
}

// The WHERE of list_events and export_events.
Where where_of(store::Tx& tx, const Actor& actor, const EventFilter& f, Instant now) {
  Where w;
  add_visibility(tx, actor, w);
  if (!f.org_code.empty()) {
    auto o = detail::org_by_code(tx, f.org_code);
    if (!o || actor.resident_only() || !detail::within(o->code, detail::scope_root(tx, actor))) {
      throw_not_found("组织机构不存在：" + f.org_code, "no such org: " + f.org_code);
    }
    std::string prefix = org::subtree_prefix(o->code);
    w.add(subtree("o.code"), {prefix, prefix + ":"});
  }
  if (f.state) w.add("e.state = ?", {to_string(*f.state)});
  add_any(w, "e.state", f.states);
  add_any(w, "e.source", f.sources);
  if (f.level) w.add("e.level = ?", {*f.level});
  if (!f.category.empty()) add_category(w, f.category);
  if (f.open) w.add(std::string(*f.open ? "" : "NOT ") + "e.state IN " + kOpenStates);
  if (f.overdue) {
    // The current clock only (clock_of): an escalated event's fresh clock is not overdue.
    std::string late = "(e.state IN " + std::string(kOpenStates) + " AND e.due_at <= ?)";
    w.add(*f.overdue ? late : "NOT " + late, {to_unix_ms(now)});
  }
  if (f.updated_since) w.add("e.updated_at >= ?", {to_unix_ms(*f.updated_since)});
  if (f.due_soon) {
    w.add("(e.state IN " + std::string(kOpenStates) + " AND e.due_at > ? AND e.due_at <= ?)",
          {to_unix_ms(now), to_unix_ms(now + kDeadlineNear)});
  }
  if (f.handled_by != 0) {
    w.add("EXISTS (SELECT 1 FROM event_steps s WHERE s.event_id = e.id AND s.actor_user_id = ?)",
          {f.handled_by});
  }
  add_search(w, f);
  return w;
}

}  // namespace

namespace detail {
// The WHERE of the list, for workbench.cpp's counts.
std::pair<std::string, store::Params> list_where(store::Tx& tx, const Actor& actor,
                                                 const EventFilter& f, Instant now) {
  Where w = where_of(tx, actor, f, now);
  return {w.sql, w.params};
}
}  // namespace detail

namespace {

constexpr const char* kListFrom =
    " FROM events e JOIN orgs g ON g.id = e.grid_id JOIN orgs o ON o.id = e.owner_id";
constexpr const char* kListOrder = " ORDER BY e.reported_at DESC, e.id DESC";

}  // namespace

EventPage list_events(store::Tx& tx, const Actor& actor, const EventFilter& f, Instant now) {
  if (f.size < 1 || f.size > 100 || f.page < 1) {
    throw_bad_input("invalid_page", "分页参数不正确", "invalid page or size", "page");
  }
  Where w = where_of(tx, actor, f, now);
  EventPage page;
  page.total = tx.query_int(std::string("SELECT COUNT(*)") + kListFrom + w.sql, w.params);
  store::Params params = w.params;
  params.emplace_back(f.size);
  params.emplace_back(static_cast<int64_t>(f.page - 1) * f.size);
  for (const auto& r : tx.query(
           std::string(detail::kEventSelect) + w.sql + kListOrder + " LIMIT ? OFFSET ?", params)) {
    page.items.push_back(detail::read_loaded(r).e);
  }
  return page;
}

std::vector<Event> export_events(store::Tx& tx, const Actor& actor, const EventFilter& f,
                                 Instant now) {
  Where w = where_of(tx, actor, f, now);
  int64_t n = tx.query_int(std::string("SELECT COUNT(*)") + kListFrom + w.sql, w.params);
  if (n > kExportRows) {
    throw_bad_input("too_many_rows",
                    "符合条件的事件有" + std::to_string(n) + "件，超过导出上限" +
                        std::to_string(kExportRows) + "件，请缩小查询范围",
                    std::to_string(n) + " events match, more than the export limit of " +
                        std::to_string(kExportRows) + "; narrow the search",
                    "size");
  }
  std::vector<Event> out;
  out.reserve(static_cast<size_t>(n));
  for (const auto& r : tx.query(std::string(detail::kEventSelect) + w.sql + kListOrder, w.params)) {
    out.push_back(detail::read_loaded(r).e);
  }
  return out;
}

std::string duplicate_ref(const Vault& vault, int64_t event_id) {
  return "d" + vault.lookup_hash("events.duplicate_ref:" + std::to_string(event_id));
}

namespace {

struct Nearby {
  detail::Loaded l;
  double metres = 0;
};

// Open events of the category within kDuplicateMetres, nearest first, at most 20.
std::vector<Nearby> nearby_open(store::Tx& tx, std::string_view category, double lat, double lng) {
  const Category& c = require_category(category);
  double dlat = kDuplicateMetres / 111'000.0 * 1.1;
  double dlng = dlat / std::max(0.1, std::cos(lat * 3.14159265358979323846 / 180.0));
  std::vector<Nearby> out;
  for (const auto& r :
       tx.query(std::string(detail::kEventSelect) + "WHERE e.category = ? AND e.state IN " +
                    kOpenStates + " AND e.lat BETWEEN ? AND ? AND e.lng BETWEEN ? AND ?",
                {c.code, lat - dlat, lat + dlat, lng - dlng, lng + dlng})) {
    detail::Loaded l = detail::read_loaded(r);
    double m = distance_m(lat, lng, *l.e.lat, *l.e.lng);
    if (m <= kDuplicateMetres) out.push_back({std::move(l), m});
  }
  std::sort(out.begin(), out.end(), [](const Nearby& a, const Nearby& b) {
    return a.metres != b.metres ? a.metres < b.metres : a.l.e.id < b.l.e.id;
  });
  if (out.size() > 20) out.resize(20);
  return out;
}

}  // namespace

std::vector<Duplicate> find_duplicates(store::Tx& tx, const Actor& actor, std::string_view category,
                                       double lat, double lng, const Vault& vault) {
  std::vector<Duplicate> out;
  for (auto& n : nearby_open(tx, category, lat, lng)) {
    Duplicate d;
    d.category = n.l.e.category;
    d.state = n.l.e.state;
    d.metres = n.metres;
    if (detail::visible(tx, actor, n.l)) {
      d.event = std::move(n.l.e);
    } else {
      // Rounded, so that distances from a few points do not give the place to the metre.
      d.metres = std::max(10.0, std::round(n.metres / 10.0) * 10.0);
      d.ref = duplicate_ref(vault, n.l.e.id);
    }
    out.push_back(std::move(d));
  }
  return out;
}

namespace detail {

std::optional<int64_t> duplicate_offered(store::Tx& tx, const Actor& actor, const NewEvent& e) {
  if (!e.duplicate_vault || !e.lat || !e.lng || e.duplicate_ref.empty()) return std::nullopt;
  for (const auto& n : nearby_open(tx, e.category, *e.lat, *e.lng)) {
    if (duplicate_ref(*e.duplicate_vault, n.l.e.id) == e.duplicate_ref) {
      if (visible(tx, actor, n.l)) return std::nullopt;  // refs are for the unseen only
      return n.l.e.id;
    }
  }
  return std::nullopt;
}

}  // namespace detail

}  // namespace wangge::events
