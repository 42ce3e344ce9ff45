#include "app/registry.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "core/error.h"

namespace wangge::app {
namespace {

[[noreturn]] void bad_module(const std::string& module, const std::string& what) {
  throw Error(ErrorKind::internal, "bad_module", "模块声明有误（" + module + "）：" + what,
              "bad module declaration (" + module + "): " + what);
}

// Each item's name non-empty and not in `seen` yet (then added), else bad_module naming it.
template <class Range, class NameOf>
void require_unique(const std::string& module, std::string_view what, const Range& items,
                    NameOf name_of, std::set<std::string>& seen) {
  for (const auto& item : items) {
    std::string name(name_of(item));
    if (name.empty()) bad_module(module, std::string(what) + " without a name");
    if (!seen.insert(name).second)
      bad_module(module, std::string(what) + " declared twice: " + name);
  }
}

// A config key's default must be a value of its own type (and range).
void check_default(const std::string& module, const std::string& section, const ConfigKey& k) {
  const std::string key = section + "." + k.name;
  if (k.name.empty()) bad_module(module, "a config key without a name in [" + section + "]");
  if (k.type == ConfigKey::Type::boolean && k.fallback != "true" && k.fallback != "false") {
    bad_module(module, "config key " + key + ": the default must be true or false");
  }
  if (k.type == ConfigKey::Type::integer) {
    int64_t n = 0;
    const char* end = k.fallback.data() + k.fallback.size();
    auto [p, ec] = std::from_chars(k.fallback.data(), end, n);
    if (ec != std::errc() || p != end || k.fallback.empty() || n < k.min || n > k.max) {
      bad_module(module, "config key " + key + ": the default must be an integer from " +
                             std::to_string(k.min) + " to " + std::to_string(k.max));
    }
  }
}

// Orders modules after the ones they name, keeping the given order among equals.
std::vector<Module> ordered(std::vector<Module> modules) {
  std::set<std::string> names;
  for (const auto& m : modules) {
    if (m.name.empty()) bad_module("?", "a module without a name");
    if (!names.insert(m.name).second) bad_module(m.name, "the module is registered twice");
  }
  for (const auto& m : modules) {
    for (const auto& a : m.after) {
      if (!names.contains(a)) bad_module(m.name, "it comes after an unknown module: " + a);
    }
  }
  std::vector<Module> out;
  std::set<std::string> placed;
  while (!modules.empty()) {
    auto ready = std::find_if(modules.begin(), modules.end(), [&](const Module& m) {
      return std::all_of(m.after.begin(), m.after.end(),
                         [&](const std::string& a) { return placed.contains(a); });
    });
    if (ready == modules.end()) bad_module(modules.front().name, "its `after` list forms a cycle");
    placed.insert(ready->name);
    out.push_back(std::move(*ready));
    modules.erase(ready);
  }
  return out;
}

}  // namespace

Registry::Registry(std::vector<Module> modules) : modules_(ordered(std::move(modules))) {
  std::set<std::string> permissions, sections, components, steps;
  for (const auto& m : modules_) {
    // A module may carry several migration histories (events: the loop's, intake's, notify's),
    // each declared by one module only (checked below).
    for (const auto& mig : m.migrations) {
      if (mig.module.empty()) bad_module(m.name, "a migration without a module name");
    }
    require_unique(
        m.name, "permission", m.permissions, [](const Permission& p) { return p.name; },
        permissions);
    for (const auto& p : m.permissions) {
      if (p.label.empty()) bad_module(m.name, "permission " + p.name + " has no label");
    }
    require_unique(
        m.name, "config section", m.config, [](const ConfigSection& c) { return c.name; },
        sections);
    require_unique(
        m.name, "component", m.components, [](const Component& c) { return c.name; }, components);
    require_unique(
        m.name, "demo step", m.demo, [](const DemoStep& d) { return d.name; }, steps);
    for (const auto& r : m.routes) {
      if (!r) bad_module(m.name, "an empty route table");
    }
    for (const auto& section : m.config) {
      for (const auto& k : section.keys) check_default(m.name, section.name, k);
    }
  }
  std::set<std::string> migration_owner;
  for (const auto& m : modules_) {
    std::set<std::string> mine;
    for (const auto& mig : m.migrations) mine.insert(mig.module);
    for (const auto& name : mine) {
      if (!migration_owner.insert(name).second) {
        bad_module(m.name, "migrations named \"" + name + "\" are declared by two modules");
      }
    }
  }
  for (const auto& m : modules_) {
    for (const auto& g : m.grants) {
      if (!permissions.contains(g.permission)) {
        bad_module(m.name, "a grant of an undeclared permission: " + g.permission);
      }
    }
    for (const auto& c : m.components) {
      for (const auto& a : c.after) {
        if (!components.contains(a)) {
          bad_module(m.name, "component " + c.name + " comes after an unknown one: " + a);
        }
      }
    }
  }
}

const Module* Registry::find(std::string_view name) const {
  for (const auto& m : modules_) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::vector<store::Migration> Registry::migrations() const {
  std::vector<store::Migration> out;
  for (const auto& m : modules_) out.insert(out.end(), m.migrations.begin(), m.migrations.end());
  return out;
}

std::vector<Grant> Registry::grants() const {
  std::vector<Grant> out;
  for (const auto& m : modules_) out.insert(out.end(), m.grants.begin(), m.grants.end());
  return out;
}

std::vector<Permission> Registry::permissions() const {
  std::vector<Permission> out;
  for (const auto& m : modules_) out.insert(out.end(), m.permissions.begin(), m.permissions.end());
  return out;
}

std::vector<RouteTable> Registry::route_tables() const {
  std::vector<RouteTable> out;
  for (const auto& m : modules_) out.insert(out.end(), m.routes.begin(), m.routes.end());
  return out;
}

std::vector<std::shared_ptr<const analytics::EntitySpec>> Registry::entities() const {
  std::vector<std::shared_ptr<const analytics::EntitySpec>> out;
  for (const auto& m : modules_) out.insert(out.end(), m.entities.begin(), m.entities.end());
  return out;
}

std::vector<std::filesystem::path> Registry::dictionary_dirs() const {
  std::vector<std::filesystem::path> out;
  for (const auto& m : modules_) {
    out.insert(out.end(), m.dictionary_dirs.begin(), m.dictionary_dirs.end());
  }
  return out;
}

std::vector<std::filesystem::path> Registry::forms_dirs() const {
  std::vector<std::filesystem::path> out;
  for (const auto& m : modules_) out.insert(out.end(), m.forms_dirs.begin(), m.forms_dirs.end());
  return out;
}

std::vector<ConfigSection> Registry::config_sections() const {
  std::vector<ConfigSection> out;
  for (const auto& m : modules_) out.insert(out.end(), m.config.begin(), m.config.end());
  return out;
}

Settings Registry::default_settings() const {
  Settings s;
  for (const auto& section : config_sections()) {
    for (const auto& k : section.keys) s.set(section.name, k.name, k.fallback);
  }
  return s;
}

std::vector<const Component*> Registry::components() const {
  std::vector<const Component*> pending, out;
  for (const auto& m : modules_) {
    for (const auto& c : m.components) pending.push_back(&c);
  }
  std::set<std::string> started;
  while (!pending.empty()) {
    auto ready = std::find_if(pending.begin(), pending.end(), [&](const Component* c) {
      return std::all_of(c->after.begin(), c->after.end(),
                         [&](const std::string& a) { return started.contains(a); });
    });
    if (ready == pending.end()) bad_module((*pending.begin())->name, "components form a cycle");
    started.insert((*ready)->name);
    out.push_back(*ready);
    pending.erase(ready);
  }
  return out;
}

void Registry::migrate(store::Database& db) const {
  auto all = app::migrations();
  auto rest = migrations();
  all.insert(all.end(), rest.begin(), rest.end());
  // A database from a newer wangge is refused before anything is written to it.
  store::refuse_newer_schema(db, all);
  store::migrate(db, all);
  auto grants = this->grants();
  db.transact([&](store::Tx& tx) {
    for (const auto& g : grants) {
      const std::string role(auth::to_string(g.role));
      if (tx.query_one("SELECT 1 FROM permission_defaults WHERE role = ? AND permission = ?",
                       {role, g.permission})) {
        continue;
      }
      tx.exec("INSERT INTO permission_defaults (role, permission) VALUES (?, ?)",
              {role, g.permission});
      if (!tx.query_one("SELECT 1 FROM permissions WHERE role = ? AND permission = ?",
                        {role, g.permission})) {
        tx.exec("INSERT INTO permissions (role, permission) VALUES (?, ?)", {role, g.permission});
      }
    }
  });
  for (const auto& m : modules_) {
    if (m.opened) m.opened(db);
  }
}

void Registry::run_demo(DemoContext& context) const {
  for (const auto& m : modules_) {
    for (const auto& step : m.demo) {
      if (context.progress) context.progress(0, 1, step.label);
      step.run(context);
    }
  }
}

std::vector<DemoLive> Registry::demo_live() const {
  std::vector<DemoLive> out;
  for (const auto& m : modules_) out.insert(out.end(), m.demo_live.begin(), m.demo_live.end());
  return out;
}

void Registry::configure(const Settings& settings) const {
  for (const auto& m : modules_) {
    if (m.configure) m.configure(settings);
  }
}

const std::string& Settings::text(std::string_view section, std::string_view key) const {
  auto it = values_.find(std::pair<std::string, std::string>(section, key));
  if (it == values_.end()) {
    throw Error(ErrorKind::internal, "unknown_setting",
                "未声明的配置项：" + std::string(section) + "." + std::string(key),
                "no module declares the setting " + std::string(section) + "." + std::string(key));
  }
  return it->second;
}

int64_t Settings::integer(std::string_view section, std::string_view key) const {
  return std::stoll(text(section, key));
}

bool Settings::boolean(std::string_view section, std::string_view key) const {
  return text(section, key) == "true";
}

void Settings::set(std::string section, std::string key, std::string value) {
  values_[{std::move(section), std::move(key)}] = std::move(value);
}

void Components::start(const Registry& registry, ComponentContext& context) {
  for (const Component* c : registry.components()) {
    try {
      running_.emplace_back(c->name, c->start(context));
    } catch (...) {
      stop();
      throw;
    }
    spdlog::info("started {}", c->name);
  }
}

void Components::stop() {
  while (!running_.empty()) {
    running_.back().second.reset();
    running_.pop_back();
  }
}

std::vector<std::string> Components::running() const {
  std::vector<std::string> out;
  for (const auto& [name, r] : running_) out.push_back(name);
  return out;
}

const std::vector<store::Migration>& migrations() {
  // The grants each module declares are seeded once; this remembers which, so that a grant the
  // administrators remove is not seeded again at the next start.
  static const std::vector<store::Migration> list{
      {"app", 1, R"sql(
CREATE TABLE permission_defaults (
  role TEXT NOT NULL,
  permission TEXT NOT NULL,
  PRIMARY KEY (role, permission)
);
)sql"},
  };
  return list;
}

}  // namespace wangge::app
