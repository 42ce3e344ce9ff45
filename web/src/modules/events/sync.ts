// The outbox handler of an event reported offline (上报): POST /api/v1/events with the photos'
// ids, linked afterwards from the outbox page to the task it became.
import { events, type NewEventInput } from '../../api'
import type { SyncHandler } from '../types'

export const sendEvent: SyncHandler = async (item, attachments) => {
  const body = { ...(item.payload as unknown as NewEventInput), attachments }
  const e = await events.report(body, item.key)
  return { id: e.id, route: 'task' }
}
