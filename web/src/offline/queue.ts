// The phone's outbox: reports and patrol entries wait in IndexedDB until they are sent.
// Each item carries its Idempotency-Key from the moment it is queued, so sending it again
// after a lost answer gives the server's first result instead of a second record.
import { ref, toRaw } from 'vue'

/** Which module's handler sends the item (src/modules/<name>/index.ts, `sync`). */
export type OutboxKind = string

export interface OutboxItem {
  key: string // Idempotency-Key, also the IndexedDB key
  kind: OutboxKind
  title: string // what the list shows
  payload: Record<string, unknown>
  photos: Blob[]
  created_at: string
  attempts: number
  last_error: string | null
  /** Set by the server's refusal (4xx): it will not go through as it is. */
  rejected: boolean
}

const DB = 'wangge-m'
const STORE = 'outbox'

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' })
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open()
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode)
      const r = fn(t.objectStore(STORE))
      t.oncomplete = () => resolve(r.result)
      t.onerror = () => reject(t.error)
      t.onabort = () => reject(t.error)
    })
  } finally {
    db.close()
  }
}

/** The queue as the pages show it (oldest first); refreshed after every change. */
export const queued = ref<OutboxItem[]>([])

export async function refresh(): Promise<OutboxItem[]> {
  const all = await tx<OutboxItem[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>)
  all.sort((a, b) => a.created_at.localeCompare(b.created_at))
  queued.value = all
  return all
}

export async function put(item: OutboxItem): Promise<void> {
  // A page may hand in a reactive proxy, which IndexedDB cannot clone.
  const raw = toRaw(item)
  await tx('readwrite', (s) => s.put({ ...raw, payload: toRaw(raw.payload), photos: [...toRaw(raw.photos)] }))
  await refresh()
}

export async function remove(key: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(key))
  await refresh()
}
