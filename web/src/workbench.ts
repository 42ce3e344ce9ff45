// 待办's shared state: every module's tabs with their counts (the header's badge and the
// workbench page), and the live feed (GET /api/v1/workbench/stream, server-sent events) that
// says when events in the user's scope change. No polling: counts are re-read when the feed
// speaks, and a notice (with a short tone) tells of new events.
import { reactive } from 'vue'
import { ElNotification } from 'element-plus'
import { t } from './i18n'
import { workSources } from './modules'
import type { WorkTab } from './modules/types'

/** A tab with the position of its source in workSources. */
export type SourcedTab = WorkTab & { source: number }

export const work = reactive({
  tabs: [] as SourcedTab[],
  /** Work counted in the header's badge (待受理). */
  badge: 0,
  /** Bumped at every change the feed announces: pages showing work reload on it. */
  version: 0,
  /** The feed is connected. */
  live: false,
})

let source: EventSource | null = null
let refreshing: Promise<void> | null = null

/** Re-reads every source's tabs and counts. */
export function refreshWork(): Promise<void> {
  refreshing ??= (async () => {
    try {
      const all = await Promise.all(
        workSources.map((s, source) =>
          s
            .tabs()
            .then((tabs) => tabs.map((x) => ({ ...x, source })))
            .catch(() => [] as SourcedTab[]),
        ),
      )
      work.tabs = all.flat()
      work.badge = work.tabs.filter((x) => x.badge).reduce((n, x) => n + x.count, 0)
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

function tone() {
  try {
    const ctx = new AudioContext()
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.frequency.value = 880
    gain.gain.value = 0.05
    osc.connect(gain).connect(ctx.destination)
    osc.start()
    osc.stop(ctx.currentTime + 0.15)
  } catch {
    /* no audio (or not yet allowed by the browser): the notice alone */
  }
}

/** Opens the live feed (once) and reads the counts. */
export function startWork(): void {
  void refreshWork()
  if (source || typeof EventSource === 'undefined') return
  source = new EventSource('/api/v1/workbench/stream')
  source.addEventListener('hello', () => {
    work.live = true
  })
  source.addEventListener('work', (m) => {
    let created: unknown[] = []
    try {
      created = (JSON.parse((m as MessageEvent<string>).data).created as unknown[]) ?? []
    } catch {
      /* a malformed message still means something changed */
    }
    work.version++
    void refreshWork()
    if (created.length) {
      tone()
      ElNotification({ title: t('work.newArrived'), message: t('work.newEvents', { n: created.length }), type: 'info', duration: 6000 })
    }
  })
  source.onerror = () => {
    work.live = false // the browser reconnects by itself (retry: 5000)
  }
}

/** Closes the feed (logout). */
export function stopWork(): void {
  source?.close()
  source = null
  work.live = false
  work.tabs = []
  work.badge = 0
}
