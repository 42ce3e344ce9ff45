// The example module (example.h) end to end: a programme registered from outside src/ shows up
// in the API, migrates, reaches a report the moment its write commits (the change record from
// its transaction), brings demo rows, and a misspelled declaration stops the start naming it.
#include "example.h"

#include <gtest/gtest.h>

#include <fstream>

#include "analytics/entity.h"
#include "analytics/service.h"
#include "cli/app.h"
#include "core/error.h"
#include "fixture.h"
#include "forms/forms.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class ExampleModuleTest : public ApiTest {
 protected:
  // The example_items report of 鲁甸县 by village.
  json report() {
    auto r = get_as("op_ludian", "/api/v1/reports/example_items?org=530621000000&level=village");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  static json values_of(const json& report, const std::string& code) {
    for (const auto& r : report["rows"]) {
      if (r["org_code"] == code) return r["values"];
    }
    ADD_FAILURE() << "no row " << code;
    return {};
  }
};

TEST_P(ExampleModuleTest, ItsRoutesPermissionsAndReportWorkThroughTheApi) {
  // The form is listed beside the shipped ones; the report starts empty.
  auto forms = get_as("op_ludian", "/api/v1/forms");
  ASSERT_EQ(forms.status, 200) << forms.body;
  EXPECT_NE(forms.body.find("示例事项统计表"), std::string::npos);
  EXPECT_EQ(values_of(report(), "530621101201")["items"], 0);

  const std::string tok = token("grid_a");
  auto post = [&](const json& body) {
    return call("POST", "/api/v1/example/items", {{"Authorization", "Bearer " + tok}}, body.dump());
  };
  ASSERT_EQ(post({{"org", "530621101201001"}, {"kind", "a"}, {"amount", 12.5}}).status, 201);
  ASSERT_EQ(
      post({{"org", "530621101201001"}, {"kind", "b"}, {"amount", 7.5}, {"urgent", true}}).status,
      201);
  // Bad input is refused in Chinese and writes nothing; another county's org is not there.
  auto bad = post({{"org", "530621101201001"}, {"kind", "c"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("类别须为"), std::string::npos) << bad.body;
  EXPECT_EQ(post({{"org", "530622101201001"}, {"kind", "a"}}).status, 404);
  // The report counts both items at once: the writes told the index in their transactions.
  json r = report();
  json v = values_of(r, "530621101201");
  EXPECT_EQ(v["items"], 2);
  EXPECT_EQ(v["kind_a"], 1);
  EXPECT_EQ(v["urgent"], 1);
  EXPECT_EQ(v["amount"], 20);
  EXPECT_EQ(values_of(r, "530621101202")["items"], 0);
  // A role without the module's grant is refused; the list follows scope.
  EXPECT_EQ(get_as("auditor", "/api/v1/example/items").status, 403);
  auto mine = get_as("grid_a", "/api/v1/example/items");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json()["items"].size(), 2u);
  EXPECT_EQ(get_as("op_qiaojia", "/api/v1/example/items").json()["items"].size(), 0u);
  // The grants were seeded once and remembered.
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM permission_defaults WHERE permission LIKE "
                          "'example.%'"),
            9);
}

TEST_P(ExampleModuleTest, ItsDemoStepWritesTheSameRowsForASeed) {
  auto rows = [&] {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query("SELECT kind, amount, urgent FROM example_items ORDER BY id");
  };
  app::DemoContext c{*db_, vault_, 0.01, 7, {}};
  example::test_registry().run_demo(c);
  auto first = rows();
  EXPECT_EQ(first.size(), 9u);  // three in each of the fixture's three grids
  db_->transact([](store::Tx& tx) { tx.exec("DELETE FROM example_items"); });
  example::test_registry().run_demo(c);
  auto second = rows();
  ASSERT_EQ(second.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].text(0), second[i].text(0));
    EXPECT_EQ(first[i].f64(1), second[i].f64(1));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ExampleModuleTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

// ---- Mistakes in a declaration stop the start, naming what is wrong ----

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.message(Lang::en) + " [" + e.field() + "]";
  }
  return "(no error)";
}

TEST(ModuleDeclaration, AMisspelledModuleOrPermissionIsNamed) {
  auto with = [](const std::function<void(app::Module&)>& change) {
    auto all = cli::modules();
    app::Module m = example::module();
    change(m);
    all.push_back(std::move(m));
    return [all] { app::Registry r(all); };
  };
  EXPECT_NE(error_of(with([](app::Module& m) { m.after = {"ogr"}; })).find("ogr"),
            std::string::npos);
  EXPECT_NE(error_of(with([](app::Module& m) {
              m.grants.push_back({auth::Role::leader, "example.raed"});
            })).find("example.raed"),
            std::string::npos);
  EXPECT_NE(error_of(with([](app::Module& m) { m.name = "events"; })).find("events"),
            std::string::npos);
  EXPECT_NE(error_of(with([](app::Module& m) {
              m.permissions.push_back({"org.read", "重复"});
            })).find("org.read"),
            std::string::npos);
  EXPECT_NE(error_of(with([](app::Module& m) {
              m.config.push_back({"example",
                                  {{.name = "items_max",
                                    .type = app::ConfigKey::Type::integer,
                                    .fallback = "lots",
                                    .min = 1,
                                    .max = 100}}});
            })).find("example.items_max"),
            std::string::npos);
  EXPECT_EQ(error_of(with([](app::Module&) {})), "(no error)");
}

TEST(ModuleDeclaration, AMisspelledEntityOrFieldIsNamedAtStart) {
  auto db = wangge::testing::fresh_database("sqlite");
  example::test_registry().migrate(*db);
  auto start = [&](const std::function<void(analytics::EntitySpec&)> change) {
    return [&db, change] {
      auto spec = std::make_shared<analytics::EntitySpec>(*example::module().entities.at(0));
      change(*spec);
      analytics::ServiceOptions o;
      o.dictionary_dirs = example::module().dictionary_dirs;
      o.module_forms_dirs = example::module().forms_dirs;
      o.entities = {spec};
      analytics::ReportService s(*db, o);
    };
  };
  EXPECT_EQ(error_of(start([](analytics::EntitySpec&) {})), "(no error)");
  EXPECT_NE(error_of(start([](analytics::EntitySpec& s) {
              s.fields[1].code = "example_item.amout";
            })).find("example_item.amout"),
            std::string::npos);
  EXPECT_NE(
      error_of(start([](analytics::EntitySpec& s) { s.fields[0].column = "knid"; })).find("knid"),
      std::string::npos);
  // The form names the entity "example_item": spelled otherwise, the form is refused.
  EXPECT_NE(error_of(start([](analytics::EntitySpec& s) {
              s.name = "example_itme";
            })).find("example_item"),
            std::string::npos);
  // A form that misspells the entity is refused with the file and the name.
  const auto dir = wangge::testing::temp_dir("example-forms");
  std::ofstream(dir / "bad.toml") << "title = \"坏表\"\ndepartment = \"示例局\"\n"
                                     "[[indicator]]\ncode = \"n\"\nname = \"事项\"\nunit = \"件\"\n"
                                     "entity = \"exampel_item\"\naggregate = \"count\"\n";
  std::string e = error_of([&] {
    analytics::ServiceOptions o;
    o.dictionary_dirs = example::module().dictionary_dirs;
    o.module_forms_dirs = {dir};
    o.entities = example::module().entities;
    analytics::ReportService s(*db, o);
  });
  EXPECT_NE(e.find("exampel_item"), std::string::npos) << e;
  // Put things back for the tests that follow in this process.
  analytics::install_entities({}, forms::Dictionary::shipped());
}

}  // namespace
}  // namespace wangge::api
