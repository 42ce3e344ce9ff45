// The phone app: Vue and the router only (no Element Plus), so it loads fast on 4G.
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { onUnauthorized } from '../api'
import { session } from '../session'
import { startSync } from '../offline/sync'
import '../styles/common.css'
import './mobile.css'

onUnauthorized(() => {
  session.user = null
  if (router.currentRoute.value.name !== 'login') router.push({ name: 'login' })
})

createApp(App).use(router).mount('#app')
startSync()
