// Which action buttons an event page offers: the actions the event's state admits
// (src/events/actions.cpp), narrowed by what the page can see (parts summoned, level ≥ 3 for
// 吹哨, the event.handle permission). Only a hint: the server decides who may act, and the
// page shows its refusal when it says no.
import type { WangEvent } from './api'

const BY_STATE: Record<string, string[]> = {
  reported: ['accept', 'assign', 'escalate', 'return', 'cancel'],
  returned: ['accept', 'assign', 'escalate', 'cancel'],
  accepted: ['start', 'dispatch', 'assign', 'resolve', 'escalate', 'extend', 'return', 'cancel'],
  dispatched: ['acknowledge', 'resolve_part', 'dispatch', 'resolve', 'escalate', 'extend'],
  in_progress: ['acknowledge', 'resolve_part', 'dispatch', 'resolve', 'escalate', 'extend'],
  reopened: ['start', 'dispatch', 'resolve', 'escalate', 'extend'],
  resolved: ['verify_pass', 'verify_fail'],
  closed: ['rate'],
  cancelled: [],
}

export function candidateActions(e: WangEvent, canHandle = true): string[] {
  if (Array.isArray(e.allowed_actions)) return e.allowed_actions
  const parts = e.parts ?? []
  return (BY_STATE[e.state] ?? []).filter((a) => {
    if (!canHandle) return a === 'rate'
    if (a === 'acknowledge') return parts.some((p) => !p.acknowledged_at)
    if (a === 'resolve_part') return parts.some((p) => p.acknowledged_at && !p.resolved_at)
    if (a === 'resolve' && parts.some((p) => !p.resolved_at)) return false
    if (a === 'dispatch') return e.level >= 3
    if (a === 'escalate') return e.level < 5
    if (a === 'return') return !!e.dispatcher
    return true
  })
}
