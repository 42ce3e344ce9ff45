// The phone app: Vue and the router only (no Element Plus), so it loads fast on 4G.
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { onUnauthorized } from '../api'
import { session } from '../session'
import { startSync } from '../offline/sync'
import { registerServiceWorker } from './pwa'
import { forgetProfile, keepProfile } from '../offline/profile'
import { wipeWorkingSet } from '../offline/workset'
import '../styles/common.css'
import './mobile.css'

onUnauthorized(() => {
  // The server ended the session (logged out elsewhere, revoked): nothing of it stays here.
  forgetProfile()
  void wipeWorkingSet()
  session.user = null
  if (router.currentRoute.value.name !== 'login') router.push({ name: 'login' })
})

keepProfile()
createApp(App).use(router).mount('#app')
startSync()
registerServiceWorker()
