// The grid worker's app under /m/: one hand, one screen per job.
import { createRouter, createWebHistory } from 'vue-router'
import { restore, session } from '../session'

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('../pages/m-login/LoginPage.vue') },
    { path: '/', name: 'home', component: () => import('../pages/m-home/HomePage.vue') },
    { path: '/grid', name: 'grid', component: () => import('../pages/m-grid/GridPage.vue') },
    { path: '/households/:id', name: 'household', component: () => import('../pages/m-household/HouseholdPage.vue'), props: true },
    { path: '/report', name: 'report', component: () => import('../pages/m-report/ReportPage.vue') },
    { path: '/tasks', name: 'tasks', component: () => import('../pages/m-tasks/TasksPage.vue') },
    { path: '/tasks/:id', name: 'task', component: () => import('../pages/m-task/TaskPage.vue'), props: true },
    { path: '/patrol', name: 'patrol', component: () => import('../pages/m-patrol/PatrolPage.vue') },
    { path: '/queue', name: 'queue', component: () => import('../pages/m-queue/QueuePage.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.loaded) await restore()
  if (to.name === 'login') return true
  if (!session.user || session.user.must_change_password) return { name: 'login', query: { next: to.fullPath } }
  return true
})
