// The logged-in user and the org every page is scoped to, shared by both apps.
// The session itself is the server's HttpOnly cookie; this keeps only what the pages show.
import { reactive } from 'vue'
import { auth, orgs, setCsrfToken, type ApiError, type Org, type User } from './api'

export const session = reactive({
  user: null as User | null,
  /** The org the pages are scoped to (the org tree navigator's choice). */
  org: null as Org | null,
  loaded: false,
})

export function can(permission: string): boolean {
  return session.user?.permissions?.includes(permission) ?? false
}

/**
 * Whether the user holds any of the permissions, for showing a page in the menu; true while the
 * server has not listed them, so that nothing is hidden by mistake (the server still decides).
 */
export function canAny(...permissions: string[]): boolean {
  const held = session.user?.permissions
  return !held || permissions.some((p) => held.includes(p))
}

/** The permissions that open the events inbox: reading (领导, read-only), reporting, handling. */
export const EVENT_VIEW = ['event.read', 'event.handle', 'event.report']

/** Reads events but may not act on them (a leader): the event pages show no actions. */
export function readsEventsOnly(): boolean {
  return can('event.read') && !can('event.handle') && !can('event.report')
}

async function adopt(user: User): Promise<void> {
  session.user = user
  if (user.csrf_token) setCsrfToken(user.csrf_token)
  const saved = sessionStorage.getItem('wangge.org')
  let org: Org | null = null
  // A saved choice outside this user's scope answers 404: fall back to the user's own org.
  if (saved) org = await orgs.get(saved).catch(() => null)
  session.org = org ?? (await orgs.get(user.org_code).catch(() => null))
}

/** Who was last logged in on this device, kept by the phone app (src/offline/profile.ts). */
type OfflineProfile = () => { user: User; org: Org | null } | null
let offlineProfile: OfflineProfile | null = null
/** Lets restore() open the app as `profile()`'s user when the server cannot be reached at all. */
export function setOfflineProfile(profile: OfflineProfile): void {
  offlineProfile = profile
}

/** Restores the session from the cookie; false when there is none. */
export async function restore(): Promise<boolean> {
  try {
    const me = await auth.me()
    await adopt(me)
    return true
  } catch (e) {
    // No answer at all (no network): the phone opens as who was logged in, the cookie kept.
    const saved = (e as ApiError).status === 0 ? offlineProfile?.() : null
    session.user = saved?.user ?? null
    session.org = saved?.org ?? null
    if (saved?.user.csrf_token) setCsrfToken(saved.user.csrf_token)
    return !!saved
  } finally {
    session.loaded = true
  }
}

export async function login(username: string, password: string): Promise<User> {
  const r = await auth.login(username, password)
  setCsrfToken(r.csrf_token)
  // /auth/me adds the permissions; a user who must change the password has few of them.
  const me = await auth.me().catch(() => r.user)
  await adopt({ ...r.user, ...me })
  return session.user!
}

export async function logout(): Promise<void> {
  await auth.logout().catch(() => undefined)
  session.user = null
  session.org = null
  sessionStorage.removeItem('wangge.org')
}

export function setScope(org: Org): void {
  session.org = org
  sessionStorage.setItem('wangge.org', org.code)
}
