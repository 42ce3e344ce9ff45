// 首页 and 待发送: the phone's home page (my grid at a glance, the other modules' tiles) and the
// outbox of what waits to be sent.
import { defineModule } from '../types'
import { messages } from './messages'

export default defineModule({
  name: 'home',
  messages,
  mobile: {
    routes: [
      { path: '/', name: 'home', page: 'm-home' },
      { path: '/queue', name: 'queue', page: 'm-queue' },
    ],
    tabs: [{ path: '/', label: 'm.home', order: 10 }],
  },
})
