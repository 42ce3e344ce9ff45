// The reports room's registration: reports, forms, KPIs and the dashboard over the analytics index.
#pragma once

#include <memory>
#include <vector>

#include "app/module.h"
#include "http/router.h"

namespace wangge::analytics {
class ReportService;
}  // namespace wangge::analytics

namespace wangge::api {

struct Context;

// The route tables of this room of the API (built around the shared context).
std::vector<http::Route> report_routes(const std::shared_ptr<Context>& ctx);
std::vector<http::Route> form_routes(const std::shared_ptr<Context>& ctx);
std::vector<http::Route> kpi_routes(const std::shared_ptr<Context>& ctx);
// GET and POST /api/v1/tags: the tag catalogue and a county's own tags (tag_routes.cpp).
std::vector<http::Route> tag_routes(const std::shared_ptr<Context>& ctx);
// Reports, forms, KPIs and the dashboard share one reporting service: ensure_reports builds it
// (loads the index, reads the forms) and subscribes it to the database's changes; reports_of
// gives it (Error(unavailable) before).
void ensure_reports(const std::shared_ptr<Context>& ctx);
analytics::ReportService& reports_of(Context& ctx);

}  // namespace wangge::api

namespace wangge::analytics {

// Everything this room brings to wangge (app/module.h).
app::Module module();

}  // namespace wangge::analytics
