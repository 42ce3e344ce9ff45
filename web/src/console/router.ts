// The console's pages (one folder each under src/pages), loaded on first use: the shell's own
// (login, password) and every module's (src/modules).
import { createRouter, createWebHistory } from 'vue-router'
import { routesOf } from '../modules'
import { can, session, restore } from '../session'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('../pages/login/LoginPage.vue') },
    { path: '/password', name: 'password', component: () => import('../pages/password/PasswordPage.vue') },
    // The landing page: 待办 for those who handle events, the 驾驶舱 for the others (leaders).
    { path: '/', name: 'landing', component: { render: () => null } },
    ...routesOf('console', import.meta.glob(['../pages/*/*Page.vue', '!../pages/m-*/*'])),
    { path: '/:rest(.*)*', redirect: '/dashboard' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.loaded) await restore()
  if (to.name === 'login') return true
  if (!session.user) return { name: 'login', query: { next: to.fullPath } }
  if (session.user.must_change_password && to.name !== 'password') return { name: 'password' }
  if (to.path === '/') return { path: can('event.handle') ? '/workbench' : '/dashboard', replace: true }
  return true
})
