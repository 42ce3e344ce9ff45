// Browser tests of issue 23, item 6 (the registry list), against a real `wangge serve` over the
// small demo database (scripts/web-test.sh):
//   - each row names its full place (社区 + 网格 + 微网格, as the API gives it), not the grid alone;
//   - the 红黄绿 column shows the household's colour for every row (no "—" for people whose
//     household is 绿);
//   - 新增 registers a resident in an existing household; a bad ID number is refused in the
//     dialog in Chinese and nothing is written.
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

/** A valid 公民身份号码 (GB 11643, MOD 11-2 check digit) born in 1990. */
function idNumber(seq) {
  const body = `530621199001${String(10 + (seq % 18)).padStart(2, '0')}${String(seq % 1000).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

describe('registry list', () => {
  test('full place names and the household colour on every row', async () => {
    const api = await apiAs(server.url, 'village')
    const first = await api.get('/api/v1/residents?size=20')
    assert.equal(first.status, 200, first.text)
    const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await login(page, server.url, '', 'village')
    await page.goto(`${server.url}/residents`)
    const rows = page.locator('[data-test=registry-table] .el-table__body-wrapper tbody tr')
    await rows.first().waitFor()
    const n = await rows.count()
    assert.equal(n, first.json.items.length)
    const text = await page.locator('[data-test=registry-table] .el-table__body-wrapper').innerText()
    for (const r of first.json.items) {
      assert.ok(r.place.length > r.org_name.length || r.place === r.org_name, `${r.place} holds ${r.org_name}`)
      assert.match(r.place, /(村|社区).*网格/, `the place names the 村/社区 and the grid: ${r.place}`)
      assert.ok(text.includes(r.place), `the page shows ${r.place}`)
      assert.ok(r.household_color, `${r.name} has a household colour`)
    }
    assert.equal(await page.locator('[data-test=registry-table] [data-test=row-color][data-color]').count(), n, 'every row has a colour')
    assert.ok(first.json.items.some((r) => !r.color), 'the demo has people without a colour of their own')
    await shot(page, 'console-registry.png')
    await ctx.close()
  })

  test('新增 registers a resident; a bad ID number is refused in the dialog', async () => {
    const api = await apiAs(server.url, 'village')
    const household = (await api.get('/api/v1/residents?size=1')).json.items[0].household_no
    const name = `新增${[0, 1, 2].map((i) => String.fromCharCode(0x4e00 + ((Date.now() >> (i * 7)) % 5000))).join('')}`
    const ctx = await browser.newContext({ ...DESKTOP, locale: 'zh-CN' })
    const page = await ctx.newPage()
    await login(page, server.url, '', 'village')
    await page.goto(`${server.url}/residents`)
    await page.locator('[data-test=registry-new]').click()
    const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test=new-save]') })
    await dialog.locator('input[name=household_no]').fill(household)
    await dialog.locator('input[name=name]').fill(name)
    const good = idNumber(Date.now())
    const bad = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1')
    await dialog.locator('input[name=id_number]').fill(bad)
    const [refused] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/residents' && r.request().method() === 'POST'),
      dialog.locator('[data-test=new-save]').click(),
    ])
    assert.equal(refused.status(), 400)
    const error = await dialog.locator('[data-test=new-error]').innerText()
    assert.match(error, /[\u4e00-\u9fff]/, `a Chinese message: ${error}`)
    assert.equal((await api.get(`/api/v1/residents?q=${encodeURIComponent(name)}`)).json.items.length, 0, 'nothing written')

    await dialog.locator('input[name=id_number]').fill(good)
    const [saved] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/residents' && r.request().method() === 'POST'),
      dialog.locator('[data-test=new-save]').click(),
    ])
    const savedBody = await saved.text()
    assert.equal(saved.status(), 201, `${savedBody} (${saved.request().postData()})`)
    await dialog.waitFor({ state: 'hidden' })
    const found = (await api.get(`/api/v1/residents?q=${encodeURIComponent(name)}`)).json.items
    assert.equal(found.length, 1)
    assert.equal(found[0].household_no, household)
    await ctx.close()
  })
})
