import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { searchKey } from '../../server/households/search-key.js'

/*
 * Issue 15: does pg_trgm beat a scan for household search in a 52,000-household village?
 *   npx tsx bench/experiments/pg-trgm.ts postgres://…  [--households 52000] [--runs 30]
 * Builds, in a throwaway database, the columns the search reads (village_id, household_no, head_name,
 * search_key from the real searchKey(): number, names, pinyin, initials) for one big village and 400 small ones,
 * then times the service's query (LIKE '%q%' with the rank ordering, first page of 20) for typical searches,
 * first with the (village_id, household_no) index only, then with a GIN trigram index on search_key.
 */
const url = process.argv[2]
if (!url) throw new Error('usage: pg-trgm.ts postgres://… [--households N] [--runs N]')
const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : d
}
const HOUSEHOLDS = arg('households', 52_000)
const RUNS = arg('runs', 30)
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'
const GIVEN = '国华明红军平英建文秀兰玉芳志强海霞勇春金林云燕德清福宝成荣'

const admin = new pg.Client({ connectionString: url })
await admin.connect()
const name = `gongyi_trgm_${randomBytes(4).toString('hex')}`
await admin.query(`create database ${name}`)
const u = new URL(url)
u.pathname = `/${name}`
const c = new pg.Client({ connectionString: u.toString() })
await c.connect()
try {
  await c.query(
    'create table households (id serial primary key, village_id text not null, household_no text not null, head_name text not null, search_key text not null)',
  )
  await c.query('create unique index households_village_no on households (village_id, household_no)')
  const rows: [string, string, string, string][] = []
  let seed = 7
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
  const person = () =>
    SURNAMES[rnd(SURNAMES.length)]! + GIVEN[rnd(GIVEN.length)]! + (rnd(2) ? GIVEN[rnd(GIVEN.length)]! : '')
  const add = (village: string, i: number) => {
    const head = person()
    const members = [person(), person()]
    const no = `${village}-${String(i).padStart(6, '0')}`
    rows.push([village, no, head, searchKey(no, [head, ...members])])
  }
  for (let i = 0; i < HOUSEHOLDS; i++) add('big', i)
  for (let v = 0; v < 400; v++) for (let i = 0; i < 100; i++) add(`v${v}`, i)
  for (let i = 0; i < rows.length; i += 2000) {
    const part = rows.slice(i, i + 2000)
    await c.query(
      `insert into households (village_id, household_no, head_name, search_key) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [part.map((r) => r[0]), part.map((r) => r[1]), part.map((r) => r[2]), part.map((r) => r[3])],
    )
  }
  await c.query('analyze households')
  const searches = ['xh', '李国', 'liguo', 'wgh', '001234', '王']
  const query = (q: string) =>
    c.query(
      `select id, household_no, (case when household_no = $2 then 0 when head_name = $2 then 1
         when search_key like $3 or search_key like $4 then 2 else 3 end) as rank
       from households where village_id = $1 and search_key like $5 order by rank, household_no limit 21`,
      ['big', q, `${q}%`, `% ${q}%`, `%${q}%`],
    )
  const time = async () => {
    const out: Record<string, string> = {}
    for (const q of searches) {
      await query(q)
      const ms: number[] = []
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now()
        await query(q)
        ms.push(performance.now() - t)
      }
      ms.sort((a, b) => a - b)
      out[q] =
        `p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, p99 ${ms[Math.ceil(ms.length * 0.99) - 1]!.toFixed(1)} ms`
    }
    return out
  }
  const scan = await time()
  await c.query('create extension if not exists pg_trgm')
  await c.query('create index households_search_trgm on households using gin (search_key gin_trgm_ops)')
  await c.query('analyze households')
  const trgm = await time()
  const plan = (
    await c.query(`explain select id from households where village_id = 'big' and search_key like '%liguo%'`)
  ).rows
    .map((r) => r['QUERY PLAN'])
    .join(' | ')
  console.log(
    JSON.stringify({ households: HOUSEHOLDS, otherRows: 40_000, runs: RUNS, scan, trgm, planWithTrgm: plan }, null, 2),
  )
} finally {
  await c.end()
  await admin.query(`drop database ${name} with (force)`)
  await admin.end()
}
