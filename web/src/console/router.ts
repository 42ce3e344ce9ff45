// The console's pages (one folder each under src/pages), loaded on first use.
import { createRouter, createWebHistory } from 'vue-router'
import { session, restore } from '../session'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('../pages/login/LoginPage.vue') },
    { path: '/password', name: 'password', component: () => import('../pages/password/PasswordPage.vue') },
    { path: '/', redirect: '/dashboard' },
    { path: '/dashboard', name: 'dashboard', component: () => import('../pages/dashboard/DashboardPage.vue') },
    { path: '/residents', name: 'residents', component: () => import('../pages/registry/RegistryPage.vue') },
    { path: '/residents/:id', name: 'resident', component: () => import('../pages/resident/ResidentPage.vue'), props: true },
    { path: '/households/:id', name: 'household', component: () => import('../pages/household/HouseholdPage.vue'), props: true },
    { path: '/events', name: 'events', component: () => import('../pages/events/EventsPage.vue') },
    { path: '/events/:id', name: 'event', component: () => import('../pages/event/EventPage.vue'), props: true },
    { path: '/reports', name: 'reports', component: () => import('../pages/reports/ReportsPage.vue') },
    { path: '/:rest(.*)*', redirect: '/dashboard' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.loaded) await restore()
  if (to.name === 'login') return true
  if (!session.user) return { name: 'login', query: { next: to.fullPath } }
  if (session.user.must_change_password && to.name !== 'password') return { name: 'password' }
  return true
})
