// 事件: the closed loop — the console's inbox and event page, the phone's report form and tasks,
// and the outbox handler that sends a report made offline.
import { EVENT_VIEW, canAny } from '../../session'
import { defineModule } from '../types'
import { messages } from './messages'
import { sendEvent } from './sync'
import { eventWork } from './workbench'

export default defineModule({
  name: 'events',
  messages,
  console: {
    routes: [
      { path: '/events', name: 'events', page: 'events' },
      { path: '/events/:id', name: 'event', page: 'event', props: true },
      { path: '/workbench', name: 'workbench', page: 'workbench' },
    ],
    menu: [
      { path: '/workbench', label: 'nav.workbench', order: 5, visible: () => canAny('event.handle', 'event.report'), test: 'nav-workbench' },{ path: '/events', label: 'nav.events', order: 30, visible: () => canAny(...EVENT_VIEW), test: 'nav-events' }],
  },
  mobile: {
    routes: [
      { path: '/report', name: 'report', page: 'm-report' },
      { path: '/tasks', name: 'tasks', page: 'm-tasks' },
      { path: '/tasks/:id', name: 'task', page: 'm-task', props: true },
    ],
    tabs: [
      { path: '/report', label: 'm.report', order: 30, main: true },
      { path: '/tasks', label: 'm.tasks', order: 40 },
    ],
    tiles: [{ path: '/report', label: 'm.reportEvent', order: 10, test: 'go-report' }],
  },
  sync: { event: sendEvent },
  workbench: eventWork,
})
