// The web app's modules: a programme adds its folder here (src/modules/<name>/index.ts) and one
// line to this list. The console's and the phone's routers, the console's menu, the phone's tab
// bar and home tiles, the labels (src/i18n/messages.ts) and the outbox's handlers
// (src/offline/sync.ts) are all built from it; entries are ordered by their `order`, not by
// their place in the list.
import analytics from './analytics'
import events from './events'
import home from './home'
import patrols from './patrols'
import people from './people'
import type { RouteRecordRaw } from 'vue-router'
import type { MenuEntry, SyncHandler, TabEntry, TileEntry, WorkSource } from './types'

export const modules = [home, analytics, people, events, patrols] as const

const byOrder = <T extends { order: number }>(list: T[]) => [...list].sort((a, b) => a.order - b.order)

/**
 * The router's records of one app's pages, each loaded from `pages` (the app's import.meta.glob of
 * src/pages/<page>/*Page.vue). A page no folder holds is an error at start, naming it.
 */
export function routesOf(app: 'console' | 'mobile', pages: Record<string, () => Promise<unknown>>): RouteRecordRaw[] {
  const byFolder = new Map(Object.entries(pages).map(([file, load]) => [file.split('/').slice(-2)[0], load]))
  return modules.flatMap((m) =>
    (m[app]?.routes ?? []).map((r): RouteRecordRaw => {
      const component = byFolder.get(r.page) as RouteComponentLoader | undefined
      if (!component) throw new Error(`module ${m.name}: no ${app} page src/pages/${r.page}/*Page.vue`)
      return { path: r.path, name: r.name, component, props: r.props ?? false }
    }),
  )
}
type RouteComponentLoader = Extract<RouteRecordRaw, { component: unknown }>['component']
export const consoleMenu: MenuEntry[] = byOrder(modules.flatMap((m): MenuEntry[] => m.console?.menu ?? []))
export const phoneTabs: TabEntry[] = byOrder(modules.flatMap((m): TabEntry[] => m.mobile?.tabs ?? []))
export const homeTiles: TileEntry[] = byOrder(modules.flatMap((m): TileEntry[] => m.mobile?.tiles ?? []))
/** The 待办 workbench's sources, in order (src/pages/workbench). */
export const workSources: WorkSource[] = byOrder(modules.flatMap((m): WorkSource[] => (m.workbench ? [m.workbench] : [])))

/** The outbox's handlers by item kind; two modules claiming one kind is an error at start. */
export const syncHandlers: ReadonlyMap<string, SyncHandler> = (() => {
  const out = new Map<string, SyncHandler>()
  for (const m of modules) {
    for (const [kind, handler] of Object.entries(m.sync ?? {})) {
      if (out.has(kind)) throw new Error(`outbox: kind ${kind} of module ${m.name} is handled twice`)
      out.set(kind, handler)
    }
  }
  return out
})()
