// Browser tests of issue 22 (the phone app in the hills), on a 360×740 phone in headless chromium:
//   1. logged in once online, the app opens again with no network after its page was closed:
//      home, the grid's households and the report form; an event reported then waits in the
//      待发送 list (also after reopening offline) and is sent exactly once when the network returns;
//   2. a new build served while the app is open is used from the next open only, never half-way.
// Run by scripts/web-test.sh (WANGGE_BIN, WANGGE_DB, WANGGE_WEB_ROOT).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiAs, launch, login, shot, startServer } from './lib.mjs'

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' }

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

/** Resolves once the page's service worker is active (it then serves every later open). */
const swReady = (page) => page.evaluate(() => navigator.serviceWorker.ready.then((r) => !!r.active))
const buildOf = (page) => page.locator('meta[name=wangge-build]').getAttribute('content')

describe('the phone app with no network', () => {
  let server
  before(async () => {
    server = await startServer({ bin: BIN, db: DB, webRoot: WEB_ROOT })
  })
  after(async () => {
    await server?.stop()
  })

  test('opens offline after the page was closed; a report made then is sent once online', async () => {
    // Negative control: a phone that never opened the app gets nothing offline.
    const fresh = await browser.newContext(PHONE)
    await fresh.setOffline(true)
    await assert.rejects(fresh.newPage().then((p) => p.goto(`${server.url}/m/`)), /ERR_INTERNET_DISCONNECTED/)
    await fresh.close()

    const context = await browser.newContext(PHONE)
    let page = await context.newPage()
    await login(page, server.url, '/m', 'gridworker')
    assert.ok(await swReady(page), 'the service worker is active after the first visit')
    await page.locator('[data-test=last-sync]:not([data-at=""])').waitFor()

    await context.setOffline(true)
    await page.close()
    page = await context.newPage()
    await page.goto(`${server.url}/m/`)
    await page.locator('[data-test=offline-banner]').waitFor()
    await page.locator('[data-test=last-sync]:not([data-at=""])').waitFor()
    await page.locator('[data-test=people-count]').filter({ hasText: /^\d+$/ }).waitFor()
    await shot(page, 'phone-home-offline.png')

    // The grid's households, from the phone's copy.
    await page.locator('.tabs a[href="/m/grid"]').click()
    await page.locator('[data-test=household]').first().waitFor()
    assert.ok((await page.locator('[data-test=household]').count()) > 0)

    // The report form, with the categories kept on the phone.
    await page.locator('.tabs a[href="/m/report"]').click()
    const option = page.locator('[data-test=category] option:not([disabled])')
    await option.first().waitFor({ state: 'attached' })
    const title = `山体滑坡隐患 离线 ${Date.now()}`
    await page.locator('[data-test=category]').selectOption(await option.first().getAttribute('value'))
    await page.locator('[data-test=title]').fill(title)
    await page.locator('[data-test=submit-report]').click()
    await page.locator('[data-test=report-queued]').filter({ hasText: '已保存在手机' }).waitFor()

    const worker = await apiAs(server.url, 'gridworker')
    const ours = async () => {
      const r = await worker.get('/api/v1/events?size=100')
      assert.equal(r.status, 200, r.text)
      return r.json.items.filter((e) => e.title === title)
    }
    assert.equal((await ours()).length, 0, 'nothing reaches the server while offline')

    // Closed and opened again, still offline: the report waits in 待发送.
    await page.close()
    page = await context.newPage()
    await page.goto(`${server.url}/m/`)
    await page.locator('[data-test=queued-banner]').click()
    await page.locator('[data-test=queued-item]').filter({ hasText: title }).waitFor()
    await shot(page, 'phone-queue-offline.png')

    const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/events') && r.request().method() === 'POST')
    await context.setOffline(false)
    assert.equal((await sent).status(), 201)
    await page.locator('[data-test=queue-count][data-count="0"]').waitFor()
    assert.equal((await ours()).length, 1, 'sent exactly once')
    await context.close()
  })
})

describe('a report saved online', () => {
  let server
  before(async () => {
    server = await startServer({ bin: BIN, db: DB, webRoot: WEB_ROOT })
  })
  after(async () => {
    await server?.stop()
  })

  test('answers with the event number; with no title typed, the title is category·place', async () => {
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await login(page, server.url, '/m', 'gridworker')
    await page.goto(`${server.url}/m/report`)
    const option = page.locator('[data-test=category] option:not([disabled])')
    await option.first().waitFor({ state: 'attached' })
    const category = await option.first().textContent()
    await page.locator('[data-test=category]').selectOption(await option.first().getAttribute('value'))
    const address = `幸福路${Date.now() % 100000}号`
    await page.locator('input[name=address]').fill(address)
    await page.locator('[data-test=submit-report]').click()
    const banner = page.locator('[data-test=report-queued]').filter({ hasText: /已上报，事件编号 #\d+/ })
    await banner.waitFor()
    const id = Number(/#(\d+)/.exec(await banner.textContent())[1])
    const worker = await apiAs(server.url, 'gridworker')
    const e = await worker.get(`/api/v1/events/${id}`)
    assert.equal(e.status, 200, e.text)
    assert.equal(e.json.title, `${category.trim()}·${address}`)
    assert.equal(e.json.address, address)
    await shot(page, 'phone-report-sent.png')
    await context.close()
  })
})

describe('a new build of the phone app', () => {
  let server
  let root
  before(async () => {
    // A copy of the build that the test can replace while the server serves it.
    root = mkdtempSync(join(tmpdir(), 'wangge-phone-build-'))
    cpSync(WEB_ROOT, root, { recursive: true })
    server = await startServer({ bin: BIN, db: DB, webRoot: root })
  })
  after(async () => {
    await server?.stop()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  /** Serves a "new build": the same files under another build id (sw.js changes, so it updates). */
  function deploy(id, { sw = true } = {}) {
    const files = sw ? ['m/index.html', 'm/sw.js'] : ['m/index.html']
    for (const f of files) {
      const p = join(root, f)
      writeFileSync(p, readFileSync(p, 'utf8').replace(/(wangge-build" content="|const BUILD = ')[0-9a-z]+/g, `$1${id}`))
      // The build's precompressed copies would still be the old build's.
      for (const ext of ['.br', '.gz']) rmSync(p + ext, { force: true })
    }
  }

  test('is used from the next open of the app, never half-way', async () => {
    const context = await browser.newContext(PHONE)
    let page = await context.newPage()
    await page.goto(`${server.url}/m/login`)
    assert.ok(await swReady(page))
    await page.reload()
    const first = await buildOf(page)
    assert.match(first, /^[0-9a-f]{12}$/)
    assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the page is served by the worker')

    deploy('b0000000000b')
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration()
      await reg.update()
    })
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state === 'installed')
    await page.locator('[data-test=update-ready]').waitFor()
    // The server now has a third shell the worker never cached: a page showing it was not
    // served by a worker's cache.
    deploy('c0000000000c', { sw: false })

    // Reloading is not a new open: the running build stays, whole.
    await page.reload()
    assert.equal(await buildOf(page), first, 'a reload keeps the build the app was opened with')
    await page.locator('[data-test=login]').waitFor()

    await page.close()
    page = await context.newPage()
    await page.goto(`${server.url}/m/login`)
    assert.equal(await buildOf(page), 'b0000000000b', 'the next open uses the new build')
    await page.locator('[data-test=login]').waitFor()
    await context.close()
  })
})
