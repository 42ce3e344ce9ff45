// One hand (issue 22): on a 360×740 phone, every interactive element of every phone page is at
// least 44×44 px (a checkbox counts as the label around it, which takes the tap), and the page's
// main action (提交, 保存) is in sight above the tab bar without scrolling. A failure lists every
// offender with its page. Run by scripts/web-test.sh (WANGGE_BIN, WANGGE_DB, WANGGE_WEB_ROOT).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiAs, launch, login, startServer } from './lib.mjs'

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' }
const MIN = 44

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

/** The visible interactive elements smaller than MIN×MIN on the page, described. */
function smallTargets(page, min = MIN) {
  return page.evaluate((min) => {
    const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])'
    const out = []
    for (const el of document.querySelectorAll(sel)) {
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || style.display === 'none') continue
      // A checkbox or radio is tapped through its label.
      const target = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') ?? el) : el
      const r = target.getBoundingClientRect()
      if (r.width === 0 && r.height === 0) continue
      if (r.width < min || r.height < min) {
        const name = (el.getAttribute('data-test') ?? el.getAttribute('name') ?? el.textContent ?? '').trim().slice(0, 24)
        out.push(`${el.tagName.toLowerCase()}${el.type ? `[${el.type}]` : ''} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`)
      }
    }
    return out
  }, min)
}

test('every control of every phone page is at least 44×44 px at 360×740', async () => {
  const worker = await apiAs(server.url, 'gridworker')
  const tasks = (await worker.get('/api/v1/events?size=5')).json.items
  const people = (await worker.get('/api/v1/residents?size=1')).json.items
  assert.ok(tasks.length && people.length, 'the demo gives the worker tasks and people')

  const context = await browser.newContext(PHONE)
  const page = await context.newPage()
  const offenders = []
  const measure = async (name) => {
    for (const o of await smallTargets(page)) offenders.push(`${name}: ${o}`)
  }
  await page.goto(`${server.url}/m/login`)
  await page.locator('[data-test=login]').waitFor()
  await measure('/m/login')
  await login(page, server.url, '/m', 'gridworker')

  // A patrol entry saved offline, so that 待发送 lists an item with its buttons (measured
  // offline, before the network returns and sends it).
  await page.goto(`${server.url}/m/patrol`)
  await page.locator('[data-test=save-patrol]').waitFor()
  await page.evaluate(() => navigator.serviceWorker.ready)
  await context.setOffline(true)
  await page.locator('textarea[name=look]').fill('触控测试')
  await page.locator('[data-test=save-patrol]').click()
  await page.locator('[data-test=patrol-saved]').waitFor()
  await page.goto(`${server.url}/m/queue`)
  await page.locator('[data-test=queued-item]').first().waitFor()
  await measure('/m/queue')
  await context.setOffline(false)

  const pages = [
    ['/m/', '[data-test=last-sync]'],
    ['/m/grid', '[data-test=household]'],
    [`/m/households/${people[0].household_id}`, '.m-list li'],
    ['/m/report', '[data-test=submit-report]'],
    ['/m/tasks', '[data-test^=task-]'],
    [`/m/tasks/${tasks[0].id}`, '[data-test=event-title]'],
    ['/m/patrol', '[data-test=save-patrol]'],
  ]
  for (const [path, ready] of pages) {
    await page.goto(`${server.url}${path}`)
    await page.locator(ready).first().waitFor()
    await measure(path)
  }
  assert.deepEqual(offenders, [], `controls smaller than ${MIN}×${MIN} px:\n${offenders.join('\n')}`)
  await context.close()
})

test('the main action stays in sight above the tab bar', async () => {
  const context = await browser.newContext(PHONE)
  const page = await context.newPage()
  await login(page, server.url, '/m', 'gridworker')
  for (const [path, button] of [['/m/report', 'submit-report'], ['/m/patrol', 'save-patrol']]) {
    await page.goto(`${server.url}${path}`)
    const b = await page.locator(`[data-test=${button}]`).boundingBox()
    const tabs = await page.locator('.tabs').boundingBox()
    assert.ok(b.y >= 0 && b.y + b.height <= tabs.y, `${path}: ${button} at ${b.y}–${b.y + b.height}, the tab bar at ${tabs.y}`)
  }
  await context.close()
})
