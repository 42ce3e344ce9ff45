// The web app's API types against the real server (issue 15, item 5):
//   1. web/src/api/openapi.ts, generated from the route table, is what the running server's
//      GET /api/openapi.json gives now (else: regenerate it, and let the type check show which
//      page uses a route or a field that changed);
//   2. the answers typed by hand in web/src/api/types.ts (those whose routes declare no schema:
//      dashboard, KPIs, forms, reports, events, residents …) type-check as they come from the
//      server: each real answer is written as a literal of its type and compiled by tsc, so a
//      field the type lacks, a missing one or one of another type fails.
// Run by scripts/web-test.sh on SQLite and PostgreSQL, with the demo database.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiAs, repo, startServer } from './lib.mjs'

const { generate, OUTPUT } = await import(join(repo, 'web/scripts/gen-api-types.mjs'))

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

let server
before(async () => {
  server = await startServer({ bin: BIN, db: DB, webRoot: WEB_ROOT })
})
after(async () => {
  await server?.stop()
})

test('web/src/api/openapi.ts is generated from the route table the server has now', async () => {
  const r = await fetch(`${server.url}/api/openapi.json`)
  assert.equal(r.status, 200)
  const fresh = generate(await r.json())
  assert.ok(
    readFileSync(OUTPUT, 'utf8') === fresh,
    'web/src/api/openapi.ts is stale: run `node web/scripts/gen-api-types.mjs --bin build/bin/wangge` ' +
      'and `bash scripts/web-build.sh` (its type check names the pages a change breaks)',
  )
})

/** GETs `path` as `api`, asserting a 200, and gives the JSON. */
async function answer(api, path) {
  const r = await api.get(path)
  assert.equal(r.status, 200, `GET ${path}: ${r.text}`)
  return r.json
}

test('the hand-typed answers (dashboard, KPIs, forms, reports, events, residents) fit real ones', async () => {
  const leader = await apiAs(server.url, 'leader')
  const county = await apiAs(server.url, 'county')
  const township = await apiAs(server.url, 'township')
  const city = '530600000000'
  const countyOrg = (await answer(county, '/api/v1/auth/me')).org_code
  const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
  const from = `${day(new Date()).slice(0, 4)}-01-01`
  const to = day(new Date(Date.now() + 86400_000))

  const events = await answer(township, '/api/v1/events?size=20')
  assert.ok(events.items.length > 0, 'the demo township has events')
  const residents = await answer(township, '/api/v1/residents?size=20')
  const resident = await answer(township, `/api/v1/residents/${residents.items[0].id}`)
  const forms = await answer(county, '/api/v1/forms')
  const summaries = forms.items.filter((f) => f.kind === 'summary').map((f) => f.code)
  const rosters = forms.items.filter((f) => f.kind === 'roster').map((f) => f.code)
  assert.ok(summaries.length > 0 && rosters.length > 0, 'the server lists summary tables and rosters')

  const samples = [
    ['Kpis', await answer(leader, `/api/v1/kpis/events?org=${city}&from=${from}&to=${to}`)],
    // A period without events: every rate and mean is null.
    ['Kpis', await answer(leader, `/api/v1/kpis/events?org=${city}&from=2001-01-01&to=2001-01-02`)],
    ['Dashboard', await answer(leader, `/api/v1/dashboard?org=${city}&from=${from}&to=${to}`)],
    ['Dashboard', await answer(county, `/api/v1/dashboard?org=${countyOrg}`)],
    ['{ items: Form[] }', forms],
    ['{ items: Category[] }', await answer(township, '/api/v1/event-categories')],
    ['Page<WangEvent>', events],
    ['WangEvent', await answer(township, `/api/v1/events/${events.items[0].id}`)],
    ['Page<Resident>', residents],
    ['Resident', resident],
    ['Household', await answer(township, `/api/v1/households/${resident.household_id}`)],
    ['User', await answer(township, '/api/v1/auth/me')],
    ['Org', await answer(leader, `/api/v1/orgs/${city}`)],
  ]
  for (const code of summaries) {
    samples.push(['Report', await answer(county, `/api/v1/reports/${code}?org=${countyOrg}&format=json`)])
  }
  samples.push(['Report', await answer(county, `/api/v1/reports/${summaries[0]}?org=${countyOrg}&level=all&format=json`)])
  for (const code of rosters) {
    samples.push(['Report', await answer(county, `/api/v1/reports/${code}?org=${countyOrg}&format=json`)])
  }

  const dir = mkdtempSync(join(tmpdir(), 'wangge-api-types-'))
  try {
    const file = join(dir, 'answers.ts')
    const types = join(repo, 'web/src/api/types')
    const lines = [
      `import type { Category, Dashboard, Form, Household, Kpis, Org, Page, Report, Resident, User, WangEvent } from ${JSON.stringify(types)}`,
      ...samples.map(([type, json], i) => `export const answer${i}: ${type} = ${JSON.stringify(json)}`),
    ]
    writeFileSync(file, lines.join('\n') + '\n')
    const tsc = join(repo, 'web/node_modules/typescript/bin/tsc')
    const args = ['--noEmit', '--strict', '--target', 'es2020', '--module', 'esnext', '--moduleResolution', 'bundler', '--skipLibCheck', file]
    try {
      execFileSync(process.execPath, [tsc, ...args], { encoding: 'utf8' })
    } catch (e) {
      // Name the sample each error is in: answers.ts(LINE,…) is sample LINE − 2.
      const named = String(e.stdout)
        .split('\n')
        .map((l) => l.replace(/^.*answers\.ts\((\d+),\d+\)/, (m, line) => `${samples[line - 2]?.[0] ?? '?'}`))
      assert.fail(`a real answer does not fit its type in web/src/api/types.ts:\n${[...new Set(named)].join('\n').slice(0, 4000)}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
