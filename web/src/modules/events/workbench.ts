// The events' share of the 待办 workbench: the server's tabs (GET /api/v1/workbench) and one
// tab's events (GET /api/v1/events?tab=), in the org the navigator has chosen.
import { events } from '../../api'
import { label, t, type MessageKey } from '../../i18n'
import { session } from '../../session'
import type { WorkSource } from '../types'

const PREFIX = 'events.'

export const eventWork: WorkSource = {
  order: 10,
  tabs: async () => {
    const r = await events.workbench(session.org?.code)
    return r.tabs.map((x) => ({ key: PREFIX + x.key, label: t(`work.${x.key}` as MessageKey), count: x.count, badge: x.key === 'to_accept' }))
  },
  list: async (tab, page, size) => {
    const r = await events.list({ org: session.org?.code, tab: tab.slice(PREFIX.length) as 'to_accept', page, size })
    return {
      total: r.total,
      items: r.items.map((e) => ({
        id: e.id,
        title: e.title,
        kind: e.category_name,
        state: label('state', e.state, e.state_name),
        owner: e.owner_name,
        at: e.reported_at,
        clock: e.clock,
        route: { name: 'event', params: { id: e.id } },
      })),
    }
  },
}
