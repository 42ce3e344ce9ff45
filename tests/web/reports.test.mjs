// Browser tests of issue 23, item 5 ("reports that never break"), against a real `wangge serve`
// over the small demo database (scripts/web-test.sh):
//   - every form the user is offered answers with its default settings (as the page asks: the
//     org, no level, 本年 for forms with a period) as JSON, XLSX and CSV, for every role that
//     reads reports: the city, county, township and village operators and the leader (a system
//     administrator holds no report.read: 三员分立); the township operator, whose 事件办结统计表
//     broke, previews and downloads (fetched XLSX) every form in the page;
//   - the period selector sends the period, and 事件办结统计表 counts as many events received in
//     it as the 驾驶舱's KPIs do;
//   - a refused request (a period that ends before it starts) is shown in the page in Chinese,
//     for the preview and for the download, and the browser stays in the app;
//   - in English (the console's switch) the form and its columns are named in English;
//   - typing 低保 in the form picker finds 城乡最低生活保障对象花名册 (a synonym of the field the
//     roster selects by), and not 事件办结统计表.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiAs, launch, login, shot, startServer } from './lib.mjs'

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

const DESKTOP = { viewport: { width: 1366, height: 900 } }
const ROLES = ['city', 'county', 'township', 'village', 'leader']

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

async function reportsPage(username) {
  const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN', acceptDownloads: true })
  const page = await ctx.newPage()
  await login(page, server.url, '', username)
  await page.goto(`${server.url}/reports`)
  await page.locator('[data-test=report-form]').waitFor()
  return { ctx, page }
}

async function pick(page, code) {
  await page.locator('[data-test=report-form]').click()
  await page.locator(`.el-select-dropdown [data-test=form-${code}]`).click()
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
}

/** The query the page sends for a form with its default settings: the org, no level, 本年. */
function defaults(user, form) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const q = new URLSearchParams({ org: user.org_code })
  if (form.period) {
    q.set('from', `${today.slice(0, 4)}-01-01`)
    q.set('to', today)
  }
  return q
}

describe('reports with default settings', () => {
  // Every role that reads reports, through the API exactly as the page asks (json, xlsx, csv).
  for (const username of ROLES) {
    test(`every form answers with its defaults for ${username} (json, xlsx, csv)`, async () => {
      const api = await apiAs(server.url, username)
      const me = (await api.get('/api/v1/auth/me')).json
      const forms = (await api.get('/api/v1/forms')).json.items
      assert.ok(forms.length >= 10, 'the shipped forms are listed')
      if (username === 'leader') assert.ok(!forms.some((f) => f.kind === 'roster'), 'no roster for who may not read residents')
      const failures = []
      for (const f of forms) {
        for (const format of ['json', 'xlsx', 'csv']) {
          const q = defaults(me.user ?? me, f)
          q.set('format', format)
          const r = await api.get(`/api/v1/reports/${f.code}?${q}`)
          if (r.status !== 200) failures.push(`${f.code} ${format}: ${r.status} ${r.text}`)
        }
      }
      assert.deepEqual(failures, [], `${username}: every form works with its defaults`)
    })
  }

  // The township operator (the role the issue saw break) clicks through every form in the page.
  test('every form previews and downloads in the page for the township operator', async () => {
    const api = await apiAs(server.url, 'township')
    const forms = (await api.get('/api/v1/forms')).json.items
    const { ctx, page } = await reportsPage('township')
    const failures = []
    for (const f of forms) {
      await pick(page, f.code)
      const [res] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/reports/${f.code}`),
        page.locator('[data-test=report-preview]').click(),
      ])
      if (res.status() !== 200) failures.push(`${f.code} preview ${res.status()} ${await res.text()}`)
      const table = f.kind === 'roster' ? '[data-test=roster-table]' : '[data-test=report-table]'
      await page.locator(`${table}, [data-test=report-error]`).first().waitFor()
      if (await page.locator('[data-test=report-error]').count()) failures.push(`${f.code}: ${await page.locator('[data-test=report-error]').innerText()}`)
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=report-xlsx]').click()])
      if (!/\.xlsx$/.test(download.suggestedFilename())) failures.push(`${f.code} file ${download.suggestedFilename()}`)
    }
    assert.deepEqual(failures, [], 'every form works in the page with its defaults')
    assert.ok(new URL(page.url()).pathname.endsWith('/reports'), 'still in the app')
    await shot(page, 'console-reports-township.png')
    await ctx.close()
  })
})

describe('reports: period, errors, search', () => {
  test('事件办结统计表 for the township: default level, the period sent, and as many events as the KPIs', async () => {
    const { ctx, page } = await reportsPage('township')
    await pick(page, 'events')
    await page.locator('[data-test=period-year]').click()
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports/events'),
      page.locator('[data-test=report-preview]').click(),
    ])
    assert.equal(res.status(), 200, await res.text())
    const q = new URL(res.url()).searchParams
    assert.ok(!q.has('level'), 'the default level is the server’s')
    assert.match(q.get('from') ?? '', /^\d{4}-01-01$/)
    const report = await res.json()
    assert.equal(report.level, 'village', 'a county form shows the township’s villages')
    assert.deepEqual(report.period, { from: q.get('from'), to: q.get('to') })
    await page.locator('[data-test=report-period-shown]').filter({ hasText: '报告期' }).waitFor()
    const api = await apiAs(server.url, 'township')
    const kpis = await api.get(`/api/v1/kpis/events?org=${report.org.code}&from=${q.get('from')}&to=${q.get('to')}`)
    assert.equal(kpis.status, 200, kpis.text)
    assert.equal(report.total.values.received, kpis.json.received, 'the report and the 驾驶舱 agree on the period’s events')
    // 全部 sends no period: the counts can only grow.
    await page.locator('[data-test=period-all]').click()
    const [all] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports/events'),
      page.locator('[data-test=report-preview]').click(),
    ])
    assert.ok(!new URL(all.url()).searchParams.has('from'))
    assert.ok((await all.json()).total.values.received >= report.total.values.received)
    await ctx.close()
  })

  test('a refusal is shown in the page in Chinese, for the preview and the download', async () => {
    const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN', acceptDownloads: true })
    const page = await ctx.newPage()
    await login(page, server.url, '', 'county')
    await page.goto(`${server.url}/reports?form=events&from=2026-02-01&to=2026-01-01`)
    let downloads = 0
    page.on('download', () => downloads++)
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports/events'),
      page.locator('[data-test=report-preview]').click(),
    ])
    assert.equal(res.status(), 400)
    const error = page.locator('[data-test=report-error]')
    await error.filter({ hasText: '报告期' }).waitFor()
    const shown = await error.innerText()
    assert.ok(!shown.includes('{') && !shown.includes('invalid_period'), `no raw server answer: ${shown}`)
    const [file] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports/events'),
      page.locator('[data-test=report-xlsx]').click(),
    ])
    assert.equal(file.status(), 400)
    await error.filter({ hasText: '报告期' }).waitFor()
    assert.equal(downloads, 0, 'nothing downloaded')
    assert.ok(new URL(page.url()).pathname.endsWith('/reports'), 'the browser stays in the app')
    await shot(page, 'console-report-error.png')
    await ctx.close()
  })

  test('typing 低保 finds the 低保 roster by the field’s synonym', async () => {
    const { ctx, page } = await reportsPage('county')
    await page.locator('[data-test=report-form]').click()
    await page.keyboard.type('低保')
    const roster = page.locator('.el-select-dropdown [data-test=form-dibao_roster]')
    await roster.waitFor()
    assert.match(await roster.innerText(), /城乡最低生活保障对象花名册/)
    await page.locator('.el-select-dropdown [data-test=form-events]').waitFor({ state: 'hidden' })
    await roster.click()
    await page.locator('[data-test=roster-audit-note]').waitFor()
    await ctx.close()
  })

  test('in English the form and its columns are named in English', async () => {
    const { ctx, page } = await reportsPage('county')
    await page.locator('[data-test=lang]').click()
    await pick(page, 'events')
    await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports/events' && r.status() === 200),
      page.locator('[data-test=report-preview]').click(),
    ])
    const header = page.locator('[data-test=report-table] .el-table__header')
    await header.getByText('Events received', { exact: false }).first().waitFor()
    assert.ok(!(await header.innerText()).includes('受理事件数'), 'no Chinese header left for a column with an English name')
    await page.getByText('Event closure statistics', { exact: false }).first().waitFor()
    await ctx.close()
  })
})
