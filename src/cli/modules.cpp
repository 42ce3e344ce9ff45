// The modules of wangge, in one list: a new programme adds its line here (and its folder to
// WANGGE_MODULES in CMakeLists.txt). Order is free: the registry orders them by `after`.
#include "analytics/module/module.h"
#include "auth/module/module.h"
#include "cli/app.h"
#include "events/module/module.h"
#include "org/module/module.h"
#include "people/module/module.h"

namespace wangge::cli {

std::vector<app::Module> modules() {
  return {org::module(), people::module(), auth::module(), events::module(), analytics::module()};
}

const app::Registry& registry() {
  static const app::Registry r(modules());
  return r;
}

}  // namespace wangge::cli
