// The phone app's service worker (web/m/sw.js): registered once the page has loaded, so it never
// competes with the first screen. A new build it finds is cached in the background and takes
// over at the next open of the app; `updateReady` says so meanwhile.
import { ref } from 'vue'

/** A new build is cached and will be used from the next open of the app. */
export const updateReady = ref(false)

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  const watch = (reg: ServiceWorkerRegistration) => {
    // A waiting worker while this page has a controller: the next open will use it.
    const check = () => (updateReady.value = !!reg.waiting && !!navigator.serviceWorker.controller)
    check()
    reg.addEventListener('updatefound', () => reg.installing?.addEventListener('statechange', check))
  }
  const go = () =>
    navigator.serviceWorker
      .register('/m/sw.js', { scope: '/m/' })
      .then(watch)
      .catch(() => undefined)
  if (document.readyState === 'complete') go()
  else window.addEventListener('load', go, { once: true })
}
