// The one way in for every programme (DESIGN §3): each domain folder exports one function that
// returns its Module — everything it brings, declared in one place — and `wangge` builds its
// schema, grants, route table, demo and background components by walking the list of them
// (src/cli/modules.cpp). Nothing of a domain is wired anywhere else.
//
//   app::Module mediation::module() {
//     app::Module m{.name = "mediation", .after = {"people", "events"}};
//     m.migrations = mediation::migrations();
//     m.permissions = {{"mediation.read", "查看调解案件"}, {"mediation.write", "登记调解案件"}};
//     m.grants = {{auth::Role::village_operator, "mediation.write"}, …};
//     m.routes = {&mediation::routes};
//     m.entities = {mediation::case_entity()};
//     m.forms_dirs = {forms_dir / "mediation"};
//     m.demo = {{"mediation", "生成调解案件", &mediation::generate_demo}};
//     return m;
//   }
//
// A mistake in a declaration — a misspelled module, permission, role, entity or field, a name
// declared twice, a cycle — stops the program at start with a message naming it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "core/time.h"
#include "core/vault.h"
#include "http/router.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::api {
struct Context;
}  // namespace wangge::api

namespace wangge::analytics {
struct EntitySpec;
}  // namespace wangge::analytics

namespace wangge::app {

// A verb the code checks (auth::Permissions::require(role, name)); the label is what the
// security administrator reads.
struct Permission {
  std::string name;   // "<module>.<verb>": "mediation.write"
  std::string label;  // "登记调解案件"
};
// A permission a role holds by default. Seeded once into the permissions table (seed_grants);
// a grant the administrators remove later stays removed.
struct Grant {
  auth::Role role;
  std::string permission;
};

// The routes of one room of the API, built once at start around the shared context.
using RouteTable = std::function<std::vector<http::Route>(const std::shared_ptr<api::Context>&)>;

// A step of `wangge demo`, run after the prefecture (orgs, people, staff, events) exists, in
// module order. It writes through db.write()/transact() and must be deterministic for a seed.
struct DemoContext {
  store::Database& db;
  const Vault& vault;
  double scale = 0.01;  // 1.0: the real prefecture
  uint64_t seed = 0;
  std::function<void(int64_t done, int64_t total, const std::string& what)> progress;
};
struct DemoStep {
  std::string name;   // "mediation"
  std::string label;  // "生成调解案件" (the progress bar's words)
  std::function<void(DemoContext&)> run;
};

// A programme's share of the demo's live stream (src/demo/live.h), which keeps the place moving
// while `wangge demo` serves: called on the stream's thread at every tick, it does one small
// thing (files a new record, takes a step on an open one) through the module's own services,
// as its users would, with their audit rows. `seed` differs from tick to tick.
struct DemoLiveContext {
  store::Database& db;
  const Vault& vault;
  Instant now;
  uint64_t seed = 0;
};
struct DemoLive {
  std::string name;  // "mediation"
  std::function<void(DemoLiveContext&)> tick;
};

// One key of a config-file section a module declares ([photos] dir = "…"). The value is kept
// as text with its TOML type checked: a string, an integer (with its range) or a boolean.
struct ConfigKey {
  enum class Type { string, integer, boolean };
  std::string name;
  Type type = Type::string;
  std::string fallback;      // the default, as the value would be written ("" / "16" / "false")
  std::string help;          // one line, for the README and the error message
  int64_t min = 0, max = 0;  // integers only: the accepted range
};
struct ConfigSection {
  std::string name;  // the [section]
  std::vector<ConfigKey> keys;
};
// The values of every declared section: the config file's where given, else the defaults.
class Settings {
 public:
  // The value of section.key. Throws Error(internal) for a key no module declared.
  const std::string& text(std::string_view section, std::string_view key) const;
  int64_t integer(std::string_view section, std::string_view key) const;
  bool boolean(std::string_view section, std::string_view key) const;
  void set(std::string section, std::string key, std::string value);

 private:
  std::map<std::pair<std::string, std::string>, std::string, std::less<>> values_;
};

// A background part of `wangge serve` (the escalation sweep, the notification sender). Started
// after the components it names in `after`, in dependency order; stopped in reverse by
// destroying what start returned, after the HTTP server has stopped taking requests.
struct ComponentContext {
  store::Database& db;
  const Vault& vault;
  const Settings& settings;
};
class Running {
 public:
  virtual ~Running() = default;
};
struct Component {
  std::string name;
  std::vector<std::string> after;
  std::function<std::unique_ptr<Running>(ComponentContext&)> start;
};

struct Module {
  std::string name;                // "mediation"; its permissions "mediation.…"
  std::vector<std::string> after;  // modules whose schema and data this one builds on
  // Its histories (store::Migration::module; usually its own name), none shared with another.
  std::vector<store::Migration> migrations;
  std::vector<Permission> permissions;
  std::vector<Grant> grants;
  std::vector<RouteTable> routes;
  // The analytics index's entities this module's records become (analytics/entity.h).
  std::vector<std::shared_ptr<const analytics::EntitySpec>> entities;
  // Folders of dictionary fields (*.toml) and of forms (*.toml) shipped with the module.
  std::vector<std::filesystem::path> dictionary_dirs, forms_dirs;
  // Applied once at start, before anything else of the module runs, with the settings (its
  // config sections): e.g. loading the event categories from [events] categories.
  std::function<void(const Settings&)> configure;
  // Run every time this program opens a database, after its migrations (Registry::migrate):
  // e.g. loading the tag catalogue from the tags table.
  std::function<void(store::Database&)> opened;
  std::vector<DemoStep> demo;
  std::vector<DemoLive> demo_live;
  std::vector<Component> components;
  std::vector<ConfigSection> config;
};

}  // namespace wangge::app
