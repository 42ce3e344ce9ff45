import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import { onUnauthorized } from '../api'
import { session } from '../session'
import '../styles/common.css'

onUnauthorized(() => {
  session.user = null
  if (router.currentRoute.value.name !== 'login') {
    router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } })
  }
})

createApp(App).use(ElementPlus).use(router).mount('#app')
