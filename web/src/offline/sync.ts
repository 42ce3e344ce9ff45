// Sends the outbox when the network is there: on start, on the browser's "online" event,
// after each new item, and when the user asks. One run at a time; items go oldest first.
// A network failure stops the run (the rest waits for the next one); a refusal by the server
// (4xx) marks the item rejected with the server's message, for the user to fix or delete.
import { ref } from 'vue'
import { ApiError, events, newKey, photos, request, serverPaths } from '../api'
import { t } from '../i18n'
import { put, queued, refresh, remove, type OutboxItem, type OutboxKind } from './queue'

export const syncing = ref(false)
export const lastSyncError = ref('')
/** Events the last runs sent: their ids, to link to them. */
export const sentEvents = ref<{ title: string; id: number }[]>([])

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
  void syncNow()
  return item
}

async function send(item: OutboxItem): Promise<void> {
  // Photos first (content-addressed: the same bytes give the same id), then the record.
  const ids: string[] = []
  for (let i = 0; i < item.photos.length; i++) {
    const p = await photos.upload(item.photos[i], `${item.key}-photo-${i}`)
    ids.push(p.id)
  }
  if (item.kind === 'event') {
    const body = { ...item.payload, attachments: ids }
    const r = await events.report(body as never, item.key)
    const id = Number((r as unknown as Record<string, unknown>).id)
    if (id) sentEvents.value = [...sentEvents.value, { title: item.title, id }]
  } else {
    // 看听问记报: sent where the server keeps patrol logs; kept on the phone until it does.
    if (!(await serverPaths()).has('/api/v1/patrols')) {
      throw new ApiError(0, 'no_route', t('m.noPatrolRoute'))
    }
    await request('POST', '/api/v1/patrols', { body: { ...item.payload, attachments: ids }, idempotencyKey: item.key })
  }
}

export async function syncNow(): Promise<void> {
  if (syncing.value || !navigator.onLine) return
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
          if (err.code !== 'no_route') break
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
