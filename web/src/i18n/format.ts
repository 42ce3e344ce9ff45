// Dates in Chinese format (2026年11月24日 14:30, Asia/Shanghai), numbers, percentages and
// pinyin-ordered name lists (Intl.Collator('zh-CN') orders Han characters by pinyin).
import { locale } from './index'

const TZ = 'Asia/Shanghai'

function fmt(options: Intl.DateTimeFormatOptions): (d: Date) => string {
  const cache = new Map<string, Intl.DateTimeFormat>()
  return (d) => {
    const l = locale.value
    let f = cache.get(l)
    if (!f) {
      f = new Intl.DateTimeFormat(l === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TZ, ...options })
      cache.set(l, f)
    }
    return f.format(d)
  }
}

const dateTime = fmt({ year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
const dateOnly = fmt({ year: 'numeric', month: 'long', day: 'numeric' })

function parse(v: string | number | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null
  const d = v instanceof Date ? v : new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}

/** "2026年11月24日 14:30" (en: "24 November 2026 at 14:30"); "" for nothing. */
export function formatDateTime(v: string | number | Date | null | undefined): string {
  const d = parse(v)
  return d ? dateTime(d) : ''
}

/** "2026年11月24日"; a plain "YYYY-MM-DD" is read as that calendar day. */
export function formatDate(v: string | number | Date | null | undefined): string {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) v = `${v}T12:00:00+08:00`
  const d = parse(v)
  return d ? dateOnly(d) : ''
}

/** Today's date in Shanghai as YYYY-MM-DD, shifted by `days`. */
export function isoDay(days = 0): string {
  const d = new Date(Date.now() + days * 86400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(d)
}

export function percent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  return `${(v * 100).toFixed(digits)}%`
}

export const collator = new Intl.Collator('zh-CN')

/** A copy sorted by pinyin of key(item). */
export function pinyinSort<T>(items: readonly T[], key: (x: T) => string): T[] {
  return [...items].sort((a, b) => collator.compare(key(a), key(b)))
}
