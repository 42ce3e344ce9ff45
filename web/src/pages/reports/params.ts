// The report page's choices as the server takes them: the row levels that lie below an org, the
// period presets (the same as the 驾驶舱's, so that both count the same events), and a refusal
// turned into a sentence for the page.
import { ApiError } from '../../api'
import { t, type MessageKey } from '../../i18n'
import { isoDay } from '../../i18n/format'

/** Org kinds from the top down, as the server orders them (src/org/org.h). */
const KINDS = ['city', 'county', 'township', 'village', 'grid', 'micro_grid', 'building'] as const
/** The levels the page offers, in the picker's order. */
const LEVELS = ['child', 'county', 'township', 'village', 'grid', 'all'] as const

/** The levels a report under an org of this kind may ask for (never one above the org). */
export function levelsBelow(kind: string | undefined): string[] {
  const at = KINDS.indexOf((kind ?? 'city') as (typeof KINDS)[number])
  if (at < 0) return []
  return LEVELS.filter((l) => l === 'child' || l === 'all' || KINDS.indexOf(l) >= at)
}

export const PRESETS = ['month', 'd30', 'year', 'all', 'custom'] as const
export type Preset = (typeof PRESETS)[number]

/** The period of a preset as from/to days (inclusive); none for 全部 or an unfinished range. */
export function periodOf(p: Preset, custom: [string, string] | null): { from?: string; to?: string } {
  const today = isoDay()
  if (p === 'month') return { from: today.slice(0, 8) + '01', to: today }
  if (p === 'd30') return { from: isoDay(-29), to: today }
  if (p === 'year') return { from: today.slice(0, 5) + '01-01', to: today }
  if (p === 'custom' && custom?.[0] && custom[1]) return { from: custom[0], to: custom[1] }
  return {}
}

const BY_CODE: Record<string, MessageKey> = {
  invalid_level: 'reports.error.level',
  invalid_period: 'reports.error.period',
  org_not_division: 'reports.error.department',
  network: 'reports.error.network',
  reports_unavailable: 'reports.error.unavailable',
}

/** A refusal as a sentence in the chosen language: never the server's raw text or status. */
export function reportError(e: unknown): string {
  if (e instanceof ApiError) {
    const key = BY_CODE[e.code]
    if (key) return t(key)
    if (e.status === 404) return t('reports.error.notFound')
    if (e.status === 403) return t('reports.error.forbidden')
    if (e.status === 401) return t('reports.error.session')
  }
  return t('reports.error.other')
}
