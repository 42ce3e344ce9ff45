// Maps that show the place (issue 17): the dashboard's map draws the outlines of the org's
// children coloured by a figure and labelled, and drills down county → township → village,
// whose grids it outlines; the event page draws the event's grid outline and its point. The
// outlines come from GET /api/v1/orgs/{code}/boundaries, scoped like the rest of the org API,
// and PUT /api/v1/orgs/{code}/boundary refuses bad GeoJSON with a 400 and writes nothing.
// Counts drawn are checked against the API's answer, so a map that draws nothing, or draws
// points instead of outlines, fails. Screenshots go to docs/screenshots/.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiAs, launch, login, shot, startServer } from './lib.mjs'

const BIN = process.env.WANGGE_BIN
const DB = process.env.WANGGE_DB
const WEB_ROOT = process.env.WANGGE_WEB_ROOT
if (!BIN || !DB || !WEB_ROOT) throw new Error('set WANGGE_BIN, WANGGE_DB and WANGGE_WEB_ROOT (scripts/web-test.sh does)')

const DESKTOP = { viewport: { width: 1366, height: 900 } }
const COUNTY = '530621000000' // 鲁甸县, the demo's county operator

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

/** The children of `code` that have an outline, as the API gives them. */
async function outlined(api, code) {
  const r = await api.get(`/api/v1/orgs/${code}/boundaries`)
  assert.equal(r.status, 200, r.text)
  return r.json.items.filter((o) => o.boundary)
}

/** Waits until the map in `box` draws `n` outlined areas, and returns their fill colours. */
async function drawnAreas(box, n) {
  const map = box.locator('[data-test=map]')
  await map.locator(`path.wg-region >> nth=${n - 1}`).waitFor()
  assert.equal(await map.locator('path.wg-region').count(), n)
  assert.equal(await map.getAttribute('data-regions'), String(n))
  return map.locator('path.wg-region').evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')))
}

/** Even-odd point-in-polygon over every ring of a GeoJSON Polygon or MultiPolygon. */
function inside(geometry, x, y) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let odd = false
  for (const ring of polygons.flat()) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]
      const [xj, yj] = ring[j]
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd
    }
  }
  return odd
}

describe('maps', () => {
  test('the dashboard map outlines townships, villages and grids, coloured and labelled', async () => {
    const api = await apiAs(server.url, 'county')
    const townships = await outlined(api, COUNTY)
    assert.ok(townships.length >= 2, 'the demo gives every township an outline')
    const page = await browser.newPage(DESKTOP)
    try {
      await login(page, server.url, '', 'county')
      await page.goto(`${server.url}/dashboard`)
      const box = page.locator('[data-test=dash-map]')
      const fills = await drawnAreas(box, townships.length)
      // Filled by the figure: every fill is one of the palette's, and no dot stands in for an area.
      assert.ok(fills.every((f) => /^#[0-9a-f]{6}$/i.test(f)), fills.join(','))
      assert.equal(await box.locator('path.wg-point').count(), 0)
      // Labelled with the townships' names.
      const labels = await box.locator('.wg-region-label').allInnerTexts()
      for (const t of townships) assert.ok(labels.some((l) => l.includes(t.name)), `label ${t.name}`)
      await shot(page, 'dashboard-map-county.png')

      // Red households colour the same areas differently from open events somewhere, or at least
      // redraw them all.
      await box.locator('[data-test=map-measure] label').nth(2).click()
      await drawnAreas(box, townships.length)

      // Down to a township: its villages.
      const township = townships[0]
      const villages = await outlined(api, township.code)
      await box.locator('path.wg-region').first().click()
      await box.locator('[data-test=map-up]').waitFor()
      await drawnAreas(box, villages.length)
      // Down to a village: its grids, each outlined.
      const grids = await outlined(api, villages[0].code)
      assert.ok(grids.length >= 1)
      await box.locator('path.wg-region').first().click()
      await box.getByText(villages[0].name).first().waitFor()
      await drawnAreas(box, grids.length)
      const gridLabels = await box.locator('.wg-region-label').allInnerTexts()
      assert.ok(gridLabels.some((l) => l.includes(grids[0].name)))
      // The village's own outline is drawn around them.
      assert.equal(await box.locator('path.wg-outline').count(), 1)
      await shot(page, 'dashboard-map-grids.png')
    } finally {
      await page.close()
    }
  })

  test('the event page shows the event’s grid outline and its point', async () => {
    const api = await apiAs(server.url, 'county')
    const list = await api.get(`/api/v1/events?org=${COUNTY}&size=50`)
    assert.equal(list.status, 200, list.text)
    // A demo event placed inside its grid (the demo puts every one there; an event reported
    // from elsewhere, as the other browser tests do, may lie outside).
    let ev = null
    for (const e of list.json.items.filter((x) => x.lat != null && x.grid)) {
      const g = await api.get(`/api/v1/orgs/${e.grid}/boundaries`)
      if (g.status === 200 && g.json.org.boundary && inside(g.json.org.boundary, e.lng, e.lat)) {
        ev = e
        break
      }
    }
    assert.ok(ev, 'a demo event with a place inside its grid')
    const page = await browser.newPage(DESKTOP)
    try {
      await login(page, server.url, '', 'county')
      await page.goto(`${server.url}/events/${ev.id}`)
      const box = page
      await drawnAreas(page, 1)
      assert.equal(await box.locator('path.wg-point').count(), 1)
      // The point lies inside the outline as drawn: its centre is within the area's box.
      const area = await box.locator('path.wg-region').boundingBox()
      const dot = await box.locator('path.wg-point').boundingBox()
      const cx = dot.x + dot.width / 2
      const cy = dot.y + dot.height / 2
      assert.ok(cx >= area.x && cx <= area.x + area.width && cy >= area.y && cy <= area.y + area.height)
      assert.ok(
        (await box.locator('.wg-region-label').innerText()).length > 0,
        'the grid is labelled',
      )
      await shot(page, 'event-map.png')
    } finally {
      await page.close()
    }
  })

  test('outlines are scoped and bad GeoJSON is refused with nothing written', async () => {
    // The demo's township operator holds the county's first township.
    const county = await apiAs(server.url, 'county')
    const [mine, other] = await outlined(county, COUNTY)
    const township = await apiAs(server.url, 'township')
    const own = await township.get(`/api/v1/orgs/${mine.code}/boundaries`)
    assert.equal(own.status, 200, own.text)
    assert.ok(own.json.org.boundary && own.json.items.every((v) => v.boundary))
    // Outside its subtree: 404, as for any org.
    assert.equal((await township.get(`/api/v1/orgs/${COUNTY}/boundaries`)).status, 404)
    assert.equal((await township.get(`/api/v1/orgs/${other.code}/boundaries`)).status, 404)

    const admin = await apiAs(server.url, 'admin')
    const before = (await admin.get(`/api/v1/orgs/${COUNTY}/boundaries`)).json.org.boundary
    assert.ok(before)
    const open = { type: 'Polygon', coordinates: [[[103.5, 27.1], [103.6, 27.1], [103.6, 27.2], [103.5, 27.2]]] }
    const zh = await admin.raw('PUT', `/api/v1/orgs/${COUNTY}/boundary`, open)
    assert.equal(zh.status, 400, zh.text)
    assert.match(zh.json.error.message, /未闭合/)
    const en = await admin.raw('PUT', `/api/v1/orgs/${COUNTY}/boundary`, { type: 'Point', coordinates: [1, 2] }, { 'Accept-Language': 'en' })
    assert.equal(en.status, 400, en.text)
    assert.match(en.json.error.message, /Polygon or MultiPolygon/)
    assert.deepEqual((await admin.get(`/api/v1/orgs/${COUNTY}/boundaries`)).json.org.boundary, before)
  })
})
