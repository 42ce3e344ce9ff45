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
      { path: '/residents', name: 'residents', component: () => import('../../pages/registry/RegistryPage.vue') },
      { path: '/residents/:id', name: 'resident', component: () => import('../../pages/resident/ResidentPage.vue'), props: true },
      { path: '/households/:id', name: 'household', component: () => import('../../pages/household/HouseholdPage.vue'), props: true },
    ],
    menu: [{ path: '/residents', label: 'nav.registry', order: 20, visible: () => canAny('resident.read') }],
  },
  mobile: {
    routes: [
      { path: '/grid', name: 'grid', component: () => import('../../pages/m-grid/GridPage.vue') },
      { path: '/households/:id', name: 'household', component: () => import('../../pages/m-household/HouseholdPage.vue'), props: true },
    ],
    tabs: [{ path: '/grid', label: 'm.grid', order: 20 }],
  },
})
