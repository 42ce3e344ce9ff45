// Turns a report's JSON (GET /api/v1/reports/{form}?format=json, tables::report_json) into
// columns and rows for the preview: the unit's name first, then one column per indicator
// ("group / name (unit)" when grouped), and the totals row last; a roster (名册) by rosterOf.
export interface Column {
  key: string
  label: string
}

import { formatDate } from '../../i18n/format'

type Json = Record<string, unknown>

interface ReportColumn {
  code: string
  name: string
  group?: string
  unit?: string
}
interface ReportRow {
  org_code?: string
  org_name?: string
  values?: Json
}

export function tableOf(r: Json, unitLabel: string, totalLabel: string): { title: string; columns: Column[]; rows: Json[] } {
  const cols = (Array.isArray(r.columns) ? r.columns : []) as ReportColumn[]
  const columns: Column[] = [
    { key: '__org', label: unitLabel },
    ...cols.map((c) => ({
      key: c.code,
      label: `${c.group ? `${c.group} / ` : ''}${c.name}${c.unit ? `（${c.unit}）` : ''}`,
    })),
  ]
  const flat = (row: ReportRow, name?: string): Json => ({ __org: name ?? row.org_name ?? '', ...(row.values ?? {}) })
  const rows = ((Array.isArray(r.rows) ? r.rows : []) as ReportRow[]).map((x) => flat(x))
  if (r.total && typeof r.total === 'object') rows.push(flat(r.total as ReportRow, totalLabel))
  const org = (r.org ?? {}) as Json
  const title = [r.title, org.name, formatDate(String(r.as_of ?? ''))].filter(Boolean).join(' · ')
  return { title, columns, rows }
}

interface RosterRow {
  id?: number | string
  values?: Json
}

/**
 * A roster's JSON (kind "roster": one row per record, no totals, ID numbers and phones already
 * masked by the server) as columns and rows. Column codes hold dots ("resident.name"), which
 * el-table would read as paths, so the keys are the columns' positions.
 */
export function rosterOf(r: Json): { title: string; columns: Column[]; rows: Json[]; count: number } {
  const cols = (Array.isArray(r.columns) ? r.columns : []) as ReportColumn[]
  const columns = cols.map((c, i) => ({ key: `c${i}`, label: c.name }))
  const rows = ((Array.isArray(r.rows) ? r.rows : []) as RosterRow[]).map((x) => {
    const row: Json = { __id: x.id }
    cols.forEach((c, i) => (row[`c${i}`] = x.values?.[c.code] ?? ''))
    return row
  })
  const org = (r.org ?? {}) as Json
  const title = [r.title, org.name, formatDate(String(r.as_of ?? ''))].filter(Boolean).join(' · ')
  return { title, columns, rows, count: typeof r.count === 'number' ? r.count : rows.length }
}
