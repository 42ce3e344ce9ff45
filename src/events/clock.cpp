// The current SLA clock of an event (亮灯), service.h: clock_of.
#include <algorithm>

#include "events/service.h"

namespace wangge::events {

std::string_view to_string(Light l) {
  switch (l) {
    case Light::green:
      return "green";
    case Light::yellow:
      return "yellow";
    case Light::red:
      return "red";
    case Light::none:
      break;
  }
  return "";
}

Clock clock_of(const Event& e, Instant now) {
  Clock c;
  c.due_at = e.due_at;
  c.running = is_open(e.state);
  if (!c.running) return c;
  // Whole minutes, rounded toward the past; a clock that has run out (the sweep's due_at <=
  // now) reads at least one minute overdue.
  auto diff = std::chrono::duration_cast<std::chrono::milliseconds>(e.due_at - now);
  c.left = std::chrono::floor<std::chrono::minutes>(diff);
  if (diff.count() <= 0) {
    c.left = std::min(c.left, std::chrono::minutes(-1));
    c.light = Light::red;
  } else if (diff <= kDeadlineNear) {
    c.light = Light::yellow;
  } else {
    c.light = Light::green;
  }
  return c;
}

}  // namespace wangge::events
