// The shapes the server answers with, typed by hand where the route table gives no schema (or
// one too thin for the pages); src/api/openapi.ts has every route's declared parameters, bodies
// and schemas, generated, and src/api/index.ts checks these types against them.
import type { ApiPaths } from './openapi'

export interface User {
  id: number
  username: string
  display_name: string
  role: string
  role_label: string
  org_code: string
  household_id: number | null
  must_change_password: boolean
  permissions?: string[]
  csrf_token?: string
}

export interface LoginResult {
  token: string
  csrf_token: string
  user: User
}

export interface Org {
  id: number
  code: string
  name: string
  kind: string
  type: string
  type_label: string
  parent_code: string | null
  level: number
  lat: number | null
  lng: number | null
  child_count?: number
}

/** An org's outline: a GeoJSON Polygon or MultiPolygon in WGS-84 lng/lat. */
export interface Boundary {
  type: 'Polygon' | 'MultiPolygon'
  coordinates: number[][][] | number[][][][]
}

/** GET /api/v1/orgs/{code}/boundaries: the node and its children with their outlines (null
 * where none is recorded), simplified and rounded to 5 decimals for a map. */
export interface OrgBoundaries {
  org: Org & { boundary: Boundary | null }
  items: (Org & { boundary: Boundary | null })[]
}

/** GET /api/v1/map: the base map the server's config names for every user's maps. */
export interface MapSettings {
  tile_url: string
  attribution: string
}

export interface Tag {
  code: string
  name: string
  category: string
  key_person: boolean
}

export type Color = 'red' | 'yellow' | 'green'

export interface ColorChange {
  from: Color | null
  to: Color
  reason: string
  changed_by: string
  at: string
}

export interface Resident {
  id: number
  name: string
  sex: 'male' | 'female'
  sex_label: string
  // The birth year and the age counted from it (this year − birth year); the API never gives
  // the birth date, which beside the masked ID number would rebuild it (README 安全).
  birth_year: number
  age?: number
  id_number: string
  phone: string | null
  relation: string
  relation_label: string
  status: string
  status_label: string
  color: Color | null
  color_label?: string
  household_id: number
  household_no: string
  org_code: string
  org_name: string
  /** The full place, 社区 + 网格 + 微网格 ("竹湾社区第7网格第1微网格"). */
  place: string
  /** 红黄绿 as the registry defines it: the household's colour (the person's own is `color`). */
  household_color?: Color
  household_color_label?: string
  tags: Tag[]
  color_history?: ColorChange[]
}

export interface Household {
  id: number
  household_no: string
  address: string
  color: Color
  color_label: string
  org_code: string
  org_name: string
  building_code: string | null
  members: Resident[]
  color_history: ColorChange[]
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
  /** false when the count stopped at its cap: total is then a lower bound (residents). */
  total_exact?: boolean
}

export interface Category {
  code: string
  name: string
  parent: string | null
  sla_class: string
  reportable: boolean
}

/** 吹哨报到: one summoned department's part. */
export interface EventPart {
  org: string
  org_name: string
  summoned_at: string
  acknowledged_at: string | null
  resolved_at: string | null
  note: string
}

export interface EventStep {
  id: number
  at: string
  action: string
  action_name?: string
  from_state: string | null
  to_state: string
  actor: string
  /** On the event's detail: the actor's name and post (单位 · 角色); 系统 for the system. */
  actor_display?: string
  actor_post?: string
  by_system?: boolean
  actor_org: string | null
  from_org: string | null
  to_org: string | null
  from_level: number
  to_level: number
  note: string
  attachments: string[]
}

/** One event (一患一档) as src/api/event_routes_json.cpp writes it. */
export interface WangEvent {
  id: number
  category: string
  category_name: string
  title: string
  description: string
  lat: number | null
  lng: number | null
  address: string
  grid: string
  owner: string
  owner_name: string
  dispatcher: string | null
  level: number
  level_name: string
  state: string
  state_name: string
  people_affected: number
  damage: string
  urgency: string
  sla_class: string
  source: string
  reporter: string
  attachments: string[]
  reported_at: string
  due_at: string
  accepted_at: string | null
  resolved_at: string | null
  closed_at: string | null
  updated_at: string
  /** Open and its current clock has run out (the clock below); false after a fresh clock. */
  overdue: boolean
  /** The history of lateness: a due time passed while open, even if a fresh clock runs now. */
  was_overdue: boolean
  /** The current SLA clock (亮灯). */
  clock: EventClock
  escalations: number
  reopens: number
  resolved_level: number | null
  satisfaction: number | null
  external_ref: string | null
  /** When the SLA clock started (acceptance or report) and the first due time before extensions. */
  clock_started_at: string
  first_due_at: string
  cancelled_at: string | null
  /** Whether the first response came late; null before it. */
  response_late: boolean | null
  extensions: number
  /** 复发: the event this one recurs. */
  recurrence_of: number | null
  /** Only on the detail. */
  followers?: number
  steps?: EventStep[]
  parts?: EventPart[]
  /** 临期提醒 the system sent (the detail only). */
  reminders?: { at: string; kind: string }[]
  /** The actions the caller may take now (the server's own checks, on the detail). */
  allowed_actions?: string[]
}

/** The current SLA clock of an event (数字城管's 亮灯); minutes and light are null once it stops. */
export interface EventClock {
  running: boolean
  due_at: string
  remaining_minutes: number | null
  overdue_minutes: number | null
  light: 'green' | 'yellow' | 'red' | null
}

/** 吹哨报到: a department the caller may summon to an event. */
export interface SummonableOrg {
  id: number
  code: string
  name: string
  kind: string
  parent: string
  parent_name: string
}

/** POST /api/v1/events: a report (一患一档), as the route declares its body. */
export type NewEventInput = ApiPaths['/api/v1/events']['post']['body']

/** POST /api/v1/events/{id}/actions: one action of the state machine. */
export type ActionInput = ApiPaths['/api/v1/events/{id}/actions']['post']['body']

export interface Photo {
  id: string
  sha256: string
}

// The answers below come from routes that declare no response schema (their shape is built by
// src/analytics and src/tables, not by the route table): typed here by hand and checked against
// real answers of the server by tests/web/api-types.test.mjs (an unknown or missing field fails).

/** A share 0–1, or null when there is nothing to divide by. */
export type Rate = number | null

/** GET /api/v1/kpis/events: the closed loop's indicators for an org subtree and period. */
export interface Kpis {
  org: string
  from: string
  to: string
  received: number
  due: number
  closed: number
  due_closed: number
  due_closed_on_time: number
  resolved: number
  open: number
  overdue_open: number
  closure_rate: Rate
  on_time_rate: Rate
  /** Days from report to closure (calendar and working days); null without closed events. */
  handling_days: { mean: number | null; median: number | null; mean_working: number | null; median_working: number | null }
  /** 五级解决: events resolved at each level 1–5 and their share of all resolved. */
  solved_by_level: { level: number; resolved: number; share: Rate }[]
  return_rate: Rate
  extension_rate: Rate
  satisfaction: number | null
  rated: number
  recurrences: number
  recurrence_rate: Rate
  urgent_answered: number
  response_rate: Rate
}

/** Households or key persons by 红黄绿 colour. */
export interface ColorCounts {
  red: number
  yellow: number
  green: number
}

/** GET /api/v1/colors: 红黄绿 of an org — households by their colour, people (在册) by their own. */
export interface RiskColors {
  org: { code: string; name: string }
  households: ColorCounts & { total: number }
  people: ColorCounts & { total: number }
}

/** GET /api/v1/dashboard: the 驾驶舱's counts for an org and its children. */
export interface Dashboard {
  org: { code: string; name: string }
  as_of: string
  residents: number
  households: ColorCounts
  key_persons: ColorCounts
  /** 一老一小 */
  yilao_yixiao: {
    elderly_60_plus: number
    left_behind_elderly: number
    alone_elderly: number
    children_under_16: number
    left_behind_children: number
  }
  events: { open: number; overdue: number }
  period: { from: string; to: string }
  /** Events reported in the period per top-level category. */
  by_category: { code: string; name: string; count: number }[]
  children: {
    code: string
    name: string
    kind: string
    open_events: number
    overdue_events: number
    red_households: number
    residents: number
  }[]
}

/** GET /api/v1/forms: one form (基层一张表) as the list gives it. */
export interface Form {
  code: string
  title: string
  department: string
  description: string
  /** The default level of its rows; "" for one level down. */
  level: string
  /** "roster" for a record list (名册), "summary" for a summary table. */
  kind: 'summary' | 'roster'
  /** How many indicators (columns) a summary table has; 0 for a roster. */
  indicators: number
  /** Whether some indicator is counted over a report period (from, to). */
  period: boolean
  /** Names and synonyms of the dictionary fields it selects by (search: 低保 finds 低保 forms). */
  keywords: string[]
}

/** One row of a summary table: a unit and its indicators' values (null: nothing to divide). */
export interface ReportRow {
  org_code: string
  org_name: string
  values: Record<string, number | null>
}

/** GET /api/v1/reports/{form}?format=json of a summary table. */
export interface SummaryReport {
  kind?: undefined
  form: string
  title: string
  department: string
  org: { code: string; name: string }
  level: string
  as_of: string
  columns: { code: string; name: string; group: string; unit: string; decimals: number }[]
  rows: ReportRow[]
  total: ReportRow
  /** Only for forms counted over a period (events reported in it). */
  period?: { from: string; to: string }
}

/** GET /api/v1/reports/{form}?format=json of a roster (花名册): one row per record, masked. */
export interface RosterReport {
  kind: 'roster'
  form: string
  title: string
  department: string
  org: { code: string; name: string }
  as_of: string
  columns: { code: string; name: string }[]
  rows: { id: number; org_code: string; values: Record<string, string> }[]
  count: number
}

export type Report = SummaryReport | RosterReport
