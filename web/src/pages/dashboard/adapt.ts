// The trend's periods for the dashboard.
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
