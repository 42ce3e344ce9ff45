// Which action buttons an event page offers: exactly the server's `allowed_actions` on the
// event (computed by the same checks that POST /api/v1/events/{id}/actions enforces), so no
// rule of the state machine lives in the browser. An event without the list offers nothing.
import type { WangEvent } from './api'

export function allowedActions(e: WangEvent): string[] {
  return Array.isArray(e.allowed_actions) ? e.allowed_actions : []
}

/**
 * The main action of the event for the caller now (one button stands out): the first allowed of
 * the case flow's next steps, in the order the flow takes them; null when none is allowed.
 */
const MAIN_ORDER = ['accept', 'acknowledge', 'resolve_part', 'verify_pass', 'resolve', 'start', 'dispatch', 'rate']
export function mainAction(e: WangEvent): string | null {
  const allowed = allowedActions(e)
  return MAIN_ORDER.find((a) => allowed.includes(a)) ?? null
}
