// The one HTTP client of both apps: JSON in and out, the session cookie with its CSRF token,
// Accept-Language from the chosen language, Idempotency-Key on request, and errors turned
// into ApiError {status, code, message, field} with the server's (Chinese or English) message.

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly field: string | null = null,
  ) {
    super(message)
  }
  /** No answer at all (offline, server down): the request may be retried as it is. */
  get network(): boolean {
    return this.status === 0
  }
}

export type Query = Record<string, string | number | boolean | undefined | null | string[]>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** A raw body (a photo): sent as is with its own Content-Type. */
  raw?: Blob
  idempotencyKey?: string
  /** Return the Response itself (downloads) instead of parsed JSON. */
  asResponse?: boolean
}

interface ClientState {
  csrf: string
  language: string
  onUnauthorized: (() => void) | null
}

const state: ClientState = { csrf: '', language: 'zh-CN', onUnauthorized: null }

export function setCsrfToken(token: string): void {
  state.csrf = token
}
export function setLanguage(lang: string): void {
  state.language = lang
}
/** Called on a 401 from any request but login (the session ended or timed out). */
export function onUnauthorized(fn: () => void): void {
  state.onUnauthorized = fn
}

export function buildQuery(q: Query | undefined): string {
  if (!q) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x))
    else p.append(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': state.language }
  let body: BodyInit | undefined
  if (opts.raw) {
    body = opts.raw
    headers['Content-Type'] = opts.raw.type || 'application/octet-stream'
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body)
    headers['Content-Type'] = 'application/json'
  }
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey
  let res: Response
  try {
    res = await fetch(path + buildQuery(opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
    })
  } catch {
    throw new ApiError(0, 'network', state.language === 'en' ? 'network unavailable' : '网络不可用')
  }
  if (!res.ok) {
    let code = `http_${res.status}`
    let message = res.statusText
    let field: string | null = null
    try {
      const j = await res.json()
      if (j?.error) {
        code = j.error.code ?? code
        message = j.error.message ?? message
        field = j.error.field ?? null
      }
    } catch {
      /* not JSON: keep the status text */
    }
    if (res.status === 401 && !path.endsWith('/auth/login')) state.onUnauthorized?.()
    throw new ApiError(res.status, code, message, field)
  }
  if (opts.asResponse) return res as unknown as T
  if (res.status === 204) return undefined as T
  const type = res.headers.get('Content-Type') ?? ''
  return (type.includes('json') ? await res.json() : await res.text()) as T
}

export const get = <T>(path: string, query?: Query) => request<T>('GET', path, { query })
export const post = <T>(path: string, body?: unknown, idempotencyKey?: string) =>
  request<T>('POST', path, { body, idempotencyKey })
export const patch = <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body })

/** A random key for Idempotency-Key (crypto.randomUUID needs a secure context). */
export function newKey(): string {
  const b = new Uint8Array(16)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
