// The closed loop's vocabulary as the pages offer it (DESIGN §5); the server decides what is
// allowed, these are only the choices and their order.
import type { EventClock } from './api'
import { t } from './i18n'
import { formatDate, formatDateTime } from './i18n/format'
export const STATES = ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'closed', 'returned', 'reopened', 'cancelled'] as const
export const LEVELS = [1, 2, 3, 4, 5] as const
export const SOURCES = ['grid_patrol', 'hotline_12345', 'resident', 'department', 'suggestion'] as const
export const OPEN_STATES = new Set(['reported', 'accepted', 'dispatched', 'in_progress', 'returned', 'reopened'])
/** Actions that need a note (reason), per the events service contract. */
export const NOTE_ACTIONS = new Set(['verify_fail', 'return', 'escalate', 'cancel', 'extend', 'resolve', 'resolve_part'])

/** The light of a clock (亮灯) as Element Plus's tag type. */
export const LIGHT_TAG = { green: 'success', yellow: 'warning', red: 'danger' } as const

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
const shanghaiHm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false })

/**
 * A due time as a person reads it: a clock that ends at local midnight is the day before's 24时
 * (当日结 reads 当日24时 on its day, never the next day's 00:00); other times as date and time.
 */
export function formatDue(iso: string, now: Date = new Date()): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  if (shanghaiHm.format(d) !== '00:00') return formatDateTime(d)
  const before = new Date(d.getTime() - 60_000)
  if (shanghaiDay.format(before) === shanghaiDay.format(now)) return t('clock.today24')
  return t('clock.day24', { d: formatDate(before) })
}

/** 剩余 N 小时 / 剩余 N 天 / 超期 N 小时 / 超期 N 天; '' when the clock is stopped. */
export function clockText(c: EventClock): string {
  if (c.overdue_minutes !== null) {
    const m = c.overdue_minutes
    return m < 24 * 60 ? t('clock.overHours', { n: Math.max(1, Math.floor(m / 60)) }) : t('clock.overDays', { n: Math.floor(m / (24 * 60)) })
  }
  if (c.remaining_minutes !== null) {
    const m = c.remaining_minutes
    return m < 48 * 60 ? t('clock.leftHours', { n: Math.floor(m / 60) }) : t('clock.leftDays', { n: Math.floor(m / (24 * 60)) })
  }
  return ''
}
