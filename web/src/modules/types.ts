// What a programme brings to the web app, in one object per module (src/modules/<name>/index.ts):
// its pages on the console (/) and the phone (/m/), its entries in the console's menu, the phone's
// tab bar and home tiles, its labels in Chinese and English, and how the phone's outbox sends the
// items it queues offline. src/modules/index.ts lists the modules; the routers, menus, i18n and
// the outbox are built from that list.
import type { RouteLocationRaw } from 'vue-router'
import type { EventClock } from '../api'
import type { OutboxItem } from '../offline/queue'

/** A label: [中文, English]. */
export type Pair = readonly [string, string]
export type Messages = Record<string, Pair>

/**
 * A page at a URL: `page` names its folder under src/pages (src/pages/<page>/<Name>Page.vue,
 * loaded on first use); the phone's pages are the folders named m-…, so that the phone's bundle
 * holds none of the console's. `props`: the URL's parameters are the page's props.
 */
export interface PageRoute {
  path: string
  name: string
  page: string
  props?: boolean
}

/** An entry of the console's top menu, in `order` (smaller first) among every module's. */
export interface MenuEntry<K extends string = string> {
  path: string
  label: K
  order: number
  /** Shown only when this holds (a permission check); the server still decides. */
  visible?: () => boolean
  /** The entry's data-test attribute, for the browser tests. */
  test?: string
}

/** A tab of the phone's bottom bar; `main` is the highlighted one (上报). */
export interface TabEntry<K extends string = string> {
  path: string
  label: K
  order: number
  main?: boolean
}

/** A big button on the phone's home page; `ghost` draws it outlined. */
export interface TileEntry<K extends string = string> {
  path: string
  label: K
  order: number
  ghost?: boolean
  test?: string
}

/** A record the server made from an outbox item, for the outbox page to link to. */
export interface SentRecord {
  id: number
  /** The phone app's route name that shows it ({name, params: {id}}). */
  route: string
}

/**
 * Sends one queued item whose photos are already uploaded (their ids in `attachments`), with the
 * item's key as Idempotency-Key. Throws ApiError as the API client does: a 4xx marks the item
 * rejected, a network failure leaves it for the next run.
 */
export type SyncHandler = (item: OutboxItem, attachments: string[]) => Promise<SentRecord | void>

/** One tab of the 待办 workbench with its count (the server counts, in the user's scope). */
export interface WorkTab {
  key: string
  label: string
  count: number
  /** Counted in the header's badge (new work waiting: 待受理). */
  badge?: boolean
}

/** One row of a workbench tab: what the table shows and where a click leads. */
export interface WorkItem {
  id: number | string
  title: string
  /** What kind of work (事件, a programme's own record …), shown beside the title. */
  kind: string
  state: string
  owner: string
  /** Reported or filed at (ISO). */
  at: string
  /** The clock (亮灯) when the work has a deadline. */
  clock?: EventClock
  route: RouteLocationRaw
}

/**
 * A programme's share of the 待办 workbench (src/pages/workbench): its tabs with their counts and
 * the rows of one tab, each read through the programme's own scoped API. Tabs of several
 * modules appear in `order`; tab keys are global (prefix them by module). The workbench reloads
 * every source when the live feed (GET /api/v1/workbench/stream) says events changed: a
 * programme whose items are events, or linked to one (DESIGN §5), is told through it.
 */
export interface WorkSource {
  order: number
  tabs: () => Promise<WorkTab[]>
  list: (tab: string, page: number, size: number) => Promise<{ total: number; items: WorkItem[] }>
}

export interface WebModule<M extends Messages = Messages> {
  name: string
  /** Labels this module's pages and entries use (keys are global: prefix them by module). */
  messages: M
  console?: { routes: PageRoute[]; menu?: MenuEntry<keyof M & string>[] }
  mobile?: { routes: PageRoute[]; tabs?: TabEntry<keyof M & string>[]; tiles?: TileEntry<keyof M & string>[] }
  /** Outbox handlers by item kind (OutboxItem.kind, the first argument of enqueue). */
  sync?: Record<string, SyncHandler>
  /** Its work on the console's 待办 workbench. */
  workbench?: WorkSource
}

/** Declares a module; keeps its message keys' literal types so that t() checks them. */
export function defineModule<const M extends Messages>(m: WebModule<M>): WebModule<M> {
  return m
}
