// Who is logged in on this phone, kept so that the app opens with no network: the server's
// answer to /auth/me (name, org, permissions, the session's CSRF token) and the org shown. The
// session itself stays the server's HttpOnly cookie; logging out forgets this (forgetProfile).
import { watch } from 'vue'
import type { Org, User } from '../api'
import { session, setOfflineProfile } from '../session'

const KEY = 'wangge.m.profile'

function load(): { user: User; org: Org | null } | null {
  try {
    const p = JSON.parse(localStorage.getItem(KEY) ?? 'null')
    return p?.user ? p : null
  } catch {
    return null
  }
}

/** Keeps the profile up to date from now on, and lets restore() fall back on it offline. */
export function keepProfile(): void {
  setOfflineProfile(load)
  watch(
    () => [session.user, session.org] as const,
    ([user, org]) => {
      if (user && !user.must_change_password) localStorage.setItem(KEY, JSON.stringify({ user, org }))
    },
  )
}

export function forgetProfile(): void {
  localStorage.removeItem(KEY)
}
