// 吹哨报到: which departments an event's owner may summon (service.h). The same set the
// dispatch action accepts as departments: those hanging under the owner or an ancestor of it.
#include <algorithm>

#include "core/error.h"
#include "events/internal.h"
#include "events/service.h"

namespace wangge::events {

std::vector<SummonableOrg> summonable_departments(store::Tx& tx, const Actor& actor,
                                                  int64_t event_id, Instant now,
                                                  const WorkCalendar& calendar) {
  check_action(tx, actor, event_id, Action::dispatch, now, calendar);
  auto loaded = detail::load(tx, event_id);
  if (!loaded) {
    throw_not_found("事件不存在：" + std::to_string(event_id),
                    "no such event: " + std::to_string(event_id));
  }
  // The owner and its ancestors, the parents a summonable department may hang under.
  std::vector<int64_t> chain;
  detail::OrgRef at = detail::org_by_id(tx, loaded->owner_id);
  for (int guard = 0; guard < 16; ++guard) {
    chain.push_back(at.id);
    if (!at.parent_id) break;
    at = detail::org_by_id(tx, *at.parent_id);
  }
  std::vector<SummonableOrg> out;
  for (int64_t parent : chain) {
    for (const auto& r : tx.query(
             "SELECT o.id, o.code, o.name, o.kind, p.code, p.name FROM orgs o "
             "JOIN orgs p ON p.id = o.parent_id WHERE o.parent_id = ? AND o.kind = 'department'",
             {parent})) {
      out.push_back({r.i64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SummonableOrg& a, const SummonableOrg& b) { return a.code < b.code; });
  return out;
}

}  // namespace wangge::events
