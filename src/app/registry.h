// The modules of one program, checked and put in dependency order, and what the program builds
// from them: the migrations, the grants, the route tables, the entities, the demo steps, the
// config sections and the background components.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "app/module.h"

namespace wangge::app {

class Registry {
 public:
  // Checks every declaration and orders the modules so that each comes after those it names in
  // `after` (ties keep the given order). Throws Error(internal, "bad_module") with a message
  // naming the module and what is wrong: an empty or repeated name, an unknown or cyclic
  // `after`, a migration named for another module, a permission outside the module's prefix
  // or declared twice, a grant of a permission nobody declares, a repeated route table entity,
  // config section, component or demo step name, a component after an unknown one.
  explicit Registry(std::vector<Module> modules);

  std::span<const Module> modules() const { return modules_; }
  const Module* find(std::string_view name) const;

  // Every module's migrations, modules in dependency order.
  std::vector<store::Migration> migrations() const;
  std::vector<Grant> grants() const;
  std::vector<Permission> permissions() const;
  std::vector<RouteTable> route_tables() const;
  std::vector<std::shared_ptr<const analytics::EntitySpec>> entities() const;
  std::vector<std::filesystem::path> dictionary_dirs() const;
  std::vector<std::filesystem::path> forms_dirs() const;
  std::vector<ConfigSection> config_sections() const;
  // The defaults of every declared config key.
  Settings default_settings() const;
  // Every component, in an order that starts each after those it names.
  std::vector<const Component*> components() const;

  // Applies every module's migrations, then seeds the grants no earlier start has seeded
  // (permission_defaults remembers them, so a grant removed by the administrators stays
  // removed), then runs every module's `opened` hook. Idempotent.
  void migrate(store::Database& db) const;
  // Runs every module's demo steps, in module order (after the prefecture is generated).
  void run_demo(DemoContext& context) const;
  // Every module's share of the demo's live stream, in module order.
  std::vector<DemoLive> demo_live() const;
  // Runs every module's configure hook with these settings, in module order.
  void configure(const Settings& settings) const;

 private:
  std::vector<Module> modules_;
};

// The running components of a server: started in dependency order by start(), stopped in
// reverse when destroyed (or by stop()).
class Components {
 public:
  Components() = default;
  Components(const Components&) = delete;
  Components& operator=(const Components&) = delete;
  ~Components() { stop(); }

  // Starts every component of the registry. A component that throws stops those already
  // started (in reverse) and the error propagates.
  void start(const Registry& registry, ComponentContext& context);
  void stop();
  // The names of the running components, in start order.
  std::vector<std::string> running() const;

 private:
  std::vector<std::pair<std::string, std::unique_ptr<Running>>> running_;
};

// The app module itself: the table that remembers seeded grants.
const std::vector<store::Migration>& migrations();

}  // namespace wangge::app
