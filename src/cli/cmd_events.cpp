// `wangge sweep`: the escalation sweep of the closed loop as of a given time.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "events/service.h"

namespace wangge::cli {

int run_sweep(const SweepArgs& args) {
  auto db = open_existing_database(args.db);
  open_vault_if_any(*db, args.db);
  Instant at = args.now.empty() ? wangge::now() : parse_instant(args.now, "now");
  events::SweepResult r = db->transact([&](store::Tx& tx) { return events::sweep(tx, at); });
  fmt::print(
      "巡检完成 (sweep as of {}): 上报上级 escalated {}, 市级超时 flagged overdue {}, "
      "临期提醒 deadline_near {}\n",
      format_local(at), r.escalated, r.flagged_overdue, r.near_notified);
  return 0;
}

}  // namespace wangge::cli
