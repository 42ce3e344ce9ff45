// Turns a report's JSON (GET /api/v1/reports/{form}?format=json, tables::report_json) into
// columns and rows for the preview: the unit's name first, then one column per indicator
// ("group / name (unit)" when grouped), and the totals row last; a roster (名册) by rosterOf.
import type { ReportRow, RosterReport, SummaryReport } from '../../api'
import { formatDate } from '../../i18n/format'

export interface Column {
  key: string
  label: string
}

/** A row as el-table shows it: a value per column key. */
export type TableRow = Record<string, string | number | null>

const titleOf = (r: SummaryReport | RosterReport) =>
  [r.title, r.org.name, formatDate(r.as_of)].filter(Boolean).join(' · ')

export function tableOf(r: SummaryReport, unitLabel: string, totalLabel: string): { title: string; columns: Column[]; rows: TableRow[] } {
  const columns: Column[] = [
    { key: '__org', label: unitLabel },
    ...r.columns.map((c) => ({
      key: c.code,
      label: `${c.group ? `${c.group} / ` : ''}${c.name}${c.unit ? `（${c.unit}）` : ''}`,
    })),
  ]
  const flat = (row: ReportRow, name?: string): TableRow => ({ __org: name ?? row.org_name, ...row.values })
  const rows = r.rows.map((x) => flat(x))
  rows.push(flat(r.total, totalLabel))
  return { title: titleOf(r), columns, rows }
}

/**
 * A roster's JSON (kind "roster": one row per record, no totals, ID numbers and phones already
 * masked by the server) as columns and rows. Column codes hold dots ("resident.name"), which
 * el-table would read as paths, so the keys are the columns' positions.
 */
export function rosterOf(r: RosterReport): { title: string; columns: Column[]; rows: TableRow[]; count: number } {
  const columns = r.columns.map((c, i) => ({ key: `c${i}`, label: c.name }))
  const rows = r.rows.map((x) => {
    const row: TableRow = { __id: x.id }
    r.columns.forEach((c, i) => (row[`c${i}`] = x.values[c.code] ?? ''))
    return row
  })
  return { title: titleOf(r), columns, rows, count: r.count }
}
