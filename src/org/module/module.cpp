#include "org/module/module.h"

#include "org/org.h"

namespace wangge::org {

app::Module module() {
  app::Module m{.name = "org"};
  m.migrations = migrations();
  m.routes = {&api::org_routes};
  return m;
}

}  // namespace wangge::org
