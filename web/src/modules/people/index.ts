// 居民: the registry on the console (list, resident, household) and the grid worker's own grid
// and households on the phone.
import { canAny } from '../../session'
import { defineModule } from '../types'
import { messages } from './messages'

export default defineModule({
  name: 'people',
  messages,
  console: {
    routes: [
      { path: '/residents', name: 'residents', page: 'registry' },
      { path: '/residents/:id', name: 'resident', page: 'resident', props: true },
      { path: '/households/:id', name: 'household', page: 'household', props: true },
    ],
    menu: [{ path: '/residents', label: 'nav.registry', order: 20, visible: () => canAny('resident.read') }],
  },
  mobile: {
    routes: [
      { path: '/grid', name: 'grid', page: 'm-grid' },
      { path: '/households/:id', name: 'household', page: 'm-household', props: true },
    ],
    tabs: [{ path: '/grid', label: 'm.grid', order: 20 }],
  },
})
