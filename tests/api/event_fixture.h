// A real API server over a fresh database of each backend, with the places of the seeds'
// cases: 水富市云富街道安江社区 (the sewage overflow), a 乌龙街道 with two communities, two
// departments and a contractor (the public toilets), and users at every level. The server's
// clock is pinned and moved by the test (set_now), and the sweep runs as of that time.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "api/api.h"
#include "auth/accounts.h"
#include "client.h"
#include "events/events.h"
#include "events/outbox.h"
#include "events/service.h"
#include "example.h"
#include "http/server.h"
#include "org/service.h"
#include "people/service.h"
#include "store/migrations.h"
#include "testing/testing.h"

namespace wangge::api {

class EventApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr const char* kInitial = "Initial#2026";
  static constexpr const char* kPassword = "Grid#Work2026";
  // Codes of the places.
  static constexpr const char* kCity = "530600000000";
  static constexpr const char* kShuifu = "530681000000";   // 水富市
  static constexpr const char* kYunfu = "530681001000";    // 云富街道
  static constexpr const char* kAnjiang = "530681001201";  // 安江社区
  static constexpr const char* kAnjiangGrid = "530681001201001";
  static constexpr const char* kAnjiangGrid2 = "530681001201002";
  static constexpr const char* kWulong = "530602001000";     // 乌龙街道 (昭阳区)
  static constexpr const char* kSanchakou = "530602001201";  // 三岔口社区
  static constexpr const char* kLianda = "530602001202";     // 联大社区
  static constexpr const char* kSanchakouGrid = "530602001201001";
  static constexpr const char* kChengguan = "530602900001";   // 区城市管理局
  static constexpr const char* kContractor = "530602900002";  // 施工方
  // 安江社区 第1网格, near 安置房19栋.
  static constexpr double kLat = 28.6290, kLng = 104.4120;

  void SetUp() override {
    db_ = wangge::testing::fresh_database(GetParam());
    example::test_registry().migrate(*db_);
    db_->transact([&](store::Tx& tx) { build_places(tx); });
    create_users();
    set_now("2026-04-07T09:10:00+08:00");
    ApiOptions options;
    options.auth.password = auth::PasswordOptions::cheap();
    options.auth.idle_timeout = std::chrono::hours(24 * 400);
    options.auth.session_lifetime = std::chrono::hours(24 * 400);
    options.clock = [this] { return from_unix_ms(now_ms_.load()); };
    db_->subscribe([this](std::span<const store::Change> changes) {
      for (const auto& c : changes) committed_ += c.kind == &events::kEvent;
    });
    http::ServerOptions so;
    so.port = 0;
    so.io_threads = 1;
    so.handler_threads = 2;
    so.dispatch.access_log = false;
    server_ = std::make_unique<http::Server>(so);
    options.settings = settings_;
    install(*server_, *db_, vault_, options, example::test_registry());
    port_ = server_->start();
    ASSERT_NE(port_, 0);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  void build_places(store::Tx& tx) {
    org::create_org(tx, {kCity, "", "", "昭通市"});
    org::create_org(tx, {kShuifu, kCity, "county_city", "水富市"});
    org::create_org(tx, {kYunfu, kShuifu, "street", "云富街道"});
    org::create_org(tx, {kAnjiang, kYunfu, "community", "安江社区"});
    org::create_org(tx, {kAnjiangGrid, kAnjiang, "", "安江社区第1网格", {}, kLat, kLng});
    org::create_org(tx, {kAnjiangGrid2, kAnjiang, "", "安江社区第2网格", {}, kLat + 0.01, kLng});
    org::create_org(tx, {"530602000000", kCity, "district", "昭阳区"});
    org::create_org(tx, {kWulong, "530602000000", "street", "乌龙街道"});
    org::create_org(tx, {kSanchakou, kWulong, "community", "三岔口社区"});
    org::create_org(tx, {kLianda, kWulong, "community", "联大社区"});
    org::create_org(tx, {kSanchakouGrid, kSanchakou, "", "三岔口社区第1网格", {}, 27.33, 103.72});
    org::create_org(tx, {kChengguan, "530602000000", "department", "区城市管理局"});
    org::create_org(tx, {kContractor, "530602000000", "station", "公厕施工方"});
    people::create_household(tx, {"AJ0001", kAnjiangGrid, "", "安江社区安置房19栋1单元101"});
    household_ = *people::find_household(tx, "AJ0001");
  }

  void create_users() {
    auto t = wangge::now();
    db_->transact([&](store::Tx& tx) {
      using auth::Role;
      struct U {
        const char* name;
        Role role;
        const char* org;
        bool household = false;
      };
      for (const U& u : {U{"city_op", Role::city_operator, kCity},
                         U{"shuifu_op", Role::county_operator, kShuifu},
                         U{"yunfu_op", Role::township_operator, kYunfu},
                         U{"anjiang_op", Role::village_operator, kAnjiang},
                         U{"an_taiqiao", Role::grid_worker, kAnjiangGrid},
                         U{"grid2", Role::grid_worker, kAnjiangGrid2},
                         U{"resident", Role::resident, kAnjiangGrid, true},
                         U{"wulong_op", Role::township_operator, kWulong},
                         U{"sanchakou_op", Role::village_operator, kSanchakou},
                         U{"lianda_op", Role::village_operator, kLianda},
                         U{"chengguan", Role::department_handler, kChengguan},
                         U{"contractor", Role::department_handler, kContractor},
                         // A department handler posted at a district, not at a department.
                         U{"zhaoyang_dept", Role::department_handler, "530602000000"}}) {
        std::optional<int64_t> h;
        if (u.household) h = household_;
        int64_t id = accounts_.create_user(tx, {u.name, "测试用户", u.role, u.org, h, kInitial}, t,
                                           "secadmin");
        accounts_.change_password(tx, id, kInitial, kPassword, t);
        user_ids_[u.name] = id;
      }
    });
  }

  // The server's clock (and the sweep's time) from now on.
  void set_now(const std::string& iso) { now_ms_ = to_unix_ms(parse_instant(iso)); }
  Instant now() const { return from_unix_ms(now_ms_.load()); }

  testing::Reply call(std::string_view method, std::string_view target, const std::string& user,
                      std::string body = {}) {
    testing::HeaderList h;
    if (!user.empty()) h.emplace_back("Authorization", "Bearer " + token(user));
    return testing::send(port_, method, target, h, std::move(body));
  }
  testing::Reply get(const std::string& user, std::string_view target) {
    return call("GET", target, user);
  }
  testing::Reply post(const std::string& user, std::string_view target, const nlohmann::json& b) {
    return call("POST", target, user, b.dump());
  }
  std::string token(const std::string& user) {
    auto it = tokens_.find(user);
    if (it != tokens_.end()) return it->second;
    nlohmann::json body = {{"username", user}, {"password", kPassword}};
    auto r = testing::send(port_, "POST", "/api/v1/auth/login", {}, body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return tokens_[user] = r.json().value("token", "");
  }

  // Reports an event as user and gives its id. REQUIRES: it succeeds with 201.
  // A fresh 12345 record the city routes down to 乌龙街道 (level 3), brought to `state` through
  // the API (event_transitions.table's header says how). REQUIRES: build_places' places.
  int64_t event_in(const std::string& state) {
    int64_t id = report("city_op", {{"category", "公厕"},
                                    {"title", "公厕不足 " + std::to_string(++state_events_)},
                                    {"source", "hotline_12345"},
                                    {"grid", kSanchakouGrid}});
    auto step = [&](const std::string& who, nlohmann::json body) { ok(who, id, std::move(body)); };
    if (state == "returned") step("wulong_op", {{"action", "return"}, {"note", "不属本街道"}});
    if (state == "cancelled") step("wulong_op", {{"action", "cancel"}, {"note", "重复工单"}});
    if (state == "reported" || state == "returned" || state == "cancelled") return id;
    step("wulong_op", {{"action", "accept"}});
    if (state == "accepted") return id;
    step("wulong_op", {{"action", "dispatch"}, {"departments", {kChengguan, kContractor}}});
    if (state == "dispatched") return id;
    step("chengguan", {{"action", "acknowledge"}});
    if (state == "in_progress") return id;
    step("chengguan", {{"action", "resolve_part"}, {"note", "选址完成"}});
    step("contractor", {{"action", "acknowledge"}});
    step("contractor", {{"action", "resolve_part"}, {"note", "施工完成"}});
    if (state == "resolved") return id;
    if (state == "reopened") {
      step("wulong_op", {{"action", "verify_fail"}, {"note", "仍有异味"}});
      return id;
    }
    step("wulong_op", {{"action", "verify_pass"}});
    EXPECT_EQ(state, "closed") << "no way to bring an event to " << state;
    return id;
  }

  int64_t report(const std::string& user, nlohmann::json body) {
    auto r = post(user, "/api/v1/events", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }
  // Applies an action; returns the reply.
  testing::Reply act(const std::string& user, int64_t id, nlohmann::json body) {
    return post(user, "/api/v1/events/" + std::to_string(id) + "/actions", body);
  }
  // Applies an action that must succeed; returns the event after it.
  nlohmann::json ok(const std::string& user, int64_t id, nlohmann::json body) {
    auto r = act(user, id, body);
    EXPECT_EQ(r.status, 200) << body.dump() << " → " << r.body;
    return r.json().value("event", nlohmann::json::object());
  }
  nlohmann::json event(int64_t id, const std::string& user = "city_op") {
    auto r = get(user, "/api/v1/events/" + std::to_string(id));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  events::SweepResult sweep(const std::string& iso) {
    set_now(iso);
    return db_->transact([&](store::Tx& tx) { return events::sweep(tx, now()); });
  }
  std::vector<events::OutboxRow> notices(int64_t id) {
    auto tx = db_->begin(store::TxMode::read);
    return events::notices_of(*tx, id);
  }
  int64_t count(const std::string& sql) {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int(sql);
  }

  std::unique_ptr<store::Database> db_;
  Vault vault_{Vault::Key{7, 7, 7}};
  auth::Accounts accounts_{auth::AuthOptions{.password = auth::PasswordOptions::cheap()}};
  std::unique_ptr<http::Server> server_;
  uint16_t port_ = 0;
  std::atomic<int64_t> now_ms_{0};
  // The modules' config sections the server starts with (set before SetUp).
  app::Settings settings_ = example::test_registry().default_settings();
  int state_events_ = 0;  // numbers the titles of event_in()
  std::atomic<int> committed_{0};
  int64_t household_ = 0;
  std::map<std::string, int64_t> user_ids_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace wangge::api
