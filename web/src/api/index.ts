// The typed API of wangge (DESIGN §7), used by the console and the phone app alike. Every call
// names its route as the server declares it (src/api/openapi.ts, generated from the route table):
// a route the server no longer has, a query parameter it does not take or a body it would refuse
// fails the type check. Answers are the hand types of ./types, which must agree with the route's
// response schema where it declares one (Answer below).
import { get, patch, post, request, type Query } from './client'
import type { ApiPaths } from './openapi'
import type {
  ActionInput,
  Category,
  Dashboard,
  Form,
  Household,
  Kpis,
  LoginResult,
  MapSettings,
  NewEventInput,
  Org,
  OrgBoundaries,
  Page,
  Photo,
  Report,
  Resident,
  RiskColors,
  SummonableOrg,
  User,
  WangEvent,
} from './types'

export * from './client'
export * from './types'
export type { ApiPaths } from './openapi'

export type ApiPath = keyof ApiPaths
interface Operation {
  path: unknown
  query: unknown
  body: unknown
  response: unknown
}
type Op<P extends ApiPath, M extends string> = M extends keyof ApiPaths[P]
  ? ApiPaths[P][M] extends Operation
    ? ApiPaths[P][M]
    : never
  : never
type QueryOf<P extends ApiPath, M extends string> = Op<P, M>['query']
/** A route's query parameters; a repeatable one may be given as a list. */
export type ApiQuery<P extends ApiPath, M extends string> = {
  [K in keyof QueryOf<P, M>]?: QueryOf<P, M>[K] | (QueryOf<P, M>[K] extends string | undefined ? string[] : never)
}
export type ApiBody<P extends ApiPath, M extends string> = Op<P, M>['body']
/** The answer a route declares; unknown when it declares none. */
export type ApiResponse<P extends ApiPath, M extends string> = Op<P, M>['response']
/** A hand type H for a route's answer: H must fit the route's schema where it declares one. */
type Answer<P extends ApiPath, M extends string, H extends ApiResponse<P, M>> = H

type PathParams<P extends ApiPath> = Op<P, keyof ApiPaths[P] & string>['path']

/** The URL of a route with its {parameters} filled in (required when the route has any). */
export function at<P extends ApiPath>(
  path: P,
  ...params: PathParams<P> extends Record<string, never> ? [] : [PathParams<P>]
): string {
  const values = (params[0] ?? {}) as Record<string, string | number>
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])))
}

const q = <P extends ApiPath>(query: ApiQuery<P, 'get'>) => query as Query

export const auth = {
  login: (username: string, password: string) =>
    post<Answer<'/api/v1/auth/login', 'post', LoginResult>>(at('/api/v1/auth/login'), {
      username,
      password,
    } satisfies ApiBody<'/api/v1/auth/login', 'post'>),
  logout: () => post<void>(at('/api/v1/auth/logout')),
  me: () => get<Answer<'/api/v1/auth/me', 'get', User>>(at('/api/v1/auth/me')),
  changePassword: (old_password: string, new_password: string) =>
    post<void>(at('/api/v1/auth/password'), {
      old_password,
      new_password,
    } satisfies ApiBody<'/api/v1/auth/password', 'post'>),
}

export const orgs = {
  // Not Answer<…>: the route's schema declares parent_code a string, but the root's is null.
  get: (code: string) => get<Org>(at('/api/v1/orgs/{code}', { code })),
  children: (code: string) =>
    get<{ items: Org[] }>(at('/api/v1/orgs/{code}/children', { code })).then((r) => r.items),
  boundaries: (code: string) => get<OrgBoundaries>(at('/api/v1/orgs/{code}/boundaries', { code })),
  /** The server's base map ([map] of its config): empty tile_url when none. */
  map: () => get<Answer<'/api/v1/map', 'get', MapSettings>>(at('/api/v1/map')),
}

/** Ages as shown: this year − birth year; tags may repeat (all required). */
export type ResidentFilter = ApiQuery<'/api/v1/residents', 'get'>

export const residents = {
  list: (f: ResidentFilter) => get<Page<Resident>>(at('/api/v1/residents'), q(f)),
  get: (id: number) => get<Resident>(at('/api/v1/residents/{id}', { id })),
  reveal: (id: number, field: 'id_number' | 'phone', reason: string) =>
    post<Answer<'/api/v1/residents/{id}/reveal', 'post', { id: number; field: string; value: string }>>(
      at('/api/v1/residents/{id}/reveal', { id }),
      { field, reason } satisfies ApiBody<'/api/v1/residents/{id}/reveal', 'post'>,
    ),
  /** 新增: registers a resident in an existing household within scope. */
  create: (r: ApiBody<'/api/v1/residents', 'post'>) => post<Resident>(at('/api/v1/residents'), r),
  setColor: (id: number, color: string, reason: string) =>
    patch<Resident>(at('/api/v1/residents/{id}', { id }), {
      color,
      reason,
    } satisfies ApiBody<'/api/v1/residents/{id}', 'patch'>),
}

export const households = {
  get: (id: number) => get<Household>(at('/api/v1/households/{id}', { id })),
}

export type EventFilter = ApiQuery<'/api/v1/events', 'get'>

export const events = {
  categories: () => get<{ items: Category[] }>(at('/api/v1/event-categories')).then((r) => r.items),
  list: (f: EventFilter) => get<Page<WangEvent>>(at('/api/v1/events'), q(f)),
  /** 待办: the workbench's tabs with their counts in the caller's scope (or under org). */
  workbench: (org?: string) =>
    get<{ tabs: { key: string; label: string; count: number }[]; as_of: string }>(at('/api/v1/workbench'), q<'/api/v1/workbench'>({ org })),
  /** 导出: the list's events (the same filter) as a file; the server's 4xx comes as ApiError. */
  export: async (f: EventFilter, format: 'csv' | 'xlsx'): Promise<Blob> => {
    const r = await request<Response>('GET', at('/api/v1/events/export'), {
      query: q<'/api/v1/events/export'>({ ...f, format }),
      asResponse: true,
    })
    return r.blob()
  },
  get: (id: number) => get<WangEvent>(at('/api/v1/events/{id}', { id })),
  report: (e: NewEventInput, idempotencyKey?: string) =>
    post<WangEvent>(at('/api/v1/events'), e, idempotencyKey),
  summonable: (id: number) =>
    get<{ items: SummonableOrg[] }>(at('/api/v1/events/{id}/summonable', { id })).then((r) => r.items),
  act: (id: number, a: ActionInput, idempotencyKey?: string) =>
    post<unknown>(at('/api/v1/events/{id}/actions', { id }), a, idempotencyKey),
}

export const photos = {
  upload: (blob: Blob, idempotencyKey?: string) =>
    request<Answer<'/api/v1/photos', 'post', Photo>>('POST', at('/api/v1/photos'), { raw: blob, idempotencyKey }),
  url: (sha256: string) => at('/api/v1/photos/{id}', { id: sha256 }),
}

export const analytics = {
  kpis: (org: string, from?: string, to?: string) =>
    get<Kpis>(at('/api/v1/kpis/events'), q<'/api/v1/kpis/events'>({ org, from, to })),
  dashboard: (org: string, from?: string, to?: string) =>
    get<Dashboard>(at('/api/v1/dashboard'), q<'/api/v1/dashboard'>({ org, from, to })),
  /** 红黄绿 card: households by colour, people as the second line. */
  colors: (org: string) =>
    get<Answer<'/api/v1/colors', 'get', RiskColors>>(at('/api/v1/colors'), q<'/api/v1/colors'>({ org })),
  forms: () => get<{ items: Form[] }>(at('/api/v1/forms')).then((r) => r.items),
  report: (form: string, p: ReportParams) =>
    get<Report>(at('/api/v1/reports/{form}', { form }), q<'/api/v1/reports/{form}'>({ ...p, format: 'json' })),
  /**
   * A report as a file, fetched (not navigated to): a refusal is an ApiError for the page to
   * show, never the browser leaving the app for a JSON error page.
   */
  reportFile: async (form: string, p: ReportParams, format: 'csv' | 'xlsx'): Promise<{ blob: Blob; name: string }> => {
    const res = await request<Response>('GET', at('/api/v1/reports/{form}', { form }), {
      query: q<'/api/v1/reports/{form}'>({ ...p, format }),
      asResponse: true,
    })
    return { blob: await res.blob(), name: fileName(res.headers.get('Content-Disposition')) ?? `${form}.${format}` }
  },
}

/** The parameters of a report: the org, the row level (rosters: none) and the period. */
export interface ReportParams {
  org: string
  level?: string
  from?: string
  to?: string
}

/** The name in a Content-Disposition (RFC 5987 filename* first, then filename). */
function fileName(disposition: string | null): string | null {
  if (!disposition) return null
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      /* a malformed escape: fall back to the plain name */
    }
  }
  const plain = /filename="([^"]*)"/i.exec(disposition)
  return plain ? plain[1] : null
}

/** 看听问记报: a patrol entry as POST /api/v1/patrols takes it. */
export type PatrolInput = ApiBody<'/api/v1/patrols', 'post'>

export const patrols = {
  create: (entry: PatrolInput, idempotencyKey?: string) =>
    post<unknown>(at('/api/v1/patrols'), entry, idempotencyKey),
}
