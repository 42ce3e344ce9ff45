#include "people/module/module.h"

#include "people/people.h"

namespace wangge::people {

app::Module module() {
  app::Module m{.name = "people", .after = {"org"}};
  m.migrations = migrations();
  m.routes = {&api::resident_routes, &api::resident_write_routes};
  // The catalogue this process uses is the database's tags table (a county's own tags too).
  m.opened = [](store::Database& db) { load_catalogue(db); };
  return m;
}

}  // namespace wangge::people
