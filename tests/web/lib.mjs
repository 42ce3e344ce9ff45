// Helpers of the browser tests: start `wangge serve` on a free port and wait for its
// "serving" line, talk to its API as a given user, launch Debian's chromium through
// playwright-core, and save screenshots under docs/screenshots/.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import zlib from 'node:zlib'

export const repo = fileURLToPath(new URL('../..', import.meta.url))
const requireWeb = createRequire(join(repo, 'web/package.json'))
export const { chromium } = requireWeb('playwright-core')

export const PASSWORD = 'Wangge@2026'
export const screenshots = process.env.WANGGE_SCREENSHOTS ?? join(repo, 'docs/screenshots')

/**
 * Starts the server; resolves with {url, stop} once it prints the address it listens on.
 * command 'demo' serves the demo database with its live stream (extra: e.g. --live-interval).
 * config: TOML sections added to the suite's config file (WANGGE_CONFIG), e.g. '[map]\n…'.
 */
export function startServer({ bin, db, webRoot, command = 'serve', extra = [], config = '' }) {
  const args = [command, '--db', db, '--bind', '127.0.0.1', '--port', '0', '--web-root', webRoot, ...extra]
  let configFile = process.env.WANGGE_CONFIG
  if (config) {
    const base = configFile ? readFileSync(configFile, 'utf8') : ''
    configFile = join(mkdtempSync(join(tmpdir(), 'wangge-config-')), 'wangge.toml')
    writeFileSync(configFile, `${base}\n${config}`)
  }
  if (configFile) args.push('--config', configFile)
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log)
      if (m) {
        child.stdout.off('data', onData)
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          log: () => log,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done()
              child.once('exit', () => done())
              child.kill('SIGTERM')
            }),
        })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (c) => (log += c))
    child.once('exit', (code) => reject(new Error(`wangge serve exited (${code}) before serving:\n${log}`)))
  })
}

/** An API client logged in as `username` (bearer token: no cookie, no CSRF). */
export async function apiAs(base, username) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`)
  const { token } = await r.json()
  const call = async (method, path, body, extra = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...extra },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    let json = null
    try {
      json = JSON.parse(text)
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, text, headers: res.headers }
  }
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b), raw: call }
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  })
}

export async function shot(page, name) {
  mkdirSync(screenshots, { recursive: true })
  // From the top, so that sticky bars sit where a user sees them.
  await page.evaluate(() => window.scrollTo(0, 0))
  // A phone shows one screen (its fixed bars stay put); a desktop page is taken whole.
  const fullPage = (page.viewportSize()?.width ?? 0) > 600
  await page.screenshot({ path: join(screenshots, name), fullPage })
}

/** A real w×h PNG of one colour: photo uploads sniff the bytes, so it must be a true image. */
export function testPng(w = 64, h = 48, rgb = [240, 140, 40]) {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())])
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), data])) >>> 0)
    return Buffer.concat([len, Buffer.from(type), data, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: h }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Logs in on the console's or the phone app's login page. */
export async function login(page, base, prefix, username) {
  await page.goto(`${base}${prefix}/login`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(PASSWORD)
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.status() === 200),
    page.locator('[data-test=login]').click(),
  ])
  await page.waitForURL((u) => !u.pathname.endsWith('/login'))
}
