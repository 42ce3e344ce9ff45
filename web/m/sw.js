// The phone app's service worker (/m/sw.js, scope /m/): the app shell and every asset of one
// build, kept in one cache named after the build, so /m/ opens with no network and a page is
// never made of two builds. web/scripts/build.mjs writes the build id and the file list below.
//
// A new build (a new sw.js) is fetched and cached in the background, then waits: it takes over
// only when no page of the old one is open (the next open of the app). No skipWaiting, no
// clients.claim. The API is never touched here: the pages keep their own data offline
// (src/offline), and an API request goes to the network as if this worker were not there.
const BUILD = '__WANGGE_BUILD__'
const FILES = __WANGGE_FILES__
const SHELL = '/m/index.html'
const CACHE = `wangge-m-${BUILD}`

self.addEventListener('install', (event) => {
  // Every file or none: a half-filled cache would serve a mix of builds.
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await Promise.all(
        FILES.map(async (url) => {
          const res = await fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' }))
          if (!res.ok) throw new Error(`${url}: ${res.status}`)
          await cache.put(url, res)
        }),
      )
    }).catch(async (e) => {
      await caches.delete(CACHE)
      throw e
    }),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('wangge-m-') && k !== CACHE).map((k) => caches.delete(k)))),
  )
})

self.addEventListener('message', (event) => {
  if (event.data === 'build') event.source?.postMessage({ build: BUILD })
})

self.addEventListener('fetch', (event) => {
  const req = event.request
  if (req.method !== 'GET') return
  const url = new URL(req.url)
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/m/')) return
  if (url.pathname === '/m/sw.js') return
  if (req.mode === 'navigate') {
    // Every page of the app is the one shell; its router picks the page.
    event.respondWith(caches.open(CACHE).then((c) => c.match(SHELL)).then((hit) => hit ?? fetch(req)))
    return
  }
  event.respondWith(caches.open(CACHE).then((c) => c.match(url.pathname)).then((hit) => hit ?? fetch(req)))
})
