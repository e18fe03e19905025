import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import solid from 'vite-plugin-solid'

export default defineConfig({
  root: 'web',
  plugins: [
    solid(),
    /*
     * The counter tablet installs the app to its home screen and opens it with no network: the service worker
     * (Workbox, generated at build) precaches the app shell, every chunk, the zxing wasm and the icons. It caches
     * no API answer: the kiosk keeps its own offline snapshot in IndexedDB (web/kiosk/offline/), and /api and
     * /ca.crt never get the app shell as a fallback.
     */
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      manifest: {
        name: '公益银行 · 爱心超市 柜台',
        short_name: '爱心超市',
        description: '村爱心超市柜台：扫卡、兑换，断网也能用',
        lang: 'zh-CN',
        start_url: '/kiosk',
        scope: '/',
        display: 'fullscreen',
        display_override: ['fullscreen', 'standalone'],
        orientation: 'any',
        background_color: '#ffffff',
        theme_color: '#c82028',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,png,svg,ico,woff2}'],
        maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/ca\.crt$/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Two entries: the committee and counter app, and the villager's phone page (/me), small on its own.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./web/index.html', import.meta.url)),
        me: fileURLToPath(new URL('./web/me.html', import.meta.url)),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
})
