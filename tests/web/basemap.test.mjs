// The base map (issue 17): a tile URL in the server's config ([map] tile_url) reaches every
// user's maps through GET /api/v1/map and is drawn under the outlines, with the provider's
// credit; a browser's own tile URL ("底图设置") takes its place. The tile server is played by
// the test (the machine has no network): every tile request is answered with a small PNG and
// counted, so a map that never asks for tiles fails.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, startServer, testPng } from './lib.mjs'

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

const SERVER_TILES = 'https://tiles.county.test'
const OWN_TILES = 'https://tiles.mine.test'
const CREDIT = '© 县测绘中心'

let server
let browser

before(async () => {
  server = await startServer({
    bin: BIN,
    db: DB,
    webRoot: WEB_ROOT,
    config: `[map]\ntile_url = "${SERVER_TILES}/{z}/{x}/{y}.png"\ntile_attribution = "${CREDIT}"\n`,
  })
  browser = await launch()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

describe('base map', () => {
  test('the configured tiles are drawn under the outlines with their credit; a browser’s own URL wins', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    const asked = { [SERVER_TILES]: 0, [OWN_TILES]: 0 }
    const tile = testPng(256, 256, [200, 220, 200])
    for (const host of Object.keys(asked)) {
      await page.route(`${host}/**`, (route) => {
        asked[host] += 1
        return route.fulfill({ status: 200, contentType: 'image/png', body: tile })
      })
    }
    try {
      await login(page, server.url, '', 'county')
      await page.goto(`${server.url}/dashboard`)
      const map = page.locator('[data-test=dash-map] [data-test=map]')
      await map.locator('path.wg-region').first().waitFor()
      await map.locator(`img.leaflet-tile[src^="${SERVER_TILES}/"]`).first().waitFor()
      assert.ok(asked[SERVER_TILES] > 0, 'no tile was asked of the configured server')
      assert.equal(asked[OWN_TILES], 0)
      assert.match(await map.locator('.leaflet-control-attribution').innerText(), /县测绘中心/)
      // The tiles lie under the outlines: the tile pane is below the overlay pane.
      const z = await map.evaluate((el) => {
        const zi = (sel) => Number(getComputedStyle(el.querySelector(sel)).zIndex)
        return { tiles: zi('.leaflet-tile-pane'), outlines: zi('.leaflet-overlay-pane') }
      })
      assert.ok(z.tiles < z.outlines, JSON.stringify(z))

      // This browser's own tile URL takes the place of the server's.
      await page.evaluate((url) => localStorage.setItem('wangge.tileUrl', url), `${OWN_TILES}/{z}/{x}/{y}.png`)
      await page.reload()
      await map.locator(`img.leaflet-tile[src^="${OWN_TILES}/"]`).first().waitFor()
      assert.ok(asked[OWN_TILES] > 0)
      assert.equal(await map.locator(`img.leaflet-tile[src^="${SERVER_TILES}/"]`).count(), 0)
    } finally {
      await page.close()
    }
  })
})
