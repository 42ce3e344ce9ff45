// Issue 14 on the events API, on both databases: duplicates across scope show only a public
// summary and linking to one gives no read and no rating, only the outcome; photos attach only
// when they are the caller's (or already on an event the caller sees); a department handler
// sees only the events its department is summoned to.
#include <gtest/gtest.h>

#include <cstdlib>

#include "event_fixture.h"
#include "open311_client.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class EventSecurityTest : public EventApiTest {
 protected:
  void SetUp() override {
    settings_.set("photos", "dir", wangge::testing::temp_dir("event-security").string());
    EventApiTest::SetUp();
  }

  // Uploads a JPEG as user; returns its id. REQUIRES: 201.
  std::string upload(const std::string& user, const std::string& tail) {
    testing::HeaderList h = {{"Authorization", "Bearer " + token(user)},
                             {"Content-Type", "image/jpeg"}};
    auto r = testing::send_raw(port_, "POST", "/api/v1/photos", h, "\xFF\xD8\xFF\xE0" + tail);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }

  // A sewage report of 昭阳区's 三岔口 grid placed beside 安江社区 (水富市), with a photo:
  // another county's event, 30 m from where 安江's grid worker stands.
  int64_t other_county_event() {
    photo_ = upload("sanchakou_op", "三岔口现场");
    return report("sanchakou_op", {{"category", "infra.sewage"},
                                   {"title", "张三家门口化粪池外溢"},
                                   {"description", "户主张三，电话13800001111"},
                                   {"lat", kLat + 0.0003},
                                   {"lng", kLng},
                                   {"address", "三岔口社区张三家门口"},
                                   {"grid", kSanchakouGrid},
                                   {"attachments", {photo_}}});
  }

  static json here() {
    return {{"category", "infra.sewage"},
            {"title", "化粪池外溢"},
            {"lat", kLat},
            {"lng", kLng},
            {"grid", kAnjiangGrid}};
  }

  std::string photo_;
};

// Nothing of an event outside the caller's scope but category, state and distance.
void expect_public_summary(const json& j) {
  for (const char* hidden : {"id", "title", "description", "reporter", "address", "lat", "lng",
                             "owner", "owner_name", "grid", "attachments", "steps"}) {
    EXPECT_FALSE(j.contains(hidden)) << hidden << " in " << j.dump();
  }
  EXPECT_EQ(j["category"], "infra.sewage");
  EXPECT_FALSE(j["visible"].get<bool>());
  EXPECT_EQ(j["ref"].get<std::string>().size(), 33u);
}

TEST_P(EventSecurityTest, DuplicatesOutsideTheScopeAreOnlyAPublicSummary) {
  int64_t theirs = other_county_event();
  auto near = get("an_taiqiao",
                  "/api/v1/events/duplicates?lat=28.6290&lng=104.4120&category="
                  "infra.sewage");
  ASSERT_EQ(near.status, 200) << near.body;
  ASSERT_EQ(near.json()["items"].size(), 1u);
  json d = near.json()["items"][0];
  expect_public_summary(d);
  EXPECT_EQ(d["state"], "reported");
  double m = d["metres"].get<double>();
  EXPECT_EQ(m, std::round(m / 10) * 10);  // rounded to 10 m
  EXPECT_EQ(near.body.find("张三"), std::string::npos);
  EXPECT_EQ(near.body.find("\"id\":" + std::to_string(theirs)), std::string::npos);
  // The ref opens nothing by itself, and the other county's staff still get the whole event.
  auto own = get("wulong_op",
                 "/api/v1/events/duplicates?lat=28.6290&lng=104.4120&category="
                 "infra.sewage");
  EXPECT_EQ(own.json()["items"][0]["id"], theirs);
  EXPECT_EQ(own.json()["items"][0]["title"], "张三家门口化粪池外溢");

  // A report nearby is offered the same summary.
  auto r = post("an_taiqiao", "/api/v1/events", here());
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(r.json()["possible_duplicates"].size(), 1u);
  expect_public_summary(r.json()["possible_duplicates"][0]);
}

TEST_P(EventSecurityTest, LinkingAcrossScopeGivesTheOutcomeNotTheRecord) {
  int64_t theirs = other_county_event();
  std::string ref = get("an_taiqiao",
                        "/api/v1/events/duplicates?lat=28.6290&lng=104.4120&category="
                        "infra.sewage")
                        .json()["items"][0]["ref"];
  // Not by id: the id of an event out of scope links nothing.
  json by_id = here();
  by_id["duplicate_of"] = theirs;
  EXPECT_EQ(post("an_taiqiao", "/api/v1/events", by_id).status, 404);
  // A ref from elsewhere, or for another place, links nothing either.
  json wrong = here();
  wrong["duplicate_of"] = "d" + std::string(32, '0');
  EXPECT_EQ(post("an_taiqiao", "/api/v1/events", wrong).status, 404);
  json far = here();
  far["duplicate_of"] = ref;
  far["lat"] = kLat + 0.01;
  EXPECT_EQ(post("an_taiqiao", "/api/v1/events", far).status, 404);
  int64_t files = count("SELECT COUNT(*) FROM events");

  json link = here();
  link["duplicate_of"] = ref;
  auto linked = post("an_taiqiao", "/api/v1/events", link);
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_TRUE(linked.json()["linked"].get<bool>());
  expect_public_summary(linked.json());
  EXPECT_EQ(linked.body.find("张三"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), files);
  EXPECT_EQ(count("SELECT COUNT(*) FROM event_followers"), 0);

  // No read: not the event, its steps, its photo, nor the list.
  std::string path = "/api/v1/events/" + std::to_string(theirs);
  EXPECT_EQ(get("an_taiqiao", path).status, 404);
  EXPECT_EQ(get("an_taiqiao", "/api/v1/photos/" + photo_).status, 404);
  EXPECT_EQ(get("an_taiqiao", "/api/v1/events").json()["total"], 0);
  EXPECT_EQ(act("an_taiqiao", theirs, {{"action", "follow"}}).status, 404);
  // The owner sees the link step.
  EXPECT_EQ(event(theirs, "wulong_op")["steps"].back()["action"], "link");

  // Closed: the linker is told, and may not rate.
  ok("sanchakou_op", theirs, {{"action", "accept"}});
  ok("sanchakou_op", theirs, {{"action", "resolve"}, {"note", "已清掏"}});
  ok("sanchakou_op", theirs, {{"action", "verify_pass"}});
  EXPECT_EQ(act("an_taiqiao", theirs, {{"action", "rate"}, {"score", 1}}).status, 404);
  EXPECT_TRUE(event(theirs, "wulong_op")["satisfaction"].is_null());
  std::string me = "user:" + std::to_string(user_ids_["an_taiqiao"]);
  int outcomes = 0;
  for (const auto& n : notices(theirs)) {
    if (n.recipient != me) continue;
    ++outcomes;
    EXPECT_EQ(events::to_string(n.kind), "outcome");
    json p = json::parse(n.payload);
    EXPECT_EQ(p["state"], "closed");
    EXPECT_FALSE(p.contains("title")) << n.payload;
    EXPECT_EQ(n.payload.find("张三"), std::string::npos);
  }
  EXPECT_EQ(outcomes, 1);
}

TEST_P(EventSecurityTest, AttachmentsMustBeTheCallersPhotos) {
  int64_t theirs = other_county_event();
  (void)theirs;
  // Someone else's photo (of an event the caller cannot see) cannot be attached and fetched.
  json steal = here();
  steal["attachments"] = {photo_};
  auto r = post("an_taiqiao", "/api/v1/events", steal);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.error_code(), "invalid_attachment");
  EXPECT_EQ(r.error_field(), "attachments");
  EXPECT_EQ(get("an_taiqiao", "/api/v1/photos/" + photo_).status, 404);
  // Nor an unknown id, nor on an action.
  json unknown = here();
  unknown["attachments"] = {std::string(64, 'a')};
  EXPECT_EQ(post("an_taiqiao", "/api/v1/events", unknown).status, 400);
  int64_t mine = report("an_taiqiao", here());
  EXPECT_EQ(act("an_taiqiao", mine, {{"action", "accept"}, {"attachments", {photo_}}}).status, 400);
  EXPECT_EQ(count("SELECT COUNT(*) FROM event_photos WHERE event_id = " + std::to_string(mine)), 0);
  // One's own photo is fine, and so is one already on an event the caller may see.
  std::string own = upload("an_taiqiao", "安江现场");
  ok("an_taiqiao", mine, {{"action", "accept"}, {"attachments", {own}}});
  EXPECT_EQ(get("anjiang_op", "/api/v1/photos/" + own).status, 200);
  ok("anjiang_op", mine, {{"action", "start"}, {"attachments", {own}}});
  EXPECT_EQ(get("grid2", "/api/v1/photos/" + own).status, 404);
}

TEST_P(EventSecurityTest, ADepartmentHandlerSeesOnlyWhatItsDepartmentIsSummonedTo) {
  set_now("2026-06-02T10:00:00+08:00");
  int64_t summoned = report("city_op", {{"category", "公厕"},
                                        {"title", "公厕选址"},
                                        {"source", "hotline_12345"},
                                        {"grid", kSanchakouGrid}});
  int64_t other = report("sanchakou_op", {{"category", "infra.sewage"},
                                          {"title", "化粪池外溢"},
                                          {"lat", 27.33},
                                          {"lng", 103.72},
                                          {"grid", kSanchakouGrid}});
  // Posted at the district, not at a department: it sees none of the district's events.
  for (const char* who : {"zhaoyang_dept", "chengguan"}) {
    auto list = get(who, "/api/v1/events");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.json()["total"], 0) << who;
    for (int64_t id : {summoned, other}) {
      EXPECT_EQ(get(who, "/api/v1/events/" + std::to_string(id)).status, 404) << who;
    }
    auto d = get(who, "/api/v1/events/duplicates?lat=27.33&lng=103.72&category=infra.sewage");
    ASSERT_EQ(d.json()["items"].size(), 1u);
    EXPECT_FALSE(d.json()["items"][0].contains("id"));
    EXPECT_EQ(get(who, "/api/v1/patrols").json()["total"], 0);
  }
  // Summoned: 城管局 sees that one event, and still not the other.
  ok("wulong_op", summoned, {{"action", "accept"}});
  ok("wulong_op", summoned, {{"action", "dispatch"}, {"departments", {kChengguan}}});
  auto list = get("chengguan", "/api/v1/events");
  ASSERT_EQ(list.json()["total"], 1);
  EXPECT_EQ(list.json()["items"][0]["id"], summoned);
  EXPECT_EQ(get("chengguan", "/api/v1/events/" + std::to_string(summoned)).status, 200);
  EXPECT_EQ(get("chengguan", "/api/v1/events/" + std::to_string(other)).status, 404);
  EXPECT_EQ(get("zhaoyang_dept", "/api/v1/events").json()["total"], 1);  // its subtree's part
}

TEST_P(EventSecurityTest, PublishIsAnOwnerActionOnceOnly) {
  int64_t id = report("an_taiqiao", here());
  EXPECT_EQ(act("grid2", id, {{"action", "publish"}}).status, 404);
  EXPECT_EQ(act("chengguan", id, {{"action", "publish"}}).status, 404);
  auto allowed = event(id, "anjiang_op")["allowed_actions"];
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), "publish"), allowed.end());
  json e = ok("anjiang_op", id, {{"action", "publish"}});
  EXPECT_EQ(e["steps"].back()["action"], "publish");
  auto again = act("anjiang_op", id, {{"action", "publish"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "already_published");
  int64_t dispute = report("an_taiqiao", {{"category", "dispute"}, {"title", "邻里纠纷"}});
  auto hidden = act("anjiang_op", dispute, {{"action", "publish"}});
  EXPECT_EQ(hidden.status, 409);
  EXPECT_EQ(hidden.error_code(), "category_not_public");
  EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE published_at IS NOT NULL AND "
                  "published_by = " +
                  std::to_string(user_ids_["anjiang_op"])),
            1);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventSecurityTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
