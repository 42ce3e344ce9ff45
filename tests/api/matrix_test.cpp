// The route × role matrix: every route of the router's own table, called as every role and
// anonymously, on a record inside and one outside the caller's scope. The expected status
// follows from data: the route's permission (below), the grants table (auth/roles.cpp) and
// the caller's org subtree. Every answer is checked for out-of-scope records: codes of listed
// records, and the names and titles of the records outside that a scoped caller must never see.
// A route without an entry fails the test, so a new route cannot skip it.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "auth/scope.h"
#include "events/service.h"
#include "fixture.h"
#include "intake/apikeys.h"
#include "intake/open311.h"
#include "intake/photos.h"
#include "open311_client.h"

namespace wangge::api {
namespace {

using auth::Role;
using nlohmann::json;

constexpr const char* kOutsideGrid = "530622101201001";  // 巧家县: outside every county scope
// What a caller scoped below the city must never read anywhere: names, titles and addresses
// of the records outside (赵四 and 张森 live there, the event and the Open311 request too).
const std::vector<std::string> kOutsideMarkers = {"赵四", "张森", "邻县村", "巧家", "井盖缺失"};
// The Open311 requester's contact details, which no public answer may show.
const std::vector<std::string> kContactMarkers = {"leak@example.com", "13700001111", "钱多多"};

// What a route is called on. inside: a record in 龙井村第1网格 (within every role's scope);
// outside: the same kind of record in 巧家县 (outside every scope below the city).
enum class Target {
  none,       // no record: the call itself (path_value fills a {…})
  resident,   // {id} of a resident
  household,  // {id} of a household
  org,        // {code} of an org
  user,       // {id} of a user account
  event,      // {id} of an event
  photo,      // {id} of a photo attached to an event
  list,       // a list or figures; outside = of an org outside (?org=…)
  open311,    // {file}: a resident's request (public) / an internal event (never public)
  token,      // {file}: an Open311 token / one never issued
  unknown,    // {…} of another room's record: a missing id (404 for whoever may ask)
};

struct Entry {
  std::string_view perm;        // "" public, "*" any logged-in user, else a permission
  std::string_view perm2 = {};  // a second permission that also allows the call
  std::string_view perm3 = {};  // a third (event.read: reading without acting)
  Target target = Target::none;
  int ok = 200;          // the status of an allowed call inside scope
  int outside_ok = 404;  // … of an allowed call on a record outside scope
  // The body of a call; side is "in" or "out", n numbers the call (for unique names). A JSON
  // string is sent as it is (form or image bytes), anything else as JSON.
  std::function<json(const std::string& side, int n)> body = nullptr;
  bool fresh_session = false;        // the call ends its session (logout): use a throwaway login
  bool own_household = false;        // residents read their own household without household.read
  bool body_sided = false;           // the body names a record inside or outside scope
  std::string_view query = {};       // appended to every call ("?lat=…")
  std::string_view path_value = {};  // fills {…} when the target gives none
  std::string_view content_type = {};
  // Roles allowed by permission whose answer differs on both sides (residents see only the
  // events they reported, whatever their org).
  std::vector<std::pair<Role, int>> by_role = {};
};

struct Probe {
  std::string id_in, id_out;  // path values for {…}
};

std::string png(const std::string& tag) { return std::string("\x89PNG\r\n\x1A\n", 8) + tag; }

class MatrixTest : public ApiTest {
 protected:
  struct Member {
    std::string username;
    std::string org;
    std::string token;
  };

  void SetUp() override {
    photo_dir_ = wangge::testing::temp_dir("matrix-photos");
    settings_.set("photos", "dir", photo_dir_.string());
    ApiTest::SetUp();
    auto t = wangge::now();
    db_->transact([&](store::Tx& tx) {
      struct U {
        Role role;
        const char* org;
      };
      for (const U& u :
           {U{Role::sysadmin, "530600000000"}, U{Role::secadmin, "530600000000"},
            U{Role::auditor, "530600000000"}, U{Role::city_operator, "530600000000"},
            U{Role::county_operator, "530621000000"}, U{Role::township_operator, "530621101000"},
            U{Role::village_operator, "530621101201"}, U{Role::grid_worker, "530621101201001"},
            U{Role::department_handler, "530621000000"}, U{Role::leader, "530600000000"},
            U{Role::resident, "530621101201001"}}) {
        std::string name = "m_" + std::string(auth::to_string(u.role));
        std::optional<int64_t> household;
        if (u.role == Role::resident) household = h001_;
        int64_t id = accounts_.create_user(tx, {name, "矩阵", u.role, u.org, household, kInitial},
                                           t, "secadmin");
        accounts_.change_password(tx, id, kInitial, kPassword, t);
        members_[u.role] = {name, u.org, ""};
      }
      // Accounts the user routes act on, one inside and one outside the county scopes.
      victim_in_ = accounts_.create_user(
          tx, {"victim_in", "甲", Role::grid_worker, "530621101201001", {}, kInitial}, t, "x");
      victim_out_ = accounts_.create_user(
          tx, {"victim_out", "乙", Role::grid_worker, kOutsideGrid, {}, kInitial}, t, "x");
      add_events(tx, t);
    });
    for (auto& [role, m] : members_) m.token = token(m.username);
  }

  // An event with a photo in each county, and an Open311 request with the requester's contact.
  void add_events(store::Tx& tx, Instant t) {
    intake::PhotoStore photos(photo_dir_);
    auto uploader = accounts_.find_user(tx, "op_ludian");
    for (bool inside : {true, false}) {
      events::NewEvent e;
      e.category = "infra.water";
      e.title = inside ? "龙井村水管破裂" : "邻县村井盖缺失";
      e.grid_code = inside ? "530621101201001" : kOutsideGrid;
      std::string photo = photos.put(tx, png(inside ? "in" : "out"), uploader->id, t).sha256;
      e.attachments = {photo};
      int64_t id = events::report(tx, events::Actor::system(), e, t).id;
      (inside ? event_in_ : event_out_) = id;
      (inside ? photo_in_ : photo_out_) = photo;
    }
    auto key = intake::issue_api_key(tx, "matrix", t);
    intake::open311::NewRequest r;
    r.service_code = "infra.road";
    r.address_string = "鲁甸县文屏镇龙井村";
    r.description = "路面塌陷";
    r.email = "leak@example.com";
    r.phone = "13700001111";
    r.first_name = "钱多多";
    auto created = intake::open311::create_request(tx, vault_, key.info, r, t);
    open311_event_ = created.event_id;
    open311_token_ = created.token;
  }

  bool allowed(const Entry& e, Role role) const {
    if (e.perm == "*") return true;
    for (std::string_view p : {e.perm, e.perm2, e.perm3}) {
      if (!p.empty() && perms_.allows(role, p)) return true;
    }
    return false;
  }

  // The expected status of a call by role (nullopt: anonymous).
  int expected(const Entry& e, std::optional<Role> role, bool outside) const {
    if (e.perm.empty()) return outside ? e.outside_ok : e.ok;
    if (!role) return 401;
    if (e.own_household && *role == Role::resident) return outside ? 404 : e.ok;
    if (!allowed(e, *role)) return 403;
    if (e.target == Target::unknown) return 404;
    for (const auto& [r, status] : e.by_role) {
      if (r == *role) return status;
    }
    if (outside && !in_scope(*role, kOutsideGrid)) return e.outside_ok;
    return e.ok;
  }

  bool in_scope(Role role, const std::string& code) const {
    return auth::in_scope(auth::scope_of(members_.at(role).org), code);
  }

  // Every record an answer lists lies within the role's scope: the org_code of a record, the
  // code of an org, the owner and grid of an event, wherever they sit in the answer.
  void expect_in_scope(Role role, const std::string& call, const json& v) {
    if (v.is_array()) {
      for (const auto& item : v) expect_in_scope(role, call, item);
      return;
    }
    if (!v.is_object()) return;
    for (const char* key : {"org_code", "code", "owner", "grid"}) {
      if (!v.contains(key) || !v[key].is_string()) continue;
      std::string code = v[key];
      // Only org codes (digits): forms and categories have codes too.
      if (code.empty() || code.find_first_not_of("0123456789") != std::string::npos) continue;
      EXPECT_TRUE(in_scope(role, code)) << call << " listed " << code << " out of scope";
    }
    for (const auto& [k, item] : v.items()) {
      if (item.is_structured()) expect_in_scope(role, call, item);
    }
  }

  // A caller scoped below the city reads nothing of the records outside.
  void expect_no_leak(Role role, const std::string& call, const std::string& body) {
    if (in_scope(role, kOutsideGrid)) return;
    for (const auto& m : kOutsideMarkers) {
      EXPECT_EQ(body.find(m), std::string::npos) << call << " leaked " << m << ": " << body;
    }
  }

  Probe probe(Target t) const {
    switch (t) {
      case Target::resident:
        return {std::to_string(zhang_san_), std::to_string(zhao_si_)};
      case Target::household:
        return {std::to_string(h001_), std::to_string(h003_)};
      case Target::org:
        return {"530621101201001", "530622000000"};
      case Target::user:
        return {std::to_string(victim_in_), std::to_string(victim_out_)};
      case Target::event:
        return {std::to_string(event_in_), std::to_string(event_out_)};
      case Target::photo:
        return {photo_in_, photo_out_};
      case Target::open311:
        return {std::to_string(open311_event_) + ".json", std::to_string(event_in_) + ".json"};
      case Target::token:
        return {open311_token_ + ".json", "no-such-token.json"};
      case Target::unknown:
        return {"999999", "999999"};
      default:
        return {};
    }
  }

  std::map<Role, Member> members_;
  auth::Permissions perms_;
  int64_t victim_in_ = 0, victim_out_ = 0;
  int64_t event_in_ = 0, event_out_ = 0, open311_event_ = 0;
  std::string photo_in_, photo_out_, open311_token_;
  std::filesystem::path photo_dir_;
};

// A path with every {…} segment replaced by value.
std::string fill(const std::string& pattern, const std::string& value) {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      out += value;
      i = pattern.find('}', i) + 1;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

json new_resident(const std::string& side, int n) {
  return {{"household_no", side == "in" ? "H001" : "H003"},
          {"name", "矩阵"},
          {"id_number", id_number("530621", "19950505", 100 + n)},
          {"relation", "other"}};
}

json new_user(const std::string& side, int n) {
  return {{"username", "new_" + side + std::to_string(n)},
          {"display_name", "新用户"},
          {"role", "grid_worker"},
          {"org_code", side == "in" ? "530621101201001" : kOutsideGrid},
          {"initial_password", "Initial#2026"}};
}

// The expectations, keyed "METHOD /path" as the router declares them.
const std::map<std::string, Entry>& matrix() {
  namespace p = auth::perm;
  static const std::map<std::string, Entry> m = {
      // Built in and public.
      {"GET /healthz", {""}},
      {"GET /metrics", {""}},
      {"GET /api/openapi.json", {""}},
      // Authentication.
      {"POST /api/v1/auth/login",
       {.perm = "",
        .body =
            [](const std::string&, int) {
              return json{{"username", "victim_in"}, {"password", "Initial#2026"}};
            }}},
      {"POST /api/v1/auth/logout", {.perm = "*", .ok = 204, .fresh_session = true}},
      {"GET /api/v1/auth/me", {.perm = "*"}},
      // A wrong old password: every logged-in role reaches the check, and nothing changes.
      {"POST /api/v1/auth/password",
       {.perm = "*",
        .ok = 400,
        .body =
            [](const std::string&, int) {
              return json{{"old_password", "Not#Mine2026"}, {"new_password", "Other#Pass2026"}};
            }}},
      // The example module (example.h): a programme registered only in the tests.
      {"GET /api/v1/example/items", {.perm = "example.read", .target = Target::list}},
      {"POST /api/v1/example/items",
       {.perm = "example.write",
        .ok = 201,
        .body =
            [](const std::string& side, int) {
              return json{{"org", side == "in" ? "530621101201001" : kOutsideGrid},
                          {"kind", "a"},
                          {"amount", 12.5}};
            },
        .body_sided = true}},
      // The registry.
      {"GET /api/v1/orgs/{code}", {.perm = p::org_read, .target = Target::org}},
      {"GET /api/v1/orgs/{code}/children", {.perm = p::org_read, .target = Target::org}},
      {"GET /api/v1/orgs/{code}/boundaries", {.perm = p::org_read, .target = Target::org}},
      {"GET /api/v1/map", {.perm = "*"}},
      // A ring left open: the system administrator reaches the check; nothing changes.
      {"PUT /api/v1/orgs/{code}/boundary",
       {.perm = p::system_config,
        .target = Target::org,
        .ok = 400,
        .body =
            [](const std::string&, int) {
              return json{
                  {"type", "Polygon"},
                  {"coordinates", {{{103.5, 27.1}, {103.6, 27.1}, {103.6, 27.2}, {103.5, 27.2}}}}};
            }}},
      {"GET /api/v1/residents", {.perm = p::resident_read, .target = Target::list}},
      {"GET /api/v1/residents/{id}", {.perm = p::resident_read, .target = Target::resident}},
      {"GET /api/v1/households/{id}",
       {.perm = p::household_read, .target = Target::household, .own_household = true}},
      {"POST /api/v1/residents/{id}/reveal",
       {.perm = p::resident_reveal,
        .target = Target::resident,
        .body =
            [](const std::string&, int) {
              return json{{"field", "id_number"}, {"reason", "权限矩阵测试"}};
            }}},
      // A household outside scope is refused as unknown (400), like a missing one.
      {"POST /api/v1/residents",
       {.perm = p::resident_write,
        .ok = 201,
        .outside_ok = 400,
        .body = new_resident,
        .body_sided = true}},
      {"PATCH /api/v1/residents/{id}",
       {.perm = p::resident_write,
        .target = Target::resident,
        .body =
            [](const std::string&, int) {
              return json{{"relation", "other"}};
            }}},
      // Accounts (安全管理员) and the audit log (审计管理员).
      {"GET /api/v1/users", {.perm = p::user_manage, .target = Target::list}},
      {"POST /api/v1/users",
       {.perm = p::user_manage,
        .ok = 201,
        .outside_ok = 400,
        .body = new_user,
        .body_sided = true}},
      {"POST /api/v1/users/{id}/lock",
       {.perm = p::user_manage,
        .target = Target::user,
        .body =
            [](const std::string&, int) {
              return json{{"minutes", 5}};
            }}},
      {"POST /api/v1/users/{id}/unlock", {.perm = p::user_manage, .target = Target::user}},
      {"POST /api/v1/users/{id}/password",
       {.perm = p::user_manage,
        .target = Target::user,
        .body =
            [](const std::string&, int) {
              return json{{"initial_password", "Reset#Pass2026"}};
            }}},
      {"DELETE /api/v1/users/{id}/sessions", {.perm = p::session_revoke, .target = Target::user}},
      {"GET /api/v1/audit", {.perm = p::audit_read}},
      {"GET /api/v1/audit/verify", {.perm = p::audit_read}},
  };
  return m;
}

// Routes of other rooms, entered from the permission their code checks.
const std::map<std::string, Entry>& derived() {
  namespace p = auth::perm;
  // Residents see only the events they reported or follow: none of the fixture's.
  const std::vector<std::pair<Role, int>> resident_sees_none = {{Role::resident, 404}};
  // A department handler sees only the events its department is summoned to: none here, though
  // its post is the county (issue 14).
  const std::vector<std::pair<Role, int>> summoned_only = {{Role::resident, 404},
                                                           {Role::department_handler, 404}};
  static const std::map<std::string, Entry> m = {
      // An empty report is refused as bad input by whoever may report.
      {"POST /api/v1/events",
       {.perm = p::event_report,
        .ok = 400,
        .body = [](const std::string&, int) { return json::object(); }}},
      {"GET /api/v1/events",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .perm3 = p::event_read,
        .target = Target::list}},
      {"GET /api/v1/events/{id}",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .perm3 = p::event_read,
        .target = Target::event,
        .by_role = summoned_only}},
      {"GET /api/v1/events/{id}/summonable", {.perm = p::event_handle, .target = Target::unknown}},
      // 待办: the tabs' counts and the export follow scope; the live feed is asked for its first
      // message only (it would not end otherwise).
      {"GET /api/v1/workbench",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .perm3 = p::event_read,
        .target = Target::list}},
      {"GET /api/v1/events/export",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .perm3 = p::event_read,
        .target = Target::list}},
      {"GET /api/v1/workbench/stream",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .perm3 = p::event_read,
        .query = "?once=true"}},
      // 看听问记报: an empty entry is bad input for whoever may report; lists follow scope.
      {"POST /api/v1/patrols",
       {.perm = p::event_report,
        .ok = 400,
        .body = [](const std::string&, int) { return json::object(); }}},
      {"GET /api/v1/patrols",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .perm3 = p::event_read,
        .target = Target::list}},
      {"GET /api/v1/events/duplicates",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .perm3 = p::event_read,
        .query = "?lat=27.1&lng=103.5&category=infra.water"}},
      // 核查 of an event still reported: whoever may act and sees it reaches the state check
      // (409); readers (leaders) and reporters never act (403).
      {"POST /api/v1/events/{id}/actions",
       {.perm = p::event_handle,
        .target = Target::event,
        .ok = 409,
        .body =
            [](const std::string&, int) {
              return json{{"action", "verify_pass"}};
            },
        .by_role = {{Role::department_handler, 404}}}},
      {"GET /api/v1/event-categories", {.perm = "*"}},
      {"POST /api/v1/photos",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .ok = 201,
        .body = [](const std::string&, int n) { return json(png("upload" + std::to_string(n))); },
        .content_type = "image/png"}},
      {"GET /api/v1/photos/{id}",
       {.perm = p::event_report,
        .perm2 = p::event_handle,
        .perm3 = p::event_read,
        .target = Target::photo,
        .by_role = summoned_only}},
      // Figures of an org outside scope are 404, never numbers.
      {"GET /api/v1/kpis/events", {.perm = p::kpi_read, .target = Target::list}},
      {"GET /api/v1/dashboard", {.perm = p::kpi_read, .target = Target::list}},
      {"GET /api/v1/colors", {.perm = p::household_read, .target = Target::list}},
      {"GET /api/v1/reports/{form}",
       {.perm = p::report_read, .target = Target::list, .path_value = "population"}},
      {"GET /api/v1/tags", {.perm = "*"}},
      // A malformed code: the system administrator reaches the check; nothing is added.
      {"POST /api/v1/tags",
       {.perm = p::system_config,
        .ok = 400,
        .body =
            [](const std::string&, int) {
              return json{{"code", "Bad-Code"}, {"name", "矩阵"}};
            }}},
      {"GET /api/v1/forms", {.perm = p::report_read}},
      {"GET /api/v1/forms/{code}", {.perm = p::report_read, .path_value = "population"}},
      // A malformed definition: the system administrator reaches the check; nothing changes.
      {"PUT /api/v1/forms/{code}",
       {.perm = p::system_config,
        .ok = 400,
        .body =
            [](const std::string&, int) {
              return json{{"toml", "title = ["}};
            },
        .path_value = "matrix_probe"}},
      // Open311 (GeoReport v2) is public by the standard; a report needs a valid api_key (403).
      {"GET /open311/v2/discovery.json", {""}},
      {"GET /open311/v2/discovery.xml", {""}},
      {"GET /open311/v2/services.json", {""}},
      {"GET /open311/v2/services.xml", {""}},
      {"GET /open311/v2/services/{file}", {.perm = "", .path_value = "infra.water.json"}},
      {"GET /open311/v2/requests.json", {""}},
      {"GET /open311/v2/requests.xml", {""}},
      {"POST /open311/v2/requests.json",
       {.perm = "",
        .ok = 403,
        .body = [](const std::string&, int) { return json("api_key=w311_forged&lat=27.1"); },
        .content_type = "application/x-www-form-urlencoded"}},
      {"POST /open311/v2/requests.xml",
       {.perm = "",
        .ok = 403,
        .body = [](const std::string&, int) { return json("api_key=w311_forged&lat=27.1"); },
        .content_type = "application/x-www-form-urlencoded"}},
      // A resident's request is public; an event reported inside the system is not.
      {"GET /open311/v2/requests/{file}", {.perm = "", .target = Target::open311}},
      {"GET /open311/v2/tokens/{file}", {.perm = "", .target = Target::token}},
  };
  return m;
}

TEST_P(MatrixTest, EveryRouteAsEveryRoleInsideAndOutsideScope) {
  {
    auto tx = db_->begin(store::TxMode::read);
    perms_ = auth::Permissions::load(*tx);
  }
  std::vector<std::optional<Role>> callers = {std::nullopt};
  for (Role r : auth::all_roles()) callers.emplace_back(r);
  int n = 0;
  for (const http::Route& route : server_->dispatcher().router().routes()) {
    std::string key = std::string(http::method_name(route.method)) + " " + route.path;
    const Entry* e = nullptr;
    if (auto it = matrix().find(key); it != matrix().end()) e = &it->second;
    if (auto it = derived().find(key); it != derived().end()) e = &it->second;
    if (!e) {
      ADD_FAILURE() << key
                    << " has no entry in the route × role matrix (tests/api/matrix_test.cpp)";
      continue;
    }
    const Entry& entry = *e;
    Probe pr = probe(entry.target);
    if (pr.id_in.empty() && !entry.path_value.empty()) {
      pr.id_in = pr.id_out = std::string(entry.path_value);
    }
    for (const auto& role : callers) {
      for (std::string side : {"in", "out"}) {
        bool outside = side == "out";
        bool sided =
            entry.body_sided || (entry.target != Target::none && entry.target != Target::unknown);
        if (outside && !sided) continue;
        std::string target = route.path;
        if (!pr.id_in.empty()) target = fill(route.path, outside ? pr.id_out : pr.id_in);
        target += entry.query;
        if (entry.target == Target::list && outside) {
          target += (target.find('?') == std::string::npos ? "?" : "&");
          target += "org=530622000000";
        }
        testing::HeaderList headers;
        if (role) {
          std::string tok =
              entry.fresh_session ? token(members_[*role].username) : members_[*role].token;
          headers.emplace_back("Authorization", "Bearer " + tok);
        }
        if (!entry.content_type.empty()) {
          headers.emplace_back("Content-Type", std::string(entry.content_type));
        }
        std::string body;
        if (entry.body) {
          json b = entry.body(side, ++n);
          body = b.is_string() ? b.get<std::string>() : b.dump();
        }
        // A body of its own type (image bytes, a form) goes out with that Content-Type alone.
        auto r =
            entry.content_type.empty()
                ? call(http::method_name(route.method), target, headers, body)
                : testing::send_raw(port_, http::method_name(route.method), target, headers, body);
        std::string who = role ? std::string(auth::to_string(*role)) : "anonymous";
        std::string call_name = key;
        call_name.append(" (").append(target).append(") as ").append(who);
        EXPECT_LT(r.status, 500) << call_name << ": " << r.body;
        EXPECT_EQ(r.status, expected(entry, role, outside)) << call_name << ": " << r.body;
        for (const auto& m : kContactMarkers) {
          EXPECT_EQ(r.body.find(m), std::string::npos) << call_name << " showed " << m;
        }
        if (!role || entry.perm.empty() || r.status >= 300) continue;
        expect_no_leak(*role, call_name, r.body);
        if (json j = r.json(); !j.is_discarded()) expect_in_scope(*role, call_name, j);
      }
    }
  }
}

// Lists and searches: nothing outside the caller's subtree, whatever the filter.
TEST_P(MatrixTest, NoListOrSearchShowsAnOutOfScopeRecord) {
  for (Role r : {Role::county_operator, Role::township_operator, Role::village_operator,
                 Role::grid_worker}) {
    for (const char* q : {"", "?q=zs", "?q=z", "?q=%E5%BC%A0", "?tag=dibao", "?color=red",
                          "?age_min=0&age_max=150", "?size=100", "?page=2&size=1"}) {
      std::string target = std::string("/api/v1/residents") + q;
      auto res = call("GET", target, {{"Authorization", "Bearer " + members_[r].token}});
      ASSERT_EQ(res.status, 200) << target << " " << res.body;
      expect_in_scope(r, target, res.json());
      EXPECT_EQ(res.body.find("赵四"), std::string::npos) << target;
      EXPECT_EQ(res.body.find("张森"), std::string::npos) << target;
    }
    for (const char* q : {"", "?state=reported", "?level=1", "?category=infra", "?size=100"}) {
      std::string target = std::string("/api/v1/events") + q;
      auto res = call("GET", target, {{"Authorization", "Bearer " + members_[r].token}});
      ASSERT_EQ(res.status, 200) << target << " " << res.body;
      expect_in_scope(r, target, res.json());
      expect_no_leak(r, target, res.body);
      EXPECT_GE(res.json()["total"].get<int>(), 1) << target << " " << res.body;
    }
    auto kids = call("GET", "/api/v1/orgs/" + members_[r].org + "/children",
                     {{"Authorization", "Bearer " + members_[r].token}});
    ASSERT_EQ(kids.status, 200) << kids.body;
    expect_in_scope(r, "children", kids.json());
  }
  auto users =
      call("GET", "/api/v1/users", {{"Authorization", "Bearer " + members_[Role::secadmin].token}});
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_GE(users.json()["total"].get<int>(), 13);
}

// 领导驾驶舱: the leader reads events, KPIs, the dashboard and reports of its scope, and can
// act on no event (not even follow it).
TEST_P(MatrixTest, TheLeaderReadsEverythingOfItsScopeAndActsOnNothing) {
  testing::HeaderList as_leader = {{"Authorization", "Bearer " + members_[Role::leader].token}};
  for (const std::string& target :
       {std::string("/api/v1/events"), "/api/v1/events/" + std::to_string(event_out_),
        std::string("/api/v1/kpis/events?org=530622000000"),
        std::string("/api/v1/dashboard?org=530622000000"),
        std::string("/api/v1/reports/population?org=530622000000"),
        "/api/v1/photos/" + photo_out_}) {
    auto r = call("GET", target, as_leader);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
  }
  auto list = call("GET", "/api/v1/events?size=100", as_leader);
  EXPECT_EQ(list.json().value("total", 0), 3) << list.body;
  // The detail offers the leader no action (the console shows no buttons).
  auto one = call("GET", "/api/v1/events/" + std::to_string(event_in_), as_leader);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()["allowed_actions"], json::array()) << one.body;
  for (const char* action : {"accept", "follow", "rate", "cancel"}) {
    json body = {{"action", action}, {"note", "领导不处置事件"}, {"score", 5}};
    auto r = call("POST", "/api/v1/events/" + std::to_string(event_in_) + "/actions", as_leader,
                  body.dump());
    EXPECT_EQ(r.status, 403) << action << " " << r.body;
  }
  json report = {{"category", "infra.water"}, {"title", "领导上报"}, {"grid", "530621101201001"}};
  EXPECT_EQ(call("POST", "/api/v1/events", as_leader, report.dump()).status, 403);
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM event_followers"), 0);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM event_steps WHERE actor_name = ?",
                          {members_[Role::leader].username}),
            0);
}

// Open311's public list shows residents' requests only (not the events reported inside the
// system) and never the requester's contact details, in either format.
TEST_P(MatrixTest, Open311ListsOnlyResidentsRequestsAndNoContacts) {
  for (const char* f : {"json", "xml"}) {
    auto r = call("GET", std::string("/open311/v2/requests.") + f);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find(std::to_string(open311_event_)), std::string::npos) << r.body;
    // Its words are published only after an owner reviews them (the publish action).
    EXPECT_EQ(r.body.find("路面塌陷"), std::string::npos) << r.body;
    for (const char* internal : {"龙井村水管破裂", "邻县村井盖缺失"}) {
      EXPECT_EQ(r.body.find(internal), std::string::npos) << f << " listed " << internal;
    }
    for (const auto& m : kContactMarkers) {
      EXPECT_EQ(r.body.find(m), std::string::npos) << f << " showed " << m;
    }
  }
  auto internal = call("GET", "/open311/v2/requests/" + std::to_string(event_out_) + ".json");
  EXPECT_EQ(internal.status, 404) << internal.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, MatrixTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
