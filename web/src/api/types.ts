// The shapes the server answers with (src/api/*_routes.cpp; /api/openapi.json).

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
  overdue: boolean
  escalations: number
  reopens: number
  resolved_level: number | null
  satisfaction: number | null
  /** Only on the detail. */
  steps?: EventStep[]
  parts?: EventPart[]
  /** The actions the caller may take now (the server's own checks, on the detail). */
  allowed_actions?: string[]
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

export interface NewEventInput {
  category: string
  title: string
  description?: string
  lat?: number
  lng?: number
  address?: string
  grid?: string
  people_affected?: number
  damage?: string
  urgency?: string
  source?: string
  attachments?: string[]
}

export interface ActionInput {
  action: string
  note?: string
  departments?: string[]
  part_org?: string
  target_org?: string
  due_at?: string
  score?: number
  attachments?: string[]
}

export interface Photo {
  id: string
  sha256: string
}

/** GET /api/v1/kpis/events: indicators for an org subtree and period (fields may grow). */
export interface Kpis {
  received?: number
  closed?: number
  due?: number
  closure_rate?: number | null
  on_time_rate?: number | null
  mean_days?: number | null
  median_days?: number | null
  share_by_level?: Record<string, number> | number[]
  by_category?: Record<string, number> | { code?: string; name: string; count: number }[]
  [k: string]: unknown
}

export interface Form {
  code: string
  title: string
  /** "roster" for a record list (名册); "summary" (or absent) for a summary table. */
  kind?: string
  department?: string
  level?: string
  [k: string]: unknown
}
