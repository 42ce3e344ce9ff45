// 巡查: the grid worker's patrol log (看听问记报), written on the phone and sent by the outbox.
import { defineModule } from '../types'
import { messages } from './messages'
import { sendPatrol } from './sync'

export default defineModule({
  name: 'patrols',
  messages,
  mobile: {
    routes: [{ path: '/patrol', name: 'patrol', page: 'm-patrol' }],
    tabs: [{ path: '/patrol', label: 'm.patrol', order: 50 }],
    tiles: [{ path: '/patrol', label: 'm.patrolLog', order: 20, ghost: true }],
  },
  sync: { patrol: sendPatrol },
})
