// 驾驶舱 and 报表: the leaders' dashboard and the forms (summary tables and rosters) on the console.
import { canAny } from '../../session'
import { defineModule } from '../types'
import { messages } from './messages'

export default defineModule({
  name: 'analytics',
  messages,
  console: {
    routes: [
      { path: '/dashboard', name: 'dashboard', page: 'dashboard' },
      { path: '/reports', name: 'reports', page: 'reports' },
    ],
    menu: [
      { path: '/dashboard', label: 'nav.dashboard', order: 10 },
      { path: '/reports', label: 'nav.reports', order: 40, visible: () => canAny('report.read') },
    ],
  },
})
