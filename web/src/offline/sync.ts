// Sends the outbox when the network is there: on start, on the browser's "online" event,
// after each new item, and when the user asks. One run at a time; items go oldest first.
// A network failure stops the run (the rest waits for the next one); a refusal by the server
// (4xx) marks the item rejected with the server's message, for the user to fix or delete.
// Each kind of item is sent by the handler its module declares (src/modules, `sync`).
import { ref } from 'vue'
import { ApiError, newKey, photos } from '../api'
import { syncHandlers } from '../modules'
import type { SentRecord } from '../modules/types'
import { put, queued, refresh, remove, type OutboxItem, type OutboxKind } from './queue'

export const syncing = ref(false)
export const lastSyncError = ref('')
/** What the last runs sent and the server made a record of (an event), to link to it. */
export const sent = ref<(SentRecord & { title: string; key: string })[]>([])

export async function enqueue(kind: OutboxKind, title: string, payload: Record<string, unknown>, blobs: Blob[] = []): Promise<OutboxItem> {
  const item: OutboxItem = {
    key: newKey(),
    kind,
    title,
    payload,
    photos: blobs,
    created_at: new Date().toISOString(),
    attempts: 0,
    last_error: null,
    rejected: false,
  }
  await put(item)
  return item
}

async function send(item: OutboxItem): Promise<void> {
  const handler = syncHandlers.get(item.kind)
  // An item no module sends (one left by an older version of the app) waits for the user.
  if (!handler) throw new ApiError(422, 'unknown_kind', `${item.kind}: no module sends this kind of item`)
  // Photos first (content-addressed: the same bytes give the same id), then the record.
  const ids: string[] = []
  for (let i = 0; i < item.photos.length; i++) {
    const p = await photos.upload(item.photos[i], `${item.key}-photo-${i}`)
    ids.push(p.id)
  }
  const record = await handler(item, ids)
  if (record?.id) sent.value = [...sent.value, { ...record, title: item.title, key: item.key }]
}

let running: Promise<void> | null = null
let again = false

/**
 * Sends what waits; resolves when the run is over. Asked during a run, it answers with that run,
 * which goes round once more so that an item queued meanwhile is not left behind.
 */
export function syncNow(): Promise<void> {
  if (!navigator.onLine) return Promise.resolve()
  if (running) {
    again = true
    return running
  }
  running = (async () => {
    do {
      again = false
      await runOnce()
    } while (again && navigator.onLine)
  })().finally(() => (running = null))
  return running
}

async function runOnce(): Promise<void> {
  syncing.value = true
  lastSyncError.value = ''
  try {
    for (const item of await refresh()) {
      if (item.rejected) continue
      try {
        await send(item)
        await remove(item.key)
      } catch (e) {
        const err = e as ApiError
        item.attempts += 1
        item.last_error = err.message
        if (err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 408 && err.status !== 429) item.rejected = true
        await put(item)
        if (err.status === 0 || err.status === 401) {
          lastSyncError.value = err.message
          break
        }
      }
    }
  } finally {
    syncing.value = false
  }
}

export async function retry(item: OutboxItem): Promise<void> {
  item.rejected = false
  await put(item)
  await syncNow()
}

export function startSync(): void {
  window.addEventListener('online', () => void syncNow())
  void refresh().then(() => syncNow())
}

export { queued }

/** What became of a saved item: sent (with the record's id when there is one), or waiting. */
export interface SaveResult {
  sent: boolean
  id: number | null
  /** Items waiting on the phone after this one, this one included when not sent. */
  waiting: number
  /** The server's refusal of this item (it stays in 待发送 for the user to fix or delete). */
  refused: string | null
}

/** Queues an item and, online, sends it at once; says what happened, for the page to show. */
export async function saveAndSend(kind: OutboxKind, title: string, payload: Record<string, unknown>, blobs: Blob[] = []): Promise<SaveResult> {
  const item = await enqueue(kind, title, payload, blobs)
  await syncNow()
  const left = queued.value.find((q) => q.key === item.key)
  return {
    sent: !left,
    id: sent.value.find((s) => s.key === item.key)?.id ?? null,
    waiting: queued.value.length,
    refused: left?.rejected ? left.last_error : null,
  }
}
