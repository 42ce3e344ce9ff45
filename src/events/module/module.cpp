#include "events/module/module.h"

#include <spdlog/spdlog.h>

#include "events/events.h"
#include "events/module/sweeper.h"
#include "intake/apikeys.h"
#include "intake/idempotency_keys.h"
#include "intake/open311.h"
#include "intake/photos.h"
#include "notify/notify.h"

namespace wangge::events {
namespace {

// The notification sender as a component: started with its thread, stopped when destroyed.
class RunningSender : public app::Running {
 public:
  RunningSender(store::Database& db, const Vault& vault, notify::SenderOptions options)
      : sender_(db, vault, std::move(options)) {
    sender_.start();
  }
  ~RunningSender() override { sender_.stop(); }

 private:
  notify::NotificationSender sender_;
};

}  // namespace

app::Module module() {
  app::Module m{.name = "events", .after = {"org", "people", "auth"}};
  m.migrations = migrations();  // the loop, photos, patrols
  // Intake (src/intake) and notifications (src/notify) keep their own migration histories.
  for (const auto* list : {&intake::idempotency_migrations(), &notify::notify_migrations(),
                           &intake::apikey_migrations(), &intake::open311::open311_migrations()}) {
    m.migrations.insert(m.migrations.end(), list->begin(), list->end());
  }
  m.routes = {&api::event_routes, &api::photo_routes, &api::open311_routes};
  using Type = app::ConfigKey::Type;
  m.config = {
      {"webhooks",
       {{.name = "may_reach_intranet",
         .type = Type::boolean,
         .fallback = "false",
         .help = "webhooks may call private and loopback addresses (SSRF risk)"}}},
      {"photos",
       {{.name = "dir",
         .help = "where photos are kept (default: <db>.files beside SQLite, wangge.files for "
                 "PostgreSQL)"},
        {.name = "max_mb",
         .type = Type::integer,
         .fallback = std::to_string(intake::kDefaultPhotoLimit >> 20),
         .help = "largest photo in MiB",
         .min = 1,
         .max = 64}}},
      {"events",
       {{.name = "categories", .help = "a categories file replacing data/events/categories.toml"}}},
  };
  // The categories are read once, before anything asks for them.
  m.configure = [](const app::Settings& s) { use_categories_file(s.text("events", "categories")); };
  m.components = {
      // The photo folder as a crash left it: temporary files and files whose row never
      // committed go before the server takes requests (no upload can be under way).
      {.name = "photo_files",
       .start = [](app::ComponentContext& c) -> std::unique_ptr<app::Running> {
         intake::PhotoStore store(intake::photo_dir(c.settings.text("photos", "dir"), c.db.url()));
         auto r = store.remove_orphans(c.db);
         if (r.removed > 0) {
           spdlog::info("photos: removed {} of {} files left without a row by a crash", r.removed,
                        r.files);
         }
         return std::make_unique<app::Running>();
       }},
      // 超时上报: the escalation sweep, at start and every minute.
      {.name = "sweep",
       .start = [](app::ComponentContext& c) -> std::unique_ptr<app::Running> {
         return std::make_unique<Sweeper>(c.db, std::chrono::minutes(1));
       }},
      // The outbox → webhooks.
      {.name = "notifier",
       .start = [](app::ComponentContext& c) -> std::unique_ptr<app::Running> {
         notify::SenderOptions o;
         o.targets.may_reach_intranet = c.settings.boolean("webhooks", "may_reach_intranet");
         return std::make_unique<RunningSender>(c.db, c.vault, std::move(o));
       }},
  };
  return m;
}

}  // namespace wangge::events
