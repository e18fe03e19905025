import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'

/*
 * The shape of the code, checked: the import graph of server/, db/ and shared/ (read with a regex over the
 * import lines) has no file-level cycle and no cycle among server's folders (features, and core/ and http/,
 * counting what the non-test files import); shared/ imports nothing from server/ or web/, and db/ nothing
 * from server/.
 */

const ROOT = resolve(import.meta.dirname, '..')
const SCANNED = ['server', 'db', 'shared']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm

/** file (relative to the root) → the project files it imports (relative imports only). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const top of SCANNED) {
    for (const file of sourceFiles(join(ROOT, top))) {
      const text = readFileSync(file, 'utf8')
      const targets: string[] = []
      for (const m of text.matchAll(IMPORT)) {
        const spec = (m[1] ?? m[2])!
        targets.push(relative(ROOT, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'))
      }
      graph.set(relative(ROOT, file), targets)
    }
  }
  return graph
}

/** Every cycle's members, as Tarjan's strongly connected components of more than one node (or a self-loop). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        scc.push(w)
      } while (w !== v)
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort())
    }
  }
  for (const v of graph.keys()) if (!idx.has(v)) visit(v)
  return found
}

/** server/<folder>/… → server/<folder>; files directly in server/ (app.ts, main.ts) are not a feature. */
function featureOf(file: string): string | null {
  const parts = file.split('/')
  return parts[0] === 'server' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : null
}

const graph = importGraph()

describe('architecture', () => {
  test('the import graph was read', () => {
    expect(graph.size).toBeGreaterThan(50)
    expect([...graph.values()].flat().length).toBeGreaterThan(100)
  })

  test('no file imports itself through a cycle', () => {
    expect(cycles(graph)).toEqual([])
  })

  // A test sets up whatever its feature needs (a ledger test makes a village): tests are leaves, not layers.
  test("server's feature folders import each other without a cycle", () => {
    const folders = new Map<string, string[]>()
    for (const [file, targets] of graph) {
      if (file.endsWith('.test.ts')) continue
      const from = featureOf(file)
      if (!from) continue
      const to = targets.map(featureOf).filter((f): f is string => f !== null && f !== from)
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])])
    }
    expect(cycles(folders)).toEqual([])
  })

  test('only server/core/config.ts reads the environment in server/ and db/', () => {
    const readers = [...graph.keys()].filter(
      (file) =>
        (file.startsWith('server/') || file.startsWith('db/')) &&
        !file.endsWith('.test.ts') &&
        file !== 'server/core/config.ts' &&
        /\bprocess\.env\b/.test(readFileSync(join(ROOT, file), 'utf8')),
    )
    expect(readers).toEqual([])
  })

  test('shared/ imports nothing from server/ or web/; db/ nothing from server/', () => {
    const bad: string[] = []
    for (const [file, targets] of graph) {
      for (const t of targets) {
        if (file.startsWith('shared/') && (t.startsWith('server/') || t.startsWith('web/'))) bad.push(`${file} → ${t}`)
        if (file.startsWith('db/') && t.startsWith('server/')) bad.push(`${file} → ${t}`)
      }
    }
    expect(bad).toEqual([])
  })
})
