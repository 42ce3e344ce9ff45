// Two builds from one source tree (web/scripts/build.mjs runs both):
//   console: index.html   → dist/index.html,   dist/assets/   (Element Plus, ECharts, Leaflet)
//   mobile:  m/index.html → dist/m/index.html, dist/m/assets/ (no Element Plus: a light bundle)
// `wangge serve --web-root web/dist` serves both, with SPA fallback at / and /m/.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig(({ mode }) => {
  const mobile = mode === 'mobile'
  return {
    root: here,
    base: '/',
    plugins: [vue()],
    build: {
      outDir: 'dist',
      emptyOutDir: !mobile,
      assetsDir: mobile ? 'm/assets' : 'assets',
      chunkSizeWarningLimit: 1500,
      rollupOptions: {
        input: mobile ? `${here}m/index.html` : `${here}index.html`,
      },
    },
    server: {
      proxy: { '/api': process.env.WANGGE_API ?? 'http://127.0.0.1:8080' },
    },
  }
})
