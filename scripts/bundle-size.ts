/**
 * How much JavaScript the counter tablet downloads to open the kiosk: the app's entry chunk, the kiosk's chunk
 * and everything they import statically, gzipped. Lazy chunks (the QR decoder, which the camera loads on
 * demand) and the decoder's WASM are listed apart and not counted. Budget: 150 KB gzipped.
 *
 * Then the same for the villager's phone page, its own entry (me.html) and its static imports: budget 60 KB
 * gzipped, for a cheap phone on a slow mobile connection.
 *
 *   npm run bench:bundle
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

const BUDGET_KB = 150
const ME_BUDGET_KB = 60
const KIOSK = 'kiosk/KioskPage.tsx'

interface Chunk {
  file: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
}

const outDir = mkdtempSync(join(tmpdir(), 'gongyi-bundle-'))
try {
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true, manifest: true } })
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>
  const entryOf = (html: string) => {
    const key = Object.keys(manifest).find((k) => manifest[k]!.isEntry && k.endsWith(html))
    if (!key) throw new Error(`manifest lacks the ${html} entry`)
    return key
  }
  if (!manifest[KIOSK]) throw new Error(`manifest lacks ${KIOSK}`)
  /** The chunks a page loads before it shows: its roots and their static imports, never dynamic ones. */
  const staticClosure = (roots: string[]) => {
    const loaded = new Set<string>()
    const visit = (key: string) => {
      if (loaded.has(key)) return
      loaded.add(key)
      for (const dep of manifest[key]!.imports ?? []) visit(dep)
    }
    for (const r of roots) visit(r)
    return loaded
  }
  const gz = (file: string) => gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  /** Prints each counted chunk and answers the gzipped total. */
  const count = (title: string, loaded: Set<string>) => {
    let total = 0
    console.log(`${title} JavaScript (gzipped, counted):`)
    for (const key of loaded) {
      const size = gz(manifest[key]!.file)
      total += size
      console.log(`  ${kb(size).padStart(9)}  ${manifest[key]!.file}  (${key})`)
    }
    return total
  }
  const check = (title: string, total: number, budgetKb: number) => {
    console.log(`${title} JavaScript total: ${kb(total)} gzipped (budget ${budgetKb} KB)`)
    if (total > budgetKb * 1024) {
      console.error(`${title} over budget by ${kb(total - budgetKb * 1024)}`)
      process.exitCode = 1
    }
  }

  // The chunks loaded to show /kiosk.
  const loaded = staticClosure([entryOf('index.html'), KIOSK])
  const lazy = new Set<string>()
  for (const key of loaded)
    for (const d of manifest[key]!.dynamicImports ?? []) if (!loaded.has(d) && d.startsWith('kiosk/')) lazy.add(d)
  const total = count('kiosk', loaded)
  const css = [...loaded].flatMap((k) => manifest[k]!.css ?? [])
  console.log('not counted:')
  for (const f of css) console.log(`  ${kb(gz(f)).padStart(9)}  ${f}  (CSS)`)
  for (const key of lazy)
    console.log(`  ${kb(gz(manifest[key]!.file)).padStart(9)}  ${manifest[key]!.file}  (lazy: ${key})`)
  for (const c of Object.values(manifest))
    if (c.file.endsWith('.wasm')) console.log(`  ${kb(gz(c.file)).padStart(9)}  ${c.file}  (decoder WASM)`)
  check('kiosk', total, BUDGET_KB)

  // The villager's page: a second entry, counted alone (a phone that opens /me loads nothing of the app's).
  const meLoaded = staticClosure([entryOf('me.html')])
  const meTotal = count('villager page (/me)', meLoaded)
  for (const f of [...meLoaded].flatMap((k) => manifest[k]!.css ?? []))
    console.log(`  ${kb(gz(f)).padStart(9)}  ${f}  (CSS, not counted)`)
  check('villager page', meTotal, ME_BUDGET_KB)
} finally {
  rmSync(outDir, { recursive: true, force: true })
}
