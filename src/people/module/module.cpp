#include "people/module/module.h"

#include "people/people.h"

namespace wangge::people {

app::Module module() {
  app::Module m{.name = "people", .after = {"org"}};
  m.migrations = migrations();
  m.routes = {&api::resident_routes, &api::resident_write_routes};
  return m;
}

}  // namespace wangge::people
