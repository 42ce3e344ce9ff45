// The typed API of wangge (DESIGN §7), used by the console and the phone app alike.
import { get, patch, post, request, type Query } from './client'
import type {
  ActionInput,
  Category,
  Form,
  Household,
  Kpis,
  LoginResult,
  NewEventInput,
  Org,
  Page,
  Photo,
  Resident,
  SummonableOrg,
  User,
  WangEvent,
} from './types'

export * from './client'
export * from './types'

const V1 = '/api/v1'

export const auth = {
  login: (username: string, password: string) =>
    post<LoginResult>(`${V1}/auth/login`, { username, password }),
  logout: () => post<void>(`${V1}/auth/logout`),
  me: () => get<User>(`${V1}/auth/me`),
  changePassword: (old_password: string, new_password: string) =>
    post<void>(`${V1}/auth/password`, { old_password, new_password }),
}

export const orgs = {
  get: (code: string) => get<Org>(`${V1}/orgs/${encodeURIComponent(code)}`),
  children: (code: string) =>
    get<{ items: Org[] }>(`${V1}/orgs/${encodeURIComponent(code)}/children`).then((r) => r.items),
}

export interface ResidentFilter {
  org?: string
  tag?: string[]
  color?: string
  status?: string
  age_min?: number // ages as shown: this year − birth year
  age_max?: number
  q?: string
  page?: number
  size?: number
}

export const residents = {
  list: (f: ResidentFilter) => get<Page<Resident>>(`${V1}/residents`, f as Query),
  get: (id: number) => get<Resident>(`${V1}/residents/${id}`),
  reveal: (id: number, field: 'id_number' | 'phone', reason: string) =>
    post<{ id: number; field: string; value: string }>(`${V1}/residents/${id}/reveal`, {
      field,
      reason,
    }),
  setColor: (id: number, color: string, reason: string) =>
    patch<Resident>(`${V1}/residents/${id}`, { color, reason }),
}

export const households = {
  get: (id: number) => get<Household>(`${V1}/households/${id}`),
}

export interface EventFilter {
  org?: string
  state?: string
  level?: number
  overdue?: boolean
  category?: string
  page?: number
  size?: number
}

export const events = {
  categories: () =>
    get<{ items: Category[] } | Category[]>(`${V1}/event-categories`).then((r) =>
      Array.isArray(r) ? r : r.items,
    ),
  list: (f: EventFilter) => get<Page<WangEvent>>(`${V1}/events`, f as Query),
  get: (id: number) => get<WangEvent>(`${V1}/events/${id}`),
  report: (e: NewEventInput, idempotencyKey?: string) =>
    post<WangEvent>(`${V1}/events`, e, idempotencyKey),
  summonable: (id: number) =>
    get<{ items: SummonableOrg[] }>(`${V1}/events/${id}/summonable`).then((r) => r.items),
  act: (id: number, a: ActionInput, idempotencyKey?: string) =>
    post<unknown>(`${V1}/events/${id}/actions`, a, idempotencyKey),
}

export const photos = {
  upload: (blob: Blob, idempotencyKey?: string) =>
    request<Photo>('POST', `${V1}/photos`, { raw: blob, idempotencyKey }),
  url: (sha256: string) => `${V1}/photos/${encodeURIComponent(sha256)}`,
}

export const analytics = {
  kpis: (org: string, from?: string, to?: string) =>
    get<Kpis>(`${V1}/kpis/events`, { org, from, to }),
  dashboard: (org: string, from?: string, to?: string) =>
    get<Record<string, unknown>>(`${V1}/dashboard`, { org, from, to }),
  forms: () =>
    get<{ items: Form[] } | Form[]>(`${V1}/forms`).then((r) => (Array.isArray(r) ? r : r.items)),
  report: (form: string, org: string, level?: string) =>
    get<Record<string, unknown>>(`${V1}/reports/${encodeURIComponent(form)}`, {
      org,
      level,
      format: 'json',
    }),
  reportUrl: (form: string, org: string, level: string | undefined, format: 'csv' | 'xlsx') =>
    `${V1}/reports/${encodeURIComponent(form)}?` +
    new URLSearchParams({ org, format, ...(level ? { level } : {}) }).toString(),
}

export const patrols = {
  create: (entry: Record<string, unknown>, idempotencyKey?: string) =>
    post<unknown>(`${V1}/patrols`, entry, idempotencyKey),
}
