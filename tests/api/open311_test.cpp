// Open311 GeoReport v2 at /open311/v2 as a 311 client sees it: services and definitions,
// posting a request as a form with an api_key, reading requests and tokens back, and the
// spec's error lists — in JSON and XML (parsed with pugixml), on both databases.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "events/events.h"
#include "events/service.h"
#include "fixture.h"
#include "intake/apikeys.h"
#include "open311_client.h"

namespace wangge::api {
namespace {

using nlohmann::json;
using Form = std::vector<std::pair<std::string, std::string>>;

std::string form_encode(const Form& form) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const auto& [k, v] : form) {
    if (!out.empty()) out += '&';
    for (const std::string* s : {&k, &v}) {
      for (unsigned char c : *s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
          out += static_cast<char>(c);
        } else if (c == ' ') {
          out += '+';
        } else {
          out += '%';
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        }
      }
      if (s == &k) out += '=';
    }
  }
  return out;
}

class Open311Test : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    store::migrate(*db_, events::migrations());
    db_->transact([&](store::Tx& tx) {
      // Representative points, so a lat/long finds its grid.
      tx.exec("UPDATE orgs SET lat = 27.19, lng = 103.55 WHERE code = '530621101201001'");
      tx.exec("UPDATE orgs SET lat = 27.25, lng = 103.60 WHERE code = '530621101202001'");
      tx.exec("UPDATE orgs SET lat = 26.91, lng = 102.93 WHERE code = '530622101201001'");
      key_ = intake::issue_api_key(tx, "12345 便民 app", wangge::now()).key;
    });
  }
  testing::Reply get(const std::string& path, const testing::HeaderList& h = {}) {
    return testing::send_raw(port_, "GET", "/open311/v2" + path, h);
  }
  testing::Reply post(const Form& form, const std::string& ext = "json",
                      testing::HeaderList h = {}) {
    h.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return testing::send_raw(port_, "POST", "/open311/v2/requests." + ext, h, form_encode(form));
  }
  Form valid() {
    return {{"api_key", key_},
            {"service_code", "infra.sewage"},
            {"lat", "27.1905"},
            {"long", "103.5502"},
            {"description", "小区门口化粪池外溢，影响152户"},
            {"email", "zhang@example.cn"},
            {"first_name", "三"},
            {"last_name", "张"},
            {"phone", "13812345678"},
            {"attribute[people_affected]", "152"},
            {"attribute[damage]", "moderate"}};
  }
  int64_t events_count() {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM events");
  }
  static pugi::xml_document xml(const std::string& body) {
    pugi::xml_document doc;
    auto ok = doc.load_string(body.c_str());
    EXPECT_TRUE(ok) << ok.description() << "\n" << body;
    return doc;
  }
  // The error list's first code and description, checking the spec's shape.
  static std::pair<int, std::string> error_of(const testing::Reply& r) {
    json j = r.json();
    EXPECT_TRUE(j.is_array() && j.size() == 1) << r.body;
    if (!j.is_array() || j.empty()) return {0, ""};
    return {j[0]["code"].get<int>(), j[0]["description"].get<std::string>()};
  }

  // 公开: the event's owner grid reviews and publishes it (a system actor here).
  void publish(int64_t id) {
    db_->transact([&](store::Tx& tx) {
      events::ActionInput in;
      in.action = events::Action::publish;
      events::act(tx, events::Actor::system(), id, in, wangge::now());
    });
  }
  // A report made in the app by a resident of 龙井村's grid (not through Open311).
  int64_t app_report(const std::string& category) {
    return db_->transact([&](store::Tx& tx) {
      events::Actor r;
      r.name = "居民";
      r.role = auth::Role::resident;
      r.org_code = "530621101201001";
      r.can_report = true;
      events::NewEvent e;
      e.category = category;
      e.title = "我家门口的问题";
      e.description = "李四，电话13911112222，住龙井村3组";
      e.address = "龙井村3组李四家";
      e.lat = 27.19123;
      e.lng = 103.55123;
      e.grid_code = "530621101201001";
      e.source = events::Source::resident;
      return events::report(tx, r, e, wangge::now()).id;
    });
  }

  std::string key_;
};

TEST_P(Open311Test, ServicesAreTheReportableCategories) {
  auto r = get("/services.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
  json list = r.json();
  size_t reportable = 0;
  for (const auto& c : events::categories()) reportable += c.reportable;
  ASSERT_EQ(list.size(), reportable);
  bool water = false;
  for (const auto& s : list) {
    EXPECT_NE(s["service_code"], "infra");  // a parent with children is not a service
    if (s["service_code"] == "infra.water") {
      water = true;
      EXPECT_EQ(s["service_name"], "供水");
      EXPECT_EQ(s["group"], "基础设施");
      EXPECT_EQ(s["metadata"], true);
      EXPECT_EQ(s["type"], "realtime");
    }
  }
  EXPECT_TRUE(water);

  auto x = get("/services.xml");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.header("Content-Type"), "text/xml; charset=utf-8");
  auto doc = xml(x.body);
  size_t n = 0;
  for (auto s : doc.child("services").children("service")) {
    ++n;
    EXPECT_FALSE(std::string(s.child_value("service_code")).empty());
    EXPECT_STREQ(s.child_value("metadata"), "true");
  }
  EXPECT_EQ(n, reportable);
}

TEST_P(Open311Test, ServiceDefinitionsListTheAttributes) {
  auto r = get("/services/infra.water.json");
  ASSERT_EQ(r.status, 200) << r.body;
  json d = r.json();
  EXPECT_EQ(d["service_code"], "infra.water");
  ASSERT_EQ(d["attributes"].size(), 2u);
  EXPECT_EQ(d["attributes"][0]["code"], "people_affected");
  EXPECT_EQ(d["attributes"][0]["datatype"], "number");
  EXPECT_EQ(d["attributes"][1]["datatype"], "singlevaluelist");
  EXPECT_EQ(d["attributes"][1]["values"][0]["key"], "none");

  auto doc = xml(get("/services/infra.water.xml").body);
  auto def = doc.child("service_definition");
  EXPECT_STREQ(def.child_value("service_code"), "infra.water");
  int values = 0;
  for (auto a : def.child("attributes").children("attribute")) {
    if (std::string(a.child_value("code")) == "damage") {
      for (auto v : a.child("values").children("value")) {
        ++values;
        EXPECT_FALSE(std::string(v.child_value("name")).empty());
      }
    }
  }
  EXPECT_EQ(values, 5);

  auto missing = get("/services/infra.json");  // a parent, not a service
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_of(missing).first, 404);
  auto missing_xml = get("/services/nosuch.xml");
  EXPECT_EQ(missing_xml.status, 404);
  auto e_doc = xml(missing_xml.body);  // the nodes live as long as their document
  auto e = e_doc.child("errors").child("error");
  EXPECT_STREQ(e.child_value("code"), "404");
  EXPECT_NE(std::string(e.child_value("description")).find("服务类型不存在"), std::string::npos);
  EXPECT_EQ(get("/services/infra.water.html").status, 404);
}

TEST_P(Open311Test, APostedRequestBecomesAResidentsEventInTheNearestGrid) {
  // The county's figures count it the moment it is created (its transaction's change record).
  const char* kKpis = "/api/v1/kpis/events?org=530621000000";
  auto before = get_as("op_ludian", kKpis);
  ASSERT_EQ(before.status, 200) << before.body;
  auto r = post(valid());
  ASSERT_EQ(r.status, 200) << r.body;
  json created = r.json();
  ASSERT_TRUE(created.is_array());
  std::string id = created[0]["service_request_id"];
  std::string token = created[0]["token"];
  EXPECT_FALSE(token.empty());

  auto tx = db_->begin(store::TxMode::read);
  auto e = events::find_event(*tx, std::stoll(id));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source, events::Source::resident);
  EXPECT_EQ(e->grid_code, "530621101201001");
  EXPECT_EQ(e->owner_code, "530621101201001");
  EXPECT_EQ(e->category, "infra.sewage");
  EXPECT_EQ(e->people_affected, 152);
  EXPECT_EQ(e->damage, events::Damage::moderate);
  EXPECT_EQ(e->external_ref, token);
  // The requester's contact is kept only encrypted.
  for (const char* sql : {"SELECT COUNT(*) FROM open311_requests WHERE contact_enc IS NOT NULL",
                          "SELECT COUNT(*) FROM events"}) {
    EXPECT_EQ(tx->query_int(sql), 1);
  }
  for (const char* sql : {"SELECT COUNT(*) FROM events WHERE description LIKE '%13812345678%' "
                          "OR reporter_name LIKE '%13812345678%' OR title LIKE '%zhang@%'",
                          "SELECT COUNT(*) FROM open311_requests WHERE media_url LIKE '%1381%'"}) {
    EXPECT_EQ(tx->query_int(sql), 0);
  }
  tx.reset();

  auto one = get("/requests/" + id + ".json");
  ASSERT_EQ(one.status, 200) << one.body;
  json req = one.json()[0];
  EXPECT_EQ(req["service_request_id"], id);
  EXPECT_EQ(req["status"], "open");
  EXPECT_EQ(req["service_code"], "infra.sewage");
  EXPECT_EQ(req["service_name"], "排水与化粪池");
  // Unreviewed: no words, no address, and the place only to 0.01°.
  EXPECT_EQ(req["description"], "");
  EXPECT_EQ(req["address"], "");
  EXPECT_EQ(req["agency_responsible"], "第1网格");
  EXPECT_NEAR(req["lat"].get<double>(), 27.19, 1e-9);
  EXPECT_NEAR(req["long"].get<double>(), 103.55, 1e-9);
  EXPECT_NE(req["requested_datetime"].get<std::string>().find("+08:00"), std::string::npos);
  EXPECT_EQ(one.body.find("13812345678"), std::string::npos);

  auto after = get_as("op_ludian", kKpis);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json()["received"].get<int64_t>(), before.json()["received"].get<int64_t>() + 1)
      << after.body;

  auto by_token = get("/tokens/" + token + ".xml");
  ASSERT_EQ(by_token.status, 200) << by_token.body;
  auto t_doc = xml(by_token.body);  // the nodes live as long as their document
  auto t = t_doc.child("service_requests").child("request");
  EXPECT_EQ(std::string(t.child_value("service_request_id")), id);
  EXPECT_EQ(std::string(t.child_value("token")), token);
  EXPECT_EQ(get("/tokens/nosuchtoken.json").status, 404);
}

TEST_P(Open311Test, AnAddressAloneFindsItsVillagesGridAndXmlAnswersInXml) {
  Form f = {{"api_key", key_},
            {"service_code", "infra.road"},
            {"address_string", "鲁甸县文屏镇砚池村2组5号门前"},
            {"description", "路面塌陷"}};
  auto r = post(f, "xml");
  ASSERT_EQ(r.status, 200) << r.body;
  auto created_doc = xml(r.body);  // the nodes live as long as their document
  auto created = created_doc.child("service_requests").child("request");
  std::string id = created.child_value("service_request_id");
  ASSERT_FALSE(id.empty());
  publish(std::stoll(id));
  auto one = xml(get("/requests/" + id + ".xml").body);
  auto req = one.child("service_requests").child("request");
  EXPECT_STREQ(req.child_value("status"), "open");
  EXPECT_STREQ(req.child_value("address"), "鲁甸县文屏镇砚池村2组5号门前");
  EXPECT_STREQ(req.child_value("description"), "路面塌陷");
  EXPECT_STREQ(req.child_value("lat"), "");
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(events::find_event(*tx, std::stoll(id))->grid_code, "530621101202001");
}

TEST_P(Open311Test, ErrorsFollowTheSpecAndWriteNothing) {
  auto without = valid();
  without.erase(without.begin());  // no api_key
  auto r = post(without);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_of(r).first, 400);
  EXPECT_NE(error_of(r).second.find("api_key"), std::string::npos);

  auto bad_key = valid();
  bad_key[0].second = "w311_not-a-key";
  r = post(bad_key, "xml");
  EXPECT_EQ(r.status, 403);
  auto e_doc = xml(r.body);  // the nodes live as long as their document
  auto e = e_doc.child("errors").child("error");
  EXPECT_STREQ(e.child_value("code"), "403");
  EXPECT_NE(std::string(e.child_value("description")).find("api_key 无效"), std::string::npos);

  auto expect_400 = [&](const Form& f, const std::string& mentions) {
    auto reply = post(f);
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_NE(error_of(reply).second.find(mentions), std::string::npos) << reply.body;
  };
  Form no_service = valid();
  no_service.erase(no_service.begin() + 1);
  expect_400(no_service, "service_code");
  Form unknown = valid();
  unknown[1].second = "nosuch";
  expect_400(unknown, "service_code");
  Form no_place = {{"api_key", key_}, {"service_code", "infra.water"}, {"description", "停水"}};
  expect_400(no_place, "lat");
  Form half = no_place;
  half.emplace_back("lat", "27.19");
  expect_400(half, "long");
  Form nan = no_place;
  nan.emplace_back("lat", "north");
  nan.emplace_back("long", "103.5");
  expect_400(nan, "lat");
  Form bad_attr = valid();
  bad_attr.emplace_back("attribute[color]", "red");
  expect_400(bad_attr, "attribute[color]");
  Form nowhere = no_place;
  nowhere.emplace_back("address_string", "火星基地");
  expect_400(nowhere, "address_string");

  auto en = post(bad_key, "json", {{"Accept-Language", "en"}});
  EXPECT_EQ(en.status, 403);
  EXPECT_EQ(error_of(en).second, "invalid api_key");
  EXPECT_EQ(events_count(), 0);
}

TEST_P(Open311Test, RequestsCanBeFilteredByIdServiceDateAndStatus) {
  auto a = post(valid()).json()[0]["service_request_id"].get<std::string>();
  Form road = {{"api_key", key_},
               {"service_code", "infra.road"},
               {"lat", "27.25"},
               {"long", "103.60"},
               {"description", "路灯不亮"}};
  auto b = post(road).json()[0]["service_request_id"].get<std::string>();
  // A grid worker's own report is no 311 request.
  db_->transact([&](store::Tx& tx) {
    events::Actor w;
    w.name = "grid_a";
    w.org_code = "530621101201001";
    w.can_report = true;
    events::NewEvent e;
    e.category = "infra.water";
    e.title = "巡查发现水管渗漏";
    e.grid_code = "530621101201001";
    events::report(tx, w, e, wangge::now());
  });
  auto ids = [](const testing::Reply& r) {
    std::vector<std::string> out;
    for (const auto& x : r.json()) out.push_back(x["service_request_id"]);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids(get("/requests.json")), (V{b, a}));  // newest first
  EXPECT_EQ(ids(get("/requests.json?service_code=infra.road")), V{b});
  EXPECT_EQ(ids(get("/requests.json?service_request_id=" + a)), V{a});
  EXPECT_EQ(ids(get("/requests.json?service_request_id=" + a + "," + b)), (V{b, a}));
  EXPECT_EQ(
      ids(get("/requests.json?start_date=2099-01-01T00:00:00Z&end_date=2099-02-01T00:00:00Z")),
      V{});
  EXPECT_EQ(
      get("/requests.json?start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z").status,
      400);
  EXPECT_EQ(get("/requests.json?status=pending").status, 400);
  db_->transact([&](store::Tx& tx) {
    tx.exec("UPDATE events SET state = 'closed' WHERE id = ?", {std::stoll(a)});
  });
  EXPECT_EQ(ids(get("/requests.json?status=open")), V{b});
  EXPECT_EQ(ids(get("/requests.json?status=closed")), V{a});
  EXPECT_EQ(ids(get("/requests.json?status=open,closed")), (V{b, a}));
  EXPECT_EQ(get("/requests/" + a + ".json").json()[0]["status"], "closed");
  auto doc = xml(get("/requests.xml").body);
  int n = 0;
  for (auto r : doc.child("service_requests").children("request")) {
    ++n;
    EXPECT_FALSE(std::string(r.child_value("service_request_id")).empty());
  }
  EXPECT_EQ(n, 2);
  EXPECT_EQ(get("/requests/999999.json").status, 404);
  EXPECT_EQ(get("/requests/abc.json").status, 404);
}

TEST_P(Open311Test, AResubmittedPostWithAnIdempotencyKeyCreatesOneEvent) {
  auto first = post(valid(), "json", {{"Idempotency-Key", "app-7f3a"}});
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = post(valid(), "json", {{"Idempotency-Key", "app-7f3a"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(events_count(), 1);
}

// Open311 shows only what the city publishes: public categories, requests made through Open311
// or published by an owner, coarse places, and words only after review.
TEST_P(Open311Test, ReadsShowOnlyWhatTheCityPublishes) {
  int64_t app = app_report("infra.sewage");
  Form dispute = {{"api_key", key_},
                  {"service_code", "dispute"},
                  {"lat", "27.1905"},
                  {"long", "103.5502"},
                  {"description", "王五与邻居赵六因宅基地争执"}};
  auto posted = post(dispute);
  ASSERT_EQ(posted.status, 200) << posted.body;
  std::string dispute_id = posted.json()[0]["service_request_id"];
  std::string sewage_id = post(valid()).json()[0]["service_request_id"];

  auto list = get("/requests.json");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json().size(), 1u) << list.body;  // the app's report and the dispute are not
  EXPECT_EQ(list.json()[0]["service_request_id"], sewage_id);
  for (const char* secret : {"李四", "13911112222", "王五", "宅基地", "化粪池外溢", "27.1905"}) {
    EXPECT_EQ(list.body.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(get("/requests/" + std::to_string(app) + ".json").status, 404);
  EXPECT_EQ(get("/requests/" + dispute_id + ".json").status, 404);
  EXPECT_EQ(get("/requests.json?service_code=dispute").json().size(), 0u);

  // Published by its owner, the app's report is shown with its reviewed words; the dispute,
  // whose category the city does not publish, cannot be published.
  publish(app);
  try {
    publish(std::stoll(dispute_id));
    ADD_FAILURE() << "published a dispute";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "category_not_public");
  }
  auto after = get("/requests/" + std::to_string(app) + ".json");
  ASSERT_EQ(after.status, 200) << after.body;
  json one = after.json()[0];
  EXPECT_EQ(one["description"], "李四，电话13911112222，住龙井村3组");
  EXPECT_EQ(one["address"], "龙井村3组李四家");
  EXPECT_NEAR(one["lat"].get<double>(), 27.19, 1e-9);  // still coarse
  EXPECT_EQ(after.body.find("27.19123"), std::string::npos);
  EXPECT_EQ(get("/requests/" + dispute_id + ".json").status, 404);
  EXPECT_EQ(get("/requests.json").json().size(), 2u);
}

TEST_P(Open311Test, APublicFlagInTheCategoriesFile) {
  auto cats = events::parse_categories(
      "[[category]]\ncode = \"a\"\nname = \"甲\"\npublic = true\n"
      "[[category]]\ncode = \"b\"\nname = \"乙\"\n");
  EXPECT_TRUE(cats[0].is_public);
  EXPECT_FALSE(cats[1].is_public);  // default: not published
  EXPECT_THROW(events::parse_categories("[[category]]\ncode = \"a\"\nname = \"甲\"\npublic = 1\n"),
               Error);
  EXPECT_TRUE(events::find_category("infra.sewage")->is_public);
  EXPECT_FALSE(events::find_category("dispute")->is_public);
}

TEST_P(Open311Test, DiscoveryNamesTheEndpoint) {
  auto r = get("/discovery.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["endpoints"][0]["specification"], "http://wiki.open311.org/GeoReport_v2");
  // The address is never made from the Host header (which the client chooses): relative.
  EXPECT_EQ(r.json()["endpoints"][0]["url"], "/open311/v2");
  EXPECT_EQ(r.body.find("127.0.0.1"), std::string::npos);
  auto doc = xml(get("/discovery.xml").body);
  EXPECT_STREQ(doc.child("discovery").child("endpoints").child("endpoint").child_value("type"),
               "production");
}

INSTANTIATE_TEST_SUITE_P(Backends, Open311Test, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
