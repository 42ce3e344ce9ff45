// Builds both apps into dist/ (the console at /, the phone app at /m/) and prints each
// bundle's size gzipped; fails when the phone app's JavaScript and CSS pass 300 KB gzipped
// (the budget of issue 7: a grid worker's phone on a weak mountain 4G link).
import { build } from 'vite'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { installable } from './pwa.mjs'
import { precompress } from './precompress.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const PHONE_BUDGET = 300 * 1024

function sizes(dir) {
  let raw = 0
  let gz = 0
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory() || !/\.(js|css)$/.test(f)) continue
    const b = readFileSync(p)
    raw += b.length
    gz += gzipSync(b, { level: 9 }).length
  }
  return { raw, gz }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`

await build({ root, mode: 'console', logLevel: 'warn' })
await build({ root, mode: 'mobile', logLevel: 'warn' })
const buildId = installable(root)
console.log(`web phone build ${buildId}: manifest, icons and service worker written`)
// Last, so that sw.js, the manifest and the shell are compressed too.
const packed = precompress(join(root, 'dist'))
console.log(`web precompressed: ${kb(packed.raw)} of text files, ${kb(packed.br)} as brotli (.br and .gz beside each)`)

const consoleSize = sizes(join(root, 'dist/assets'))
const phone = sizes(join(root, 'dist/m/assets'))
console.log(`web bundle console (/): ${kb(consoleSize.raw)}, ${kb(consoleSize.gz)} gzipped (all chunks, loaded per page)`)
console.log(`web bundle phone (/m/): ${kb(phone.raw)}, ${kb(phone.gz)} gzipped (budget ${kb(PHONE_BUDGET)})`)
const elementInPhone = readdirSync(join(root, 'dist/m/assets')).some((f) =>
  readFileSync(join(root, 'dist/m/assets', f), 'utf8').includes('ElementPlus'),
)
if (elementInPhone) {
  console.error('web build: Element Plus found in the phone bundle')
  process.exit(1)
}
if (phone.gz > PHONE_BUDGET) {
  console.error('web build: the phone app is over its 300 KB budget')
  process.exit(1)
}
