import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase } from '../db/database.js'
import { createApp, IMMUTABLE } from '../server/app.js'
import { AuditLog } from '../server/audit/audit.service.js'
import { loadSecrets } from '../server/auth/secrets.js'

/*
 * Issue 17: the counter tablet on weak village Wi-Fi loads the kiosk once. The built web app goes out compressed
 * (JS, CSS, HTML, the zxing wasm), Vite's hashed assets are cached for good, index.html is checked every time.
 */

const root = mkdtempSync(join(tmpdir(), 'gongyi-web-'))
mkdirSync(join(root, 'assets'))
const js = `console.log(${JSON.stringify('公益'.repeat(2000))})\n`
writeFileSync(
  join(root, 'index.html'),
  `<!doctype html><html><head><script src="/assets/index-abc123.js"></script></head><body>${'<!-- -->'.repeat(300)}</body></html>`,
)
writeFileSync(join(root, 'assets', 'index-abc123.js'), js)
writeFileSync(join(root, 'assets', 'zxing_reader-abc123.wasm'), Buffer.alloc(50_000, 7))

async function app() {
  const opened = openDatabase(':memory:')
  await migrateToLatest(opened.db)
  return createApp(
    { db: opened.db, secrets: await loadSecrets(opened.db), audit: new AuditLog(opened.db, 1), version: 'test' },
    { webRoot: root },
  )
}

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('serving the web app', () => {
  it('compresses JS and wasm and marks hashed assets immutable', async () => {
    const a = await app()
    const res = await a.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE)
    const body = Buffer.from(await res.arrayBuffer())
    expect(body.length).toBeLessThan(js.length / 4)
    expect(gunzipSync(body).toString()).toBe(js)

    const wasm = await a.request('/assets/zxing_reader-abc123.wasm', { headers: { 'accept-encoding': 'gzip' } })
    expect(wasm.headers.get('content-encoding')).toBe('gzip')
    expect(wasm.headers.get('cache-control')).toBe(IMMUTABLE)
  })

  it("checks index.html every time (a new build is seen at once), for / and for the app's own paths", async () => {
    const a = await app()
    for (const path of ['/', '/kiosk']) {
      const res = await a.request(path, { headers: { 'accept-encoding': 'gzip' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(res.headers.get('content-encoding')).toBe('gzip')
    }
  })

  it('leaves the API alone (no long cache on answers)', async () => {
    const a = await app()
    const res = await a.request('/api/health')
    expect(res.headers.get('cache-control')).not.toBe(IMMUTABLE)
  })
})
