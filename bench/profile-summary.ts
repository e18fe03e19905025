import { readFileSync } from 'node:fs'

/*
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and the
 * project's own functions with the most total time (self + callees), so a missed goal names its cause.
 * Usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [top]
 */

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
}

export interface ProfileLine {
  name: string
  where: string
  ms: number
  share: number
}

function label(n: ProfileNode) {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')
  const where = url ? `${url.replace(/^.*node_modules\//, '~')}:${n.callFrame.lineNumber + 1}` : ''
  return { name: n.callFrame.functionName || '(anonymous)', where }
}

export function summarise(file: string, top = 15): { self: ProfileLine[]; total: ProfileLine[]; ms: number } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  // Shares are of busy time: the idle samples of a server waiting for requests say nothing.
  const idle = p.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((s, n) => s + n.hitCount, 0)
  const all = p.nodes.reduce((s, n) => s + n.hitCount, 0) || 1
  const hits = all - idle || 1
  const ms = (p.endTime - p.startTime) / 1000
  const perHit = ms / all
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  // Inclusive time: each node's subtree hits, counted once per function per stack (recursion-safe).
  const walk = (id: number, onStack: Set<string>): number => {
    const n = byId.get(id)!
    const { name, where } = label(n)
    const key = `${name}\t${where}`
    self.set(key, (self.get(key) ?? 0) + n.hitCount)
    const fresh = !onStack.has(key)
    if (fresh) onStack.add(key)
    let sum = n.hitCount
    for (const c of n.children ?? []) sum += walk(c, onStack)
    if (fresh) {
      onStack.delete(key)
      total.set(key, (total.get(key) ?? 0) + sum)
    }
    return sum
  }
  walk(p.nodes[0]!.id, new Set())
  const lines = (m: Map<string, number>, keep: (k: string) => boolean) =>
    [...m]
      .filter(([k]) => keep(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, h]) => {
        const [name, where] = k.split('\t') as [string, string]
        return { name, where, ms: h * perHit, share: h / hits }
      })
  const ownCode = (k: string) => /\t(server|db|shared|bench)\//.test(k)
  return {
    self: lines(self, (k) => !k.startsWith('(idle)') && !k.startsWith('(root)')),
    total: lines(total, ownCode),
    ms,
  }
}

export function formatSummary(s: ReturnType<typeof summarise>): string {
  const row = (l: ProfileLine) =>
    `  ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.ms.toFixed(0).padStart(6)} ms  ${l.name}  ${l.where}`
  return [
    `profile: ${s.ms.toFixed(0)} ms (shares are of the busy time)`,
    'self time:',
    ...s.self.map(row),
    'total time, project code:',
    ...s.total.map(row),
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2)
  if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [top]')
  console.log(formatSummary(summarise(file, Number(top ?? 15))))
}
