// Browser tests of issue 23 (daily work in the console), against a real `wangge serve` over the
// small demo database:
//   1. 待办 is the township operator's landing page; a grid worker's new report appears in 待受理
//      and the header's badge count changes, without reloading (the live feed: server-sent
//      events), and a notice says new work arrived;
//   2. 事件's 只看超期 lists only open events whose current clock has run out, each read as
//      超期 N 小时/天 on a red light, and the search by keyword finds a report by its words.
// Run by scripts/web-test.sh (which builds the demo DB).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiAs, launch, login, shot, startServer } from './lib.mjs'

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

const DESKTOP = { viewport: { width: 1366, height: 900 } }

let server
let browser
before(async () => {
  server = await startServer({ bin: BIN, db: DB, webRoot: WEB_ROOT })
  browser = await launch()
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

describe('待办 workbench', () => {
  test('the township operator sees a new report arrive in 待受理 and the badge change, without reloading', async () => {
    const desk = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const page = await desk.newPage()
    await login(page, server.url, '', 'township')
    await page.waitForURL('**/workbench')
    const tab = page.locator('[data-test=work-tab-events\\.to_accept]')
    await tab.waitFor()
    await page.locator('[data-test=work-live][data-live=true]').waitFor()
    const badge = page.locator('[data-test=work-badge]')
    const before = Number(await badge.getAttribute('data-count'))
    assert.equal(Number(await tab.getAttribute('data-count')), before, 'the badge counts 待受理')
    // A mark on the window: a reload would lose it.
    await page.evaluate(() => {
      window.__still = true
    })

    const worker = await apiAs(server.url, 'gridworker')
    const title = `井盖缺失 workbench ${Date.now()}`
    const r = await worker.post('/api/v1/events', { category: 'infra.road', title })
    assert.equal(r.status, 201, r.text)
    const id = r.json.id
    const township = await apiAs(server.url, 'township')
    assert.equal((await township.get(`/api/v1/events/${id}`)).status, 200, 'the report is in the township operator\'s scope')

    await page.locator(`[data-test=work-row-${id}]`).filter({ hasText: title }).waitFor()
    await page.locator(`[data-test=work-badge][data-count="${before + 1}"]`).waitFor()
    await page.locator(`[data-test=work-tab-events\\.to_accept][data-count="${before + 1}"]`).waitFor()
    await page.locator('.el-notification').filter({ hasText: '有新的待办' }).waitFor()
    assert.equal(await page.evaluate(() => window.__still), true, 'the page was not reloaded')
    await shot(page, 'console-workbench.png')

    // Accepted, it leaves 待受理 for 办理中, again without a reload.
    assert.equal((await township.post(`/api/v1/events/${id}/actions`, { action: 'accept' })).status, 200)
    await page.locator(`[data-test=work-badge][data-count="${before}"]`).waitFor()
    await page.locator(`[data-test=work-row-${id}]`).waitFor({ state: 'detached' })
    assert.equal(await page.evaluate(() => window.__still), true)
    await desk.close()
  })
})

describe('事件 search', () => {
  test('只看超期 lists only open events whose clock has run out, each with 超期 N 小时/天', async () => {
    const leader = await apiAs(server.url, 'leader')
    const api = await leader.get('/api/v1/events?overdue=true&size=100')
    assert.equal(api.status, 200, api.text)
    for (const e of api.json.items) {
      assert.ok(!['resolved', 'closed', 'cancelled'].includes(e.state), `#${e.id} is open`)
      assert.equal(e.overdue, true)
      assert.equal(e.clock.light, 'red')
      assert.ok(new Date(e.clock.due_at) < new Date(), `#${e.id}'s clock has run out`)
    }
    const desk = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const page = await desk.newPage()
    await login(page, server.url, '', 'leader')
    await page.goto(`${server.url}/events`)
    await page.locator('[data-test=events-table]').waitFor()
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/events?') && r.url().includes('overdue=true')),
      page.locator('[data-test=filter-overdue]').click(),
    ])
    const listed = await res.json()
    assert.equal(listed.total, api.json.total, 'the page asks what the API answers')
    const rows = page.locator('[data-test=events-table] .el-table__body tr')
    await page.waitForFunction((n) => document.querySelectorAll('[data-test=events-table] .el-table__body tr').length === n, Math.min(listed.total, 20))
    const shown = await rows.count()
    for (let i = 0; i < shown; i++) {
      const row = rows.nth(i)
      await row.locator('[data-test=clock-red]').waitFor()
      assert.match(await row.innerText(), /超期 \d+ (小时|天)/)
    }
    await shot(page, 'console-events-overdue.png')

    // A keyword finds a report by its words, and only it.
    const worker = await apiAs(server.url, 'gridworker')
    const word = `暗渠${Date.now()}`
    const made = await worker.post('/api/v1/events', { category: 'infra.road', title: `排水${word}堵塞` })
    assert.equal(made.status, 201, made.text)
    await page.locator('[data-test=filter-overdue]').click()
    await page.locator('input[data-test=filter-keyword], [data-test=filter-keyword] input').first().fill(word)
    const [found] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/events?') && r.url().includes('q=')),
      page.locator('[data-test=search]').click(),
    ])
    assert.equal((await found.json()).total, 1)
    await page.locator(`[data-test=event-row-${made.json.id}]`).waitFor()
    await desk.close()
  })
})
