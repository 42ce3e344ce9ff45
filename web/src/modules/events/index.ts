// 事件: the closed loop — the console's inbox and event page, the phone's report form and tasks,
// and the outbox handler that sends a report made offline.
import { EVENT_VIEW, canAny } from '../../session'
import { defineModule } from '../types'
import { messages } from './messages'
import { sendEvent } from './sync'

export default defineModule({
  name: 'events',
  messages,
  console: {
    routes: [
      { path: '/events', name: 'events', component: () => import('../../pages/events/EventsPage.vue') },
      { path: '/events/:id', name: 'event', component: () => import('../../pages/event/EventPage.vue'), props: true },
    ],
    menu: [{ path: '/events', label: 'nav.events', order: 30, visible: () => canAny(...EVENT_VIEW), test: 'nav-events' }],
  },
  mobile: {
    routes: [
      { path: '/report', name: 'report', component: () => import('../../pages/m-report/ReportPage.vue') },
      { path: '/tasks', name: 'tasks', component: () => import('../../pages/m-tasks/TasksPage.vue') },
      { path: '/tasks/:id', name: 'task', component: () => import('../../pages/m-task/TaskPage.vue'), props: true },
    ],
    tabs: [
      { path: '/report', label: 'm.report', order: 30, main: true },
      { path: '/tasks', label: 'm.tasks', order: 40 },
    ],
    tiles: [{ path: '/report', label: 'm.reportEvent', order: 10, test: 'go-report' }],
  },
  sync: { event: sendEvent },
})
