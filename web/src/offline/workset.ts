// The grid worker's working set, kept on the phone (IndexedDB "wangge-m-data") so that the app
// reads with no network: the grid's people as the server gives them (masked as the role is
// shown them), the 红黄绿 counts, the event categories, the open tasks, and each household
// opened online. Refreshed whole when online (on open, after login, when the network returns);
// the time of the last refresh is shown. A lost phone is the risk, so it holds only what the
// server sent this user, is wiped at logout and when the server ends the session (401), and is
// not used past MAX_AGE_DAYS without a refresh.
import { ref } from 'vue'
import { analytics, events, residents, type Category, type Household, type Resident, type RiskColors, type WangEvent } from '../api'
import { OPEN_STATES } from '../eventLabels'
import { session } from '../session'

const DB = 'wangge-m-data'
const STORE = 'kv'
export const MAX_AGE_DAYS = 14
const MAX_PEOPLE = 2000

interface Meta {
  user: string
  org: string
  synced_at: string
}
interface Shapes {
  meta: Meta
  residents: Resident[]
  colors: RiskColors
  categories: Category[]
  tasks: WangEvent[]
}
type Key = keyof Shapes | `household:${number}`
type Value<K extends Key> = K extends keyof Shapes ? Shapes[K] : Household

/** When the working set was last refreshed (ISO time), null when there is none. */
export const lastSync = ref<string | null>(null)
/** Bumped after each refresh or wipe, for the pages to read the set again. */
export const version = ref(0)

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await open()
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const t = db.transaction(STORE, mode)
      const r = fn(t.objectStore(STORE))
      t.oncomplete = () => resolve(r ? r.result : undefined)
      t.onerror = () => reject(t.error)
      t.onabort = () => reject(t.error)
    })
  } finally {
    db.close()
  }
}

/** One part of the set; undefined when absent (never synced, wiped, or another user's). */
export async function read<K extends Key>(key: K): Promise<Value<K> | undefined> {
  try {
    return (await run<Value<K>>('readonly', (s) => s.get(key) as IDBRequest<Value<K>>)) ?? undefined
  } catch {
    return undefined
  }
}

async function write(entries: [Key, unknown][]): Promise<void> {
  // JSON round trip: the API's objects may be reactive proxies, which IndexedDB cannot clone.
  await run('readwrite', (s) => {
    for (const [k, v] of entries) s.put(JSON.parse(JSON.stringify(v)), k)
  })
}

/** Keeps a household opened online, for reading it again offline. */
export async function keepHousehold(h: Household): Promise<void> {
  await write([[`household:${h.id}`, h]]).catch(() => undefined)
}

/** Forgets everything: logout, a session the server ended, a set too old or another user's. */
export async function wipeWorkingSet(): Promise<void> {
  await run('readwrite', (s) => s.clear()).catch(() => undefined)
  lastSync.value = null
  version.value++
}

/** Reads the last refresh's time on open, wiping a set that is too old or not this user's. */
export async function checkWorkingSet(): Promise<void> {
  const meta = await read('meta')
  const age = meta ? Date.now() - Date.parse(meta.synced_at) : Infinity
  if (meta && (meta.user !== session.user?.username || age > MAX_AGE_DAYS * 86400_000)) {
    await wipeWorkingSet()
    return
  }
  lastSync.value = meta?.synced_at ?? null
}

let running: Promise<void> | null = null

/** Refreshes the whole set from the server; a failure keeps the previous one. */
export function syncWorkingSet(): Promise<void> {
  running ??= refresh().finally(() => (running = null))
  return running
}

async function refresh(): Promise<void> {
  const user = session.user
  const org = session.org?.code ?? user?.org_code
  if (!user || !org || !navigator.onLine) return
  try {
    const [people, colors, categories, tasks] = await Promise.all([
      allResidents(org),
      analytics.colors(org),
      events.categories(),
      events.list({ size: 100 }).then((r) => r.items.filter((e) => OPEN_STATES.has(e.state) || e.state === 'resolved')),
    ])
    if (session.user?.username !== user.username) return // logged out meanwhile
    const at = new Date().toISOString()
    await write([
      ['residents', people],
      ['colors', colors],
      ['categories', categories],
      ['tasks', tasks],
      ['meta', { user: user.username, org, synced_at: at } satisfies Meta],
    ])
    lastSync.value = at
    version.value++
  } catch {
    // Offline or refused: the pages keep what they had (a 401 wipes through onUnauthorized).
  }
}

async function allResidents(org: string): Promise<Resident[]> {
  const first = await residents.list({ org, size: 100 })
  const all = [...first.items]
  for (let p = 2; (p - 1) * 100 < Math.min(first.total, MAX_PEOPLE); p++) all.push(...(await residents.list({ org, size: 100, page: p })).items)
  return all
}
