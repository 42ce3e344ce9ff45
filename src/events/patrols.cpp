// 看听问记报: the patrol log (patrols.h). Entries are written once and listed by grid subtree.
#include "events/patrols.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/text.h"
#include "events/internal.h"
#include "org/service.h"

namespace wangge::events {
namespace {

constexpr int64_t kMaxPatrolMs = 24LL * 3600 * 1000;

std::string join_kinds(const std::vector<std::string>& kinds) {
  std::string out;
  for (const auto& k : patrol_kinds()) {
    if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) continue;
    if (!out.empty()) out += ',';
    out += k;
  }
  return out;
}

std::vector<std::string> split_kinds(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

void check_kinds(const std::vector<std::string>& kinds) {
  const auto& all = patrol_kinds();
  bool ok = !kinds.empty() && kinds.size() <= all.size();
  for (size_t i = 0; ok && i < kinds.size(); ++i) {
    ok = std::find(all.begin(), all.end(), kinds[i]) != all.end() &&
         std::find(kinds.begin(), kinds.begin() + static_cast<std::ptrdiff_t>(i), kinds[i]) ==
             kinds.begin() + static_cast<std::ptrdiff_t>(i);
  }
  if (!ok) {
    throw_bad_input("invalid_kinds", "请选择看、听、问、记、报中的一至五项（不重复）",
                    "kinds: 1 to 5 distinct of look, listen, ask, record, report", "kinds");
  }
}

void check_input(const NewPatrol& p, Instant now) {
  check_kinds(p.kinds);
  int64_t start = to_unix_ms(p.started_at), end = to_unix_ms(p.ended_at);
  if (end < start || end - start > kMaxPatrolMs) {
    throw_bad_input("invalid_ended_at", "结束时间须在开始之后24小时内",
                    "ended_at must lie within 24 hours after started_at", "ended_at");
  }
  if (p.ended_at > now + std::chrono::minutes(5)) {
    throw_bad_input("invalid_ended_at", "结束时间不能晚于当前时间", "ended_at lies in the future",
                    "ended_at");
  }
  if (p.households_visited < 0 || p.households_visited > 10000) {
    throw_bad_input("invalid_households_visited", "走访户数须为0至10000",
                    "households_visited must be 0 to 10000", "households_visited");
  }
  if (utf8_length(p.note) > 2000) {
    throw_bad_input("invalid_note", "说明不能超过2000个字", "note must be at most 2000 characters",
                    "note");
  }
  if (p.lat.has_value() != p.lng.has_value()) {
    throw_bad_input("invalid_location", "经度和纬度须同时填写", "give both lat and lng", "lat");
  }
  if (p.lat && (!std::isfinite(*p.lat) || *p.lat < 3 || *p.lat > 54)) {
    throw_bad_input("invalid_lat", "纬度不在中国境内", "lat lies outside China", "lat");
  }
  if (p.lng && (!std::isfinite(*p.lng) || *p.lng < 73 || *p.lng > 136)) {
    throw_bad_input("invalid_lng", "经度不在中国境内", "lng lies outside China", "lng");
  }
  detail::check_attachments(p.attachments);
}

// The grid of the entry, within the actor's scope.
detail::OrgRef patrol_grid(store::Tx& tx, const Actor& actor, const std::string& code) {
  std::string want = code.empty() ? actor.org_code : code;
  auto o = detail::org_by_code(tx, want);
  std::optional<detail::OrgRef> grid = o ? detail::grid_of(tx, *o) : std::nullopt;
  if (o && !grid && code.empty()) {
    throw_bad_input("missing_grid", "请选择巡查的网格", "grid is required", "grid");
  }
  if (!grid || !detail::within(grid->code, detail::scope_root(tx, actor))) {
    throw_not_found("网格不存在：" + want, "no such grid: " + want);
  }
  return *grid;
}

constexpr const char* kSelect =
    "SELECT p.id, o.code, o.name, p.worker_user_id, p.worker_name, p.started_at, p.ended_at, "
    "p.created_at, p.kinds, p.households_visited, p.note, p.lat, p.lng, p.event_id, "
    "p.attachments FROM patrols p JOIN orgs o ON o.id = p.grid_id ";

Patrol read_patrol(const store::Row& r) {
  Patrol p;
  p.id = r.i64(0);
  p.grid_code = r.text(1);
  p.grid_name = r.text(2);
  p.worker_user_id = r.i64(3);
  p.worker_name = r.text(4);
  p.started_at = from_unix_ms(r.i64(5));
  p.ended_at = from_unix_ms(r.i64(6));
  p.created_at = from_unix_ms(r.i64(7));
  p.kinds = split_kinds(r.text(8));
  p.households_visited = static_cast<int>(r.i64(9));
  p.note = r.text(10);
  if (!r.is_null(11)) p.lat = r.f64(11);
  if (!r.is_null(12)) p.lng = r.f64(12);
  p.event_id = r.opt_i64(13);
  p.attachments = detail::parse_attachments(r.text(14));
  return p;
}

}  // namespace

const std::vector<std::string>& patrol_kinds() {
  static const std::vector<std::string> kinds = {"look", "listen", "ask", "record", "report"};
  return kinds;
}

Patrol log_patrol(store::Tx& tx, const Actor& actor, const NewPatrol& p, Instant now) {
  if (actor.user_id == 0 || !actor.can_report || actor.resident_only()) {
    throw Error(ErrorKind::forbidden, "forbidden", "只有网格工作人员可以记录巡查",
                "only grid staff may log patrols");
  }
  check_input(p, now);
  detail::check_owned_photos(tx, actor, p.attachments);
  detail::OrgRef grid = patrol_grid(tx, actor, p.grid_code);
  if (p.event_id) get_event(tx, actor, *p.event_id);  // not_found unless visible
  int64_t id = tx.insert_id(
      "INSERT INTO patrols (grid_id, worker_user_id, worker_name, started_at, ended_at, kinds, "
      "households_visited, note, lat, lng, event_id, attachments, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {grid.id, actor.user_id, actor.name, to_unix_ms(p.started_at), to_unix_ms(p.ended_at),
       join_kinds(p.kinds), p.households_visited, p.note, p.lat, p.lng, p.event_id,
       detail::attachments_json(p.attachments), to_unix_ms(now)});
  auto r = tx.query_one(std::string(kSelect) + "WHERE p.id = ?", {id});
  return read_patrol(*r);
}

PatrolPage list_patrols(store::Tx& tx, const Actor& actor, const PatrolFilter& f) {
  // Residents and department handlers keep no patrol log and see none; an org they name is
  // out of their scope.
  bool outsider = actor.resident_only() || actor.parts_only();
  std::string root = outsider ? "" : detail::scope_root(tx, actor);
  bool none = outsider || (root.empty() && !actor.is_system());
  if (none && f.org_code.empty()) return {};
  std::string org = f.org_code.empty() ? root : f.org_code;
  if (!org.empty()) {
    auto o = detail::org_by_code(tx, org);
    if (!o || none || !detail::within(o->code, root)) {
      throw_not_found("组织机构不存在：" + org, "no such org: " + org);
    }
  }
  std::string prefix = org::subtree_prefix(org);
  std::string where = "WHERE o.code >= ? AND o.code < ?";
  store::Params params{prefix, prefix + ":"};
  if (f.from) {
    where += " AND p.started_at >= ?";
    params.emplace_back(to_unix_ms(*f.from));
  }
  if (f.to) {
    where += " AND p.started_at < ?";
    params.emplace_back(to_unix_ms(*f.to));
  }
  PatrolPage page;
  page.total = tx.query_int(
      "SELECT COUNT(*) FROM patrols p JOIN orgs o ON o.id = p.grid_id " + where, params);
  store::Params paged = params;
  paged.emplace_back(static_cast<int64_t>(f.size));
  paged.emplace_back(static_cast<int64_t>(f.page - 1) * f.size);
  for (const auto& r : tx.query(
           std::string(kSelect) + where + " ORDER BY p.started_at DESC, p.id DESC LIMIT ? OFFSET ?",
           paged)) {
    page.items.push_back(read_patrol(r));
  }
  return page;
}

const std::vector<store::Migration>& patrol_migrations() {
  static const std::vector<store::Migration> list{
      {"patrols", 1, R"sql(
CREATE TABLE patrols (
  id {pk},
  grid_id BIGINT NOT NULL REFERENCES orgs(id),
  worker_user_id BIGINT NOT NULL,
  worker_name TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL,
  kinds TEXT NOT NULL,
  households_visited INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  lat {real},
  lng {real},
  event_id BIGINT,
  attachments TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL
);
CREATE INDEX patrols_grid ON patrols(grid_id, started_at);
CREATE INDEX patrols_worker ON patrols(worker_user_id, started_at);
)sql"},
  };
  return list;
}

}  // namespace wangge::events
