// Makes the built phone app (dist/m/) installable and able to open offline: draws its icons
// (SVG and PNG, no image kept in the repository), writes the web app manifest, links both from
// dist/m/index.html with the build id, and writes dist/m/sw.js from web/m/sw.js with that id and
// the list of every file the app needs. The id is a hash of those files, so the same sources give
// the same sw.js (no needless update) and any change gives a new one.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

export const APP_NAME = '网格通'
const BLUE = [0x1f, 0x6f, 0xeb]
const WHITE = [0xff, 0xff, 0xff]

// The icon: a white 3×3 grid (网格) with a location dot, on blue; everything inside the middle
// 60 % so that a maskable crop keeps it. Coordinates are fractions of the side.
const GRID = { from: 0.25, to: 0.75, line: 0.035 }
const DOT = { x: 0.5, y: 0.5, r: 0.055 }

function iconPixel(x, y) {
  const { from, to, line } = GRID
  const inside = x >= from - line / 2 && x <= to + line / 2 && y >= from - line / 2 && y <= to + line / 2
  if ((x - DOT.x) ** 2 + (y - DOT.y) ** 2 <= DOT.r ** 2) return WHITE
  if (inside) {
    const step = (to - from) / 3
    for (let i = 0; i <= 3; i++) {
      const at = from + i * step
      if (Math.abs(x - at) <= line / 2 || Math.abs(y - at) <= line / 2) return WHITE
    }
  }
  return BLUE
}

function iconSvg() {
  const { from, to, line } = GRID
  const step = (to - from) / 3
  const s = (v) => (v * 512).toFixed(1)
  const lines = [0, 1, 2, 3].flatMap((i) => {
    const at = s(from + i * step)
    return [`<line x1="${at}" y1="${s(from)}" x2="${at}" y2="${s(to)}"/>`, `<line x1="${s(from)}" y1="${at}" x2="${s(to)}" y2="${at}"/>`]
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#1f6feb"/><g stroke="#fff" stroke-width="${s(line)}" stroke-linecap="square">${lines.join('')}</g><circle cx="${s(DOT.x)}" cy="${s(DOT.y)}" r="${s(DOT.r)}" fill="#fff"/></svg>\n`
}

function png(size) {
  const rows = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3)
    for (let x = 0; x < size; x++) row.set(iconPixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 3)
    rows.push(row)
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])) >>> 0)
    return Buffer.concat([len, Buffer.from(type), data, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** Writes the icons, manifest and sw.js into root/dist/m and links them; returns the build id. */
export function installable(root) {
  const out = join(root, 'dist/m')
  writeFileSync(join(out, 'icon.svg'), iconSvg())
  writeFileSync(join(out, 'icon-192.png'), png(192))
  writeFileSync(join(out, 'icon-512.png'), png(512))
  const manifest = {
    name: APP_NAME,
    short_name: APP_NAME,
    description: '网格员的手机应用：上报、任务、巡查、我的网格（无网络也能打开）',
    lang: 'zh-CN',
    start_url: '/m/',
    scope: '/m/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#f3f5f8',
    theme_color: '#1f6feb',
    icons: [
      { src: '/m/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
      { src: '/m/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
      { src: '/m/icon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  }
  writeFileSync(join(out, 'manifest.webmanifest'), `${JSON.stringify(manifest, null, 2)}\n`)

  // Every file of the build but sw.js itself and the precompressed copies.
  const files = filesUnder(out)
    .map((p) => `/m/${relative(out, p).split('\\').join('/')}`)
    .filter((u) => u !== '/m/sw.js' && !/\.(gz|br)$/.test(u))
    .sort()
  const hash = createHash('sha256')
  for (const u of files) hash.update(u).update('\0').update(readFileSync(join(out, u.slice(3)))).update('\0')
  hash.update(readFileSync(join(root, 'm/sw.js')))
  const id = hash.digest('hex').slice(0, 12)

  const indexPath = join(out, 'index.html')
  const head = [
    `<meta name="wangge-build" content="${id}" />`,
    '<link rel="manifest" href="/m/manifest.webmanifest" />',
    '<link rel="icon" href="/m/icon.svg" type="image/svg+xml" />',
    '<link rel="apple-touch-icon" href="/m/icon-192.png" />',
    `<meta name="apple-mobile-web-app-title" content="${APP_NAME}" />`,
  ].join('\n    ')
  const html = readFileSync(indexPath, 'utf8').replace('</head>', `  ${head}\n  </head>`)
  writeFileSync(indexPath, html)

  const sw = readFileSync(join(root, 'm/sw.js'), 'utf8')
    .replace('__WANGGE_BUILD__', id)
    .replace('__WANGGE_FILES__', JSON.stringify(files))
  writeFileSync(join(out, 'sw.js'), sw)
  return id
}
