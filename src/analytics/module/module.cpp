#include "analytics/module/module.h"

namespace wangge::analytics {

app::Module module() {
  app::Module m{.name = "reports", .after = {"people", "events"}};
  m.routes = {&api::report_routes, &api::form_routes, &api::kpi_routes, &api::tag_routes};
  m.config = {{"forms",
               {{.name = "dir",
                 .help = "a folder of forms used instead of data/forms; forms edited in the "
                         "console are saved there"}}}};
  return m;
}

}  // namespace wangge::analytics
