// A demo that is alive (issue 17): `wangge demo` serving the demo database keeps a stream of new
// reports and steps going; the leader's dashboard, left open, shows new figures without a
// reload, and its trend of handling times has a point for each of the last six months (the
// demo's history ends at the moment it was generated).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiAs, launch, login, startServer } from './lib.mjs'

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

let server
let browser

before(async () => {
  // The live stream on a short interval: a tick a second.
  server = await startServer({ bin: BIN, db: DB, webRoot: WEB_ROOT, command: 'demo', extra: ['--live-interval', '1'] })
  browser = await launch()
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

test('the dashboard moves without a reload and its trend covers the last six months', async () => {
  const leader = await apiAs(server.url, 'leader')
  const total = async () => (await leader.get('/api/v1/events?size=1')).json.total
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  await login(page, server.url, '', 'leader')
  await page.goto(`${server.url}/dashboard`)
  const received = page.locator('[data-test=kpi-received]')
  await received.filter({ hasText: /\d/ }).waitFor()
  const before = await received.textContent()
  const eventsBefore = await total()

  // A point for each of the last six months (months with a mean handling time).
  await page.locator('[data-test=trend][data-points="6"]').waitFor({ timeout: 20_000 })

  // New reports arrive: the figure changes on the page as it stands (no reload, no click).
  await page.waitForFunction(
    (was) => {
      const el = document.querySelector('[data-test=kpi-received]')
      return el && el.textContent !== was
    },
    before,
    { timeout: 60_000, polling: 500 },
  )
  const after = await received.textContent()
  const n = (s) => Number(s.replace(/[^\d]/g, ''))
  assert.ok(n(after) > n(before), `received went from ${before} to ${after}`)
  assert.ok((await total()) > eventsBefore, 'the stream filed new events')
  await ctx.close()
})
