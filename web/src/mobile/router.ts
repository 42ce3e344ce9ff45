// The grid worker's app under /m/: one hand, one screen per job; the pages are the modules'
// (src/modules), login is the shell's.
import { createRouter, createWebHistory } from 'vue-router'
import { routesOf } from '../modules'
import { restore, session } from '../session'

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('../pages/m-login/LoginPage.vue') },
    ...routesOf('mobile', import.meta.glob('../pages/m-*/*Page.vue')),
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.loaded) await restore()
  if (to.name === 'login') return true
  if (!session.user || session.user.must_change_password) return { name: 'login', query: { next: to.fullPath } }
  return true
})
