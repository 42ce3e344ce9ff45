// Which action buttons an event page offers: exactly the server's `allowed_actions` on the
// event (computed by the same checks that POST /api/v1/events/{id}/actions enforces), so no
// rule of the state machine lives in the browser. An event without the list offers nothing.
import type { WangEvent } from './api'

export function allowedActions(e: WangEvent): string[] {
  return Array.isArray(e.allowed_actions) ? e.allowed_actions : []
}
