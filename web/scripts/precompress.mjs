// Writes name.gz and name.br beside every text file of the build (scripts, styles, HTML, SVG,
// JSON, the manifest), for `wangge serve` to send by Accept-Encoding without compressing on each
// request (src/http/static_files.cpp). A copy no smaller than the file is not kept.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map)$/

function filesUnder(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** Compresses every text file under dir; returns the bytes before and after (brotli). */
export function precompress(dir) {
  let raw = 0
  let br = 0
  for (const p of filesUnder(dir)) {
    if (!TEXT.test(p)) continue
    const bytes = readFileSync(p)
    const copies = {
      gz: gzipSync(bytes, { level: 9 }),
      br: brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        },
      }),
    }
    for (const [ext, c] of Object.entries(copies)) {
      if (c.length < bytes.length) writeFileSync(`${p}.${ext}`, c)
      else rmSync(`${p}.${ext}`, { force: true })
    }
    raw += bytes.length
    br += Math.min(copies.br.length, bytes.length)
  }
  return { raw, br }
}
