// Reads the KPI and dashboard answers into the few series the charts draw. The server's
// field names are taken as documented (GET /api/v1/kpis/events, GET /api/v1/dashboard); a
// missing figure reads as null and its card shows "—".
type Json = Record<string, unknown>

export function num(o: unknown, ...path: string[]): number | null {
  let v: unknown = o
  for (const p of path) {
    if (!v || typeof v !== 'object') return null
    v = (v as Json)[p]
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/** The first of several names that holds a number. */
export function first(o: unknown, ...names: string[]): number | null {
  for (const n of names) {
    const v = num(o, ...n.split('.'))
    if (v !== null) return v
  }
  return null
}

/** [{name, value}] from a {key: n} map or a [{name|label|code, value|count}] list. */
export function pairs(v: unknown, names?: (k: string) => string): { name: string; value: number }[] {
  if (Array.isArray(v)) {
    return v
      .map((x) => {
        const o = (x ?? {}) as Json
        const name = String(o.name ?? o.label ?? o.org_name ?? o.code ?? o.level ?? '')
        const value = first(o, 'value', 'count', 'resolved', 'received', 'open')
        return { name: names ? names(name) : name, value: value ?? 0 }
      })
      .filter((p) => p.name)
  }
  if (v && typeof v === 'object') {
    return Object.entries(v as Json)
      .filter(([, x]) => typeof x === 'number')
      .map(([k, x]) => ({ name: names ? names(k) : k, value: x as number }))
  }
  return []
}

/** Periods for the trend: the last n calendar months as [from, to) date strings. */
export function lastMonths(n: number, today = new Date()): { label: string; from: string; to: string }[] {
  const out = []
  const y = today.getFullYear()
  const m = today.getMonth()
  for (let i = n - 1; i >= 0; i--) {
    const a = new Date(y, m - i, 1)
    const b = new Date(y, m - i + 1, 1)
    const d = (x: Date) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-01`
    out.push({ label: `${a.getFullYear()}-${String(a.getMonth() + 1).padStart(2, '0')}`, from: d(a), to: d(b) })
  }
  return out
}
