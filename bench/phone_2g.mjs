// The phone app's first screen on a 2G link (issue 22): Chromium's network emulation at 250 kbps
// down, 64 kbps up and 800 ms round trip (CDP Network.emulateNetworkConditions), a 360×740
// phone, a first visit (empty cache) to /m/ until the login form is on screen, then a return
// visit with no network at all until the same form is there (the service worker's copy).
// Two builds of the same web/dist are compared: "before" without the precompressed copies (the
// server sends every file whole, as it did before issue 22), "after" as built.
// Prints one line per case: time to the first screen and the bytes that crossed the link.
// Usage: node bench/phone_2g.mjs   (after scripts/build.sh and scripts/web-build.sh)
//   WANGGE_BIN (default build/bin/wangge), WANGGE_WEB_ROOT (default web/dist), CHROMIUM.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launch, repo, startServer } from '../tests/web/lib.mjs'

const BIN = process.env.WANGGE_BIN ?? join(repo, 'build/bin/wangge')
const WEB_ROOT = process.env.WANGGE_WEB_ROOT ?? join(repo, 'web/dist')
const LINK = { offline: false, latency: 800, downloadThroughput: (250 * 1000) / 8, uploadThroughput: (64 * 1000) / 8 }
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' }

const work = mkdtempSync(join(tmpdir(), 'wangge-phone-2g-'))
const db = join(work, 'demo.db')
execFileSync(BIN, ['demo', '--scale', '0.002', '--no-serve', '--db', db], { stdio: 'ignore' })

function withoutCopies(dir) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) withoutCopies(p)
    else if (/\.(br|gz)$/.test(f)) rmSync(p)
  }
}
const before = join(work, 'before')
cpSync(WEB_ROOT, before, { recursive: true })
withoutCopies(before)

const browser = await launch()
for (const [name, root] of [
  ['before (no precompressed copies)', before],
  ['after', WEB_ROOT],
]) {
  const server = await startServer({ bin: BIN, db, webRoot: root })
  const context = await browser.newContext(PHONE)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', LINK)
  let bytes = 0
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength))
  const t0 = Date.now()
  await page.goto(`${server.url}/m/`, { waitUntil: 'commit' })
  await page.locator('[data-test=login]').waitFor()
  const first = Date.now() - t0
  console.log(`phone 2G first visit, ${name}: first screen ${(first / 1000).toFixed(2)} s, ${(bytes / 1024).toFixed(1)} KB over the link`)

  // A return visit with no network: the worker's copy, once it is active.
  await page.evaluate(() => navigator.serviceWorker.ready)
  await page.close()
  await context.setOffline(true)
  const again = await context.newPage()
  const t1 = Date.now()
  await again.goto(`${server.url}/m/`, { waitUntil: 'commit' })
  await again.locator('[data-test=login]').waitFor()
  console.log(`phone return visit offline, ${name}: first screen ${((Date.now() - t1) / 1000).toFixed(2)} s`)
  await context.close()
  await server.stop()
}
await browser.close()
rmSync(work, { recursive: true, force: true })
