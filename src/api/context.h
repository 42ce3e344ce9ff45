// What every route of the API shares: the database, the data key, the accounts service and
// the permissions, and the authenticated caller that the hook leaves in the request.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/metered_db.h"
#include "auth/accounts.h"
#include "auth/auth.h"
#include "auth/session_cache.h"
#include "core/text.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"

namespace wangge::analytics {
class ReportService;
}  // namespace wangge::analytics

namespace wangge::api {

struct Context {
  Context(store::Database& d, const Vault& v, const ApiOptions& o, const app::Registry& m)
      : modules(m),
        settings(o.settings.value_or(m.default_settings())),
        metered(d),
        db(metered),
        vault(v),
        options(o),
        accounts(o.auth),
        sessions(200'000, o.session_poll) {}
  const app::Registry& modules;  // what every module brings (entities, forms …)
  const app::Settings settings;  // their config sections
  MeteredDatabase metered;       // d, counted for the DB gauges of /metrics
  store::Database& db;
  Vault vault;
  ApiOptions options;
  auth::Accounts accounts;
  auth::Permissions permissions;
  // Sessions already checked. Invalidate after committing any change to users or sessions.
  auth::SessionCache sessions;
  // The analytics index and the forms behind reports, KPIs and the dashboard (ensure_reports).
  std::shared_ptr<analytics::ReportService> reports;
  // When (unix ms, server clock) the next purge of expired idempotency records is due.
  std::atomic<int64_t> idempotency_purge_due_ms{0};

  Instant now() const { return options.clock ? options.clock() : wangge::now(); }
  bool allows(const auth::User& u, std::string_view permission) const {
    return permissions.allows(u.role, permission);
  }
};

// The request's authenticated identity (req.context).
struct Caller {
  auth::User user;
  std::string token;
  std::string csrf_token;
  bool via_cookie = false;
};

// The caller the hook stored. Throws Error(unauthorized) when there is none.
const Caller& caller_of(const http::Request& req);

// The authentication hook (a Dispatcher "before" hook).
void authenticate_request(Context& ctx, http::Request& req);

// A route handler that reads the shared context, bound into an http::Handler.
using ApiHandler = http::Response (*)(Context& ctx, const http::Request& req);
http::Handler bind_handler(const std::shared_ptr<Context>& ctx, ApiHandler fn);

// The API's gauges on /metrics: DB transactions by mode, cached sessions, ApiOptions::gauges.
void register_gauges(http::MetricsRegistry& metrics, const std::shared_ptr<Context>& ctx);

}  // namespace wangge::api
