// Browser tests of issue 7 ("What it must show"), driving Debian's chromium headless through
// playwright-core against a real `wangge serve` over a small demo database:
//   1. a grid worker on a 360×740 phone reports an event with a photo while offline; back
//      online it is sent once (checked through the API);
//   2. the township operator finds it, summons two departments (吹哨), each resolves its part
//      as the department handler, the grid worker verifies (核查), and the dashboard's
//      closure figures change;
//   3. a leader reads the events inbox and an event, read-only;
//   4. a resident page shows the ID masked, and revealing it writes an audit row;
//   5. reports: a summary form previewed and downloaded, a roster (花名册) masked and audited.
// The web app ships with its server: a route it uses that is missing fails the test.
// Screenshots go to docs/screenshots/. Run by scripts/web-test.sh (which builds the demo DB).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { PASSWORD, apiAs, launch, login, shot, startServer, testPng } from './lib.mjs'

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
const DESKTOP = { viewport: { width: 1366, height: 900 } }
// 鲁甸县 (the demo grid worker's county); the exact point only needs to be in China.
const HERE = { latitude: 27.19, longitude: 103.56 }

let server
let browser
const title = `路灯损坏 e2e ${Date.now()}`
let eventId = 0

before(async () => {
  server = await startServer({ bin: BIN, db: DB, webRoot: WEB_ROOT })
  browser = await launch()
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

/** Events visible to `who` whose title is ours. */
async function ourEvents(api) {
  const r = await api.get(`/api/v1/events?size=100`)
  assert.equal(r.status, 200, r.text)
  return r.json.items.filter((e) => e.title === title)
}

/** Clicks an action button on the console's event page, fills its dialog and confirms. */
async function consoleAction(page, action, fill) {
  await page.locator(`[data-test=action-${action}]`).click()
  const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test=action-confirm]') })
  await dialog.waitFor({ state: 'visible' })
  if (fill) await fill(dialog)
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/events/${eventId}/actions`)),
    dialog.locator('[data-test=action-confirm]').click(),
  ])
  assert.equal(res.status(), 200, `${action}: ${await res.text()}`)
  await dialog.waitFor({ state: 'hidden' })
}

/** A department handler account at `org`, made by the security admin, ready to log in. */
async function departmentAccount(security, org, i) {
  const username = `bumen${i}x${Date.now() % 1e8}`
  const initial = 'Chushi#2026x'
  const r = await security.post('/api/v1/users', {
    username,
    display_name: `部门处置人员${i + 1}`,
    role: 'department_handler',
    org_code: org,
    initial_password: initial,
  })
  assert.equal(r.status, 201, r.text)
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: initial }),
  })
  assert.equal(login.status, 200)
  const { token } = await login.json()
  const changed = await fetch(`${server.url}/api/v1/auth/password`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ old_password: initial, new_password: PASSWORD }),
  })
  assert.equal(changed.status, 204, await changed.text())
  return username
}

async function stateOf(api) {
  const r = await api.get(`/api/v1/events/${eventId}`)
  assert.equal(r.status, 200, r.text)
  return r.json
}

describe('grid worker on the phone', () => {
  test('reports an event with a photo while offline; it is sent once when back online', async () => {
    const context = await browser.newContext({ ...PHONE, geolocation: HERE, permissions: ['geolocation'], locale: 'zh-CN' })
    const page = await context.newPage()
    await login(page, server.url, '/m', 'gridworker')
    await page.locator('a[href="/m/report"]').first().click()
    // The categories come from the server once online and stay cached for offline use.
    const category = page.locator('[data-test=category] option:not([disabled])')
    await category.first().waitFor({ state: 'attached' })
    const value = await category.first().getAttribute('value')

    await context.setOffline(true)
    await page.locator('[data-test=net]').filter({ hasText: '离线' }).waitFor()
    await page.locator('[data-test=category]').selectOption(value)
    await page.locator('[data-test=title]').fill(title)
    await page.locator('textarea[name=description]').fill('第1网格主干道三盏路灯不亮，夜间行人不便。')
    await page.locator('input[name=people_affected]').fill('120')
    await page.locator('[data-test=locate]').click()
    await page.locator('[data-test=position]').filter({ hasText: '27.19' }).waitFor()
    await page.locator('[data-test=photo-input]').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: testPng() })
    await page.locator('.m-thumbs img').waitFor()
    await page.locator('[data-test=submit-report]').click()
    await page.locator('[data-test=report-queued]').waitFor()
    await page.locator('[data-test=queue-count][data-count="1"]').waitFor()
    await shot(page, 'phone-report-offline.png')

    const worker = await apiAs(server.url, 'gridworker')
    assert.equal((await ourEvents(worker)).length, 0, 'nothing may reach the server while offline')

    // Back online: the outbox sends by itself (the browser's "online" event).
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/events') && r.request().method() === 'POST')
    await context.setOffline(false)
    const res = await sent
    assert.equal(res.status(), 201, await res.text())
    assert.ok(res.request().headers()['idempotency-key'], 'sent with an Idempotency-Key')
    await page.locator('[data-test=queue-count][data-count="0"]').waitFor()

    const mine = await ourEvents(worker)
    assert.equal(mine.length, 1, 'exactly one event')
    eventId = mine[0].id
    assert.equal(mine[0].attachments.length, 1, 'with its photo')
    assert.equal(mine[0].people_affected, 120)
    assert.ok(Math.abs(mine[0].lat - HERE.latitude) < 1e-4, 'with the phone position')
    const photo = await worker.get(`/api/v1/photos/${mine[0].attachments[0]}`)
    assert.equal(photo.status, 200)

    // The phone resending the same item (its answer lost) gets the first result back.
    const resend = await worker.raw('POST', '/api/v1/events', JSON.parse(res.request().postData()), {
      'Idempotency-Key': res.request().headers()['idempotency-key'],
    })
    assert.equal(resend.json?.id, eventId, 'the same event answers the resubmission')
    assert.equal((await ourEvents(worker)).length, 1, 'still exactly one event')

    await page.goto(`${server.url}/m/`)
    await page.locator('[data-test=people-count]').filter({ hasText: /^\d+$/ }).waitFor()
    // The 红黄绿 card counts households as the registry colours them, people on the second line.
    const card = (await worker.get('/api/v1/colors')).json
    assert.ok(card.households.total > 0, 'the demo grid has households')
    for (const c of ['red', 'yellow', 'green']) {
      const cell = page.locator(`[data-test=color-${c}]`)
      await cell.locator('b').filter({ hasText: new RegExp(`^${card.households[c]}$`) }).waitFor()
      await cell.locator('small').filter({ hasText: new RegExp(`^${card.people[c]} 人$`) }).waitFor()
    }
    await shot(page, 'phone-home.png')
    await context.close()
  })
})

describe('patrol log on the phone', () => {
  test('a patrol entry (看听问记报) made offline arrives once when back online', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' })
    const page = await context.newPage()
    await login(page, server.url, '/m', 'gridworker')
    await page.locator('a[href="/m/patrol"]').first().click()
    await page.locator('[data-test=save-patrol]').waitFor()
    const note = `走访第1网格独居老人 ${Date.now()}`
    await context.setOffline(true)
    await page.locator('[data-test=net]').filter({ hasText: '离线' }).waitFor()
    await page.locator('textarea[name=look]').fill('主干道路灯已修复')
    await page.locator('textarea[name=record]').fill(note)
    await page.locator('input[name=households_visited]').fill('6')
    await page.locator('[data-test=save-patrol]').click()
    await page.locator('[data-test=patrol-saved]').waitFor()
    await page.locator('[data-test=queue-count][data-count="1"]').waitFor()
    await shot(page, 'phone-patrol-offline.png')

    const worker = await apiAs(server.url, 'gridworker')
    const ours = async () => {
      const r = await worker.get('/api/v1/patrols?size=100')
      assert.equal(r.status, 200, r.text)
      return r.json.items.filter((p) => p.note.includes(note))
    }
    assert.equal((await ours()).length, 0, 'nothing may reach the server while offline')
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/patrols') && r.request().method() === 'POST')
    await context.setOffline(false)
    const res = await sent
    assert.equal(res.status(), 201, await res.text())
    const key = res.request().headers()['idempotency-key']
    assert.ok(key, 'sent with an Idempotency-Key')
    await page.locator('[data-test=queue-count][data-count="0"]').waitFor()
    const mine = await ours()
    assert.equal(mine.length, 1, 'exactly one patrol entry')
    assert.deepEqual(mine[0].kinds, ['look', 'record'])
    assert.equal(mine[0].households_visited, 6)
    // The phone resending it (its answer lost) gets the first entry back, not a second one.
    const resend = await worker.raw('POST', '/api/v1/patrols', JSON.parse(res.request().postData()), { 'Idempotency-Key': key })
    assert.equal(resend.json?.id, mine[0].id)
    assert.equal((await ours()).length, 1, 'still exactly one patrol entry')
    await context.close()
  })
})

describe('the closed loop in the console', () => {
  test('township summons two departments, both resolve, the grid worker verifies, the dashboard changes', async () => {
    assert.ok(eventId, 'the phone test reported an event')
    const leader = await apiAs(server.url, 'leader')
    // The dashboard's default period: this year so far (Asia/Shanghai days).
    const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
    const from = `${day(new Date()).slice(0, 4)}-01-01`
    const to = day(new Date(Date.now() + 86400_000))
    const kpisNow = async () => {
      const r = await leader.get(`/api/v1/kpis/events?org=530600000000&from=${from}&to=${to}`)
      assert.equal(r.status, 200, r.text)
      return r.json
    }
    const before = await kpisNow()

    const desk = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const page = await desk.newPage()
    await login(page, server.url, '', 'township')
    await page.goto(`${server.url}/events`)
    await page.locator(`[data-test=event-row-${eventId}]`).click()
    await page.waitForURL(`**/events/${eventId}`)
    await page.locator('[data-test=event-title]').filter({ hasText: title }).waitFor()

    // The report sits at the grid (level 1); 吹哨 needs the township's level: bring it up.
    const note = (text) => async (d) => d.locator('[data-test=action-note]').fill(text)
    await consoleAction(page, 'escalate', note('涉及主干道照明，需乡镇统筹'))
    await consoleAction(page, 'escalate', note('村级无法协调供电部门'))
    const township = await apiAs(server.url, 'township')
    assert.equal((await stateOf(township)).level, 3)
    await consoleAction(page, 'accept')
    // The county's departments lie outside the township's subtree; the server offers them.
    const offered = await township.get(`/api/v1/events/${eventId}/summonable`)
    assert.equal(offered.status, 200, offered.text)
    const me = (await township.get('/api/v1/auth/me')).json
    const myOrg = String(me.org_code ?? me.user?.org_code)
    const prefix = myOrg.replace(/(000)+$/, '')
    const county = offered.json.items.filter((o) => o.kind === 'department' && !o.code.startsWith(prefix))
    assert.ok(county.length >= 2, `departments outside the township ${myOrg} are offered`)
    await consoleAction(page, 'dispatch', async (d) => {
      await d.locator('[data-test=departments]').click()
      const options = page.locator('.el-select-dropdown__item:visible').filter({ hasText: `（${county[0].parent_name}）` })
      await options.nth(1).waitFor()
      await options.nth(0).click()
      await options.nth(1).click()
      await page.keyboard.press('Escape')
      await d.locator('[data-test=action-note]').fill('请两个职能部门到现场会商')
    })
    let e = await stateOf(township)
    assert.equal(e.state, 'dispatched')
    assert.equal(e.parts.length, 2, 'two parts summoned')
    const summoned = e.parts.map((p) => p.org)
    const byCode = new Map(offered.json.items.map((o) => [o.code, o]))
    assert.ok(summoned.every((c) => byCode.get(c)?.kind === 'department'), `two departments: ${summoned}`)
    await page.locator('[data-test=parts] .el-table__row').nth(1).waitFor()
    await page.locator('.el-message').first().waitFor({ state: 'detached' })
    await shot(page, 'console-event.png')
    await desk.close()

    // Each summoned department reports (报到) and resolves its own part, as its handler: an
    // account the security admin creates at that department.
    const security = await apiAs(server.url, 'security')
    for (const [i, code] of summoned.entries()) {
      const username = await departmentAccount(security, code, i)
      const dctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
      const dpage = await dctx.newPage()
      await login(dpage, server.url, '', username)
      await dpage.goto(`${server.url}/events/${eventId}`)
      await dpage.locator('[data-test=event-title]').waitFor()
      await consoleAction(dpage, 'acknowledge')
      await dpage.locator('[data-test=action-acknowledge]').waitFor({ state: 'detached' })
      await consoleAction(dpage, 'resolve_part', async (d) => d.locator('[data-test=action-note]').fill(`${byCode.get(code).name}已处理`))
      const mine = (await stateOf(await apiAs(server.url, username))).parts.find((p) => p.org === code)
      assert.ok(mine?.resolved_at, `${code} resolved its part`)
      await dctx.close()
    }
    e = await stateOf(township)
    assert.ok(e.parts.every((p) => p.resolved_at), 'every part resolved')
    assert.equal(e.state, 'resolved', 'the event is resolved when every part is')

    // 核查: the grid worker who reported it verifies on the phone.
    const phone = await browser.newContext({ ...PHONE, locale: 'zh-CN' })
    const ppage = await phone.newPage()
    await login(ppage, server.url, '/m', 'gridworker')
    await ppage.goto(`${server.url}/m/tasks/${eventId}`)
    await ppage.locator('[data-test=action-verify_pass]').click()
    await ppage.locator('[data-test=event-state]').filter({ hasText: '结案' }).waitFor()
    await shot(ppage, 'phone-task-closed.png')
    await phone.close()
    e = await stateOf(township)
    assert.equal(e.state, 'closed')

    // 驾驶舱: the leader's dashboard shows one more closed event.
    const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const lpage = await ctx.newPage()
    await login(lpage, server.url, '', 'leader')
    await lpage.goto(`${server.url}/dashboard`)
    await lpage.locator('[data-test=kpi-cards]').waitFor()
    const now = await kpisNow()
    assert.equal(now.closed, before.closed + 1, 'one more closed event')
    await lpage.locator('[data-test=kpi-closed]').filter({ hasText: now.closed.toLocaleString('zh-CN') }).waitFor()
    // 事件类别: the dashboard's by_category for the period; the event of this run counts in its
    // top-level category.
    const dash = await leader.get(`/api/v1/dashboard?org=530600000000&from=${from}&to=${to}`)
    assert.equal(dash.status, 200, dash.text)
    const top = e.category.split('.')[0]
    const mine = dash.json.by_category.find((c) => c.code === top)
    assert.ok(mine && mine.count >= 1, `by_category counts the event's category ${e.category}: ${dash.text}`)
    await lpage.locator('h4').filter({ hasText: '本期事件类别' }).waitFor()
    await lpage.locator('[data-test=by-category] canvas').waitFor()
    await lpage.locator('canvas').first().waitFor()
    await shot(lpage, 'console-dashboard.png')
    await ctx.close()
  })
})

describe('leader reads events', () => {
  test('the inbox and an event page, with its photo and timeline, and no action to take', async () => {
    const leader = await apiAs(server.url, 'leader')
    const me = (await leader.get('/api/v1/auth/me')).json
    assert.ok(me.permissions?.includes('event.read'), 'the leader reads events')
    assert.ok(!me.permissions.includes('event.handle') && !me.permissions.includes('event.report'), 'a reader only')
    const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await login(page, server.url, '', 'leader')
    await page.locator('[data-test=nav-events]').click()
    await page.waitForURL('**/events')
    // The event of this run (closed, with a photo) when the phone test made one, else the newest.
    const row = eventId ? page.locator(`[data-test=event-row-${eventId}]`) : page.locator('[data-test^=event-row-]').first()
    await row.waitFor()
    const id = eventId || Number((await row.getAttribute('data-test')).replace('event-row-', ''))
    await row.click()
    await page.waitForURL(`**/events/${id}`)
    await page.locator('[data-test=event-title]').waitFor()
    const e = (await leader.get(`/api/v1/events/${id}`)).json
    assert.deepEqual(e.allowed_actions, [], 'the server offers a reader nothing')
    assert.ok(e.steps.length >= 1)
    await page.locator('[data-test=timeline] li').nth(e.steps.length - 1).waitFor()
    assert.equal(await page.locator('[data-test=timeline] li').count(), e.steps.length, 'the whole timeline')
    if (e.attachments?.length) {
      await page.locator('[data-test=photo]').first().waitFor()
      // The photo loads for a reader (GET /api/v1/photos/{sha256} needs event.read).
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-test=photo]')
        return img?.complete && img.naturalWidth > 0
      })
    }
    await page.locator('[data-test=read-only]').waitFor()
    assert.equal(await page.locator('button[data-test^=action-]').count(), 0, 'no action buttons')
    assert.equal(await page.locator('[data-test=actions]').count(), 0)
    // And acting anyway is refused.
    const act = await leader.raw('POST', `/api/v1/events/${id}/actions`, { action: 'cancel', note: '领导不办理' }, { 'Idempotency-Key': `leader-${Date.now()}` })
    assert.equal(act.status, 403, act.text)
    await shot(page, 'console-event-leader.png')
    await ctx.close()
  })
})

describe('resident page', () => {
  test('shows the ID masked; revealing it with a reason writes an audit row', async () => {
    const township = await apiAs(server.url, 'township')
    const list = await township.get('/api/v1/residents?size=1')
    const id = list.json.items[0].id
    const auditor = await apiAs(server.url, 'auditor')
    const reveals = async () => {
      const r = await auditor.get('/api/v1/audit?action=resident.reveal&size=100')
      assert.equal(r.status, 200, r.text)
      return r.json.items.filter((x) => JSON.stringify(x).includes(`resident:${id}`)).length
    }
    const before = await reveals()

    const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await login(page, server.url, '', 'township')
    await page.goto(`${server.url}/residents/${id}`)
    const shown = page.locator('[data-test=id-number]')
    await shown.waitFor()
    assert.match(await shown.innerText(), /^\d{6}\*{8}\d{3}[\dX]$/, 'masked: first 6 + ******** + last 4')
    // Beside the mask only the birth year (the date would rebuild the number), and no date at all.
    assert.match(await page.locator('[data-test=birth]').innerText(), /^\d{4}（\d+岁）$/, 'birth year and age')
    assert.ok(!('birth_date' in list.json.items[0]), 'the API gives no birth date')
    assert.doesNotMatch(await page.locator('.el-descriptions').innerText(), /\d{4}-\d{2}-\d{2}/, 'no date shown')
    await page.locator('[data-test=reveal-id]').click()
    await page.locator('[data-test=reveal-reason]').fill('核实低保申请材料')
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/residents/${id}/reveal`) && r.status() === 200),
      page.locator('[data-test=reveal-confirm]').click(),
    ])
    await page.locator('[data-test=id-number]').filter({ hasText: /^\d{17}[\dX]$/ }).waitFor()
    await page.locator('[data-test=reveal-confirm]').waitFor({ state: 'hidden' })
    // 调整颜色: needs a reason, and lands in the history.
    await page.locator('[data-test=change-color]').click()
    await page.locator('.el-dialog .el-radio').filter({ hasText: '黄' }).click()
    await page.locator('[data-test=color-reason]').fill('家中老人独居，需每周走访')
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/residents/${id}`) && r.request().method() === 'PATCH' && r.status() === 200),
      page.locator('[data-test=color-confirm]').click(),
    ])
    await page.locator('[data-test=color-history] tbody tr').filter({ hasText: '家中老人独居' }).waitFor()
    await page.locator('[data-test=color-confirm]').waitFor({ state: 'hidden' })
    await shot(page, 'console-resident.png')
    await ctx.close()
    assert.equal(await reveals(), before + 1, 'one audit row for the reveal')
  })
})

describe('console at 360 px', () => {
  test('the registry lists residents in pinyin order on a narrow screen', async () => {
    const ctx = await browser.newContext({ ...PHONE, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await login(page, server.url, '', 'village')
    await page.goto(`${server.url}/residents`)
    const names = page.locator('.el-table__body-wrapper tbody tr td:first-child')
    await names.first().waitFor()
    const list = await names.allInnerTexts()
    const sorted = [...list].sort(new Intl.Collator('zh-CN').compare)
    assert.deepEqual(list, sorted, 'pinyin order')
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 360, `no sideways scrolling of the page (${width} px)`)
    await shot(page, 'console-registry-360.png')
    // 中文 first, English on request: the labels switch in place.
    await page.locator('[data-test=lang]').click()
    await page.locator('.el-table__header').getByText('Name', { exact: true }).waitFor()
    await ctx.close()
  })
})

describe('console login', () => {
  test('a new account must change its initial password before anything else', async () => {
    const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await login(page, server.url, '', 'newcomer')
    await page.waitForURL('**/password')
    await page.goto(`${server.url}/residents`)
    await page.waitForURL('**/password') // every page leads back until it is changed
    await page.locator('input[name=old_password]').fill('Wangge@2026')
    await page.locator('input[name=new_password]').fill('Xin-mima#2026')
    await page.locator('input[name=repeat]').fill('Xin-mima#2026')
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password') && r.status() === 204),
      page.locator('[data-test=change-password]').click(),
    ])
    // Then the landing page: 待办, for a grid worker handles events (issue 23).
    await page.waitForURL('**/workbench')
    await ctx.close()
  })
})

describe('reports', () => {
  test('pick a form, preview it for the org, download it as XLSX', async () => {
    const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN', acceptDownloads: true })
    const page = await ctx.newPage()
    await login(page, server.url, '', 'county')
    await page.goto(`${server.url}/reports`)
    await page.locator('[data-test=report-form]').click()
    await page.locator('.el-select-dropdown__item:visible').first().click()
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/reports/') && r.status() === 200),
      page.locator('[data-test=report-preview]').click(),
    ])
    const rows = page.locator('[data-test=report-table] .el-table__body tr')
    await rows.first().waitFor()
    assert.ok((await rows.count()) >= 2, 'a row per township and the totals')
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=report-xlsx]').click()])
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    await shot(page, 'console-report.png')

    // 花名册: a roster is picked from its own group, has no level, is one row per person with
    // the ID masked, and each fetch of it (preview, CSV) is written to the audit log.
    const county = await apiAs(server.url, 'county')
    const forms = (await county.get('/api/v1/forms')).json
    const roster = (forms.items ?? forms).find((f) => f.code === 'dibao_roster')
    assert.equal(roster?.kind, 'roster', 'the server lists the roster dibao_roster')
    const auditor = await apiAs(server.url, 'auditor')
    const exports = async () => {
      const r = await auditor.get('/api/v1/audit?action=roster.export&size=100')
      assert.equal(r.status, 200, r.text)
      return r.json.items.filter((x) => x.actor === 'county' && x.target === 'form:dibao_roster')
    }
    const seen = Math.max(0, ...(await exports()).map((x) => x.id))
    await page.locator('[data-test=report-level]').waitFor()
    await page.locator('[data-test=report-form]').click()
    const group = page.locator('.el-select-group__wrap:visible').filter({ has: page.locator('.el-select-group__title', { hasText: '花名册' }) })
    await group.locator('[data-test=form-dibao_roster]').click()
    await page.locator('[data-test=report-level]').waitFor({ state: 'detached' })
    await page.locator('[data-test=roster-audit-note]').filter({ hasText: '记入审计日志' }).waitFor()
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/reports/dibao_roster') && r.status() === 200),
      page.locator('[data-test=report-preview]').click(),
    ])
    const body = await res.json()
    assert.equal(body.kind, 'roster')
    assert.ok(body.count > 0, 'the demo county has people on 低保')
    assert.ok(!new URL(res.url()).searchParams.has('level'), 'a roster is asked for without a level')
    const people = page.locator('[data-test=roster-table] .el-table__body tr')
    await people.first().waitFor()
    assert.equal(await people.count(), Math.min(body.count, 50), 'one row per person, 50 a page')
    await page.locator('[data-test=roster-table] .el-table__body td').filter({ hasText: '********' }).first().waitFor()
    assert.ok(!/\d{17}[\dX]/.test(await page.locator('[data-test=roster-table]').innerText()), 'no ID number in clear')
    await page.locator('[data-test=roster-count]').filter({ hasText: `共 ${body.count} 人` }).waitFor()
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=report-csv]').click()])
    assert.match(csv.suggestedFilename(), /花名册.*\.csv$/)
    const text = readFileSync(await csv.path(), 'utf8')
    assert.ok(text.includes('********'), 'the CSV has the IDs masked')
    assert.ok(!/\d{17}[\dX]/.test(text), 'and none in clear')
    await shot(page, 'console-roster.png')
    await ctx.close()
    const audited = (await exports()).filter((x) => x.id > seen).map((x) => JSON.parse(x.detail).format)
    assert.deepEqual(audited.sort(), ['csv', 'json'], 'the preview and the CSV are audited')
  })
})
