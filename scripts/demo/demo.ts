import { migrateToLatest, openDatabase } from '../../db/database.js'
import { bootstrapAdmin } from '../../server/auth/auth.service.js'
import { loadSecrets } from '../../server/auth/secrets.js'
import { signCardCode } from '../../server/cards/card-code.js'
import { loadConfig } from '../../server/core/config.js'
import { generate } from './generate.js'
import { addVillagePractice } from './practice.js'
import { progressBar } from './progress.js'
import { Random } from './random.js'

/*
 * npm run demo — fills the configured database (GONGYI_DB, see server/core/config.ts) with one demo village:
 * a roster with members and cards, the starter rule catalogue, the supermarket's goods, three months and this
 * month of activity, and one login per role. Then `npm start` and try everything.
 *
 * Run it again and it adds another demo village (DEMO2, demo2-clerk, …) beside the first.
 */

export const DEMO_PASSWORD = 'gongyi-demo'
const config = loadConfig({ writableDb: true })
const DEMO_ADMIN_PASSWORD = config.adminPassword ?? 'gongyi-admin'
const DEMO_PIN = '1234'
const NAMES = ['石桥村', '柳树湾村', '杏花村', '青山村', '桃园村']

const dbFile = config.dbFile
const { db, sqlite, close } = openDatabase(dbFile)
await migrateToLatest(db)

// A database that holds real villages is not the demo's to fill (issue 13): the demo publishes its passwords.
const demoVillages = async () => {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'demo_villages').executeTakeFirst()
  return row ? (JSON.parse(row.value) as string[]) : []
}
const known = new Set(await demoVillages())
const real = (await db.selectFrom('villages').select(['id', 'code']).execute()).filter((v) => !known.has(v.id))
if (real.length) {
  console.error(
    `npm run demo: this database holds real villages (${real.map((v) => v.code).join(', ')}); the demo fills only an empty or demo database. Set GONGYI_DB to another file.`,
  )
  await close()
  process.exit(1)
}

/** DEMO, or DEMO2, DEMO3… when an earlier run took it; its staff are demo-clerk or demo2-clerk, and so on. */
async function freeCode(): Promise<string> {
  const taken = new Set((await db.selectFrom('villages').select('code').execute()).map((v) => v.code))
  const users = new Set((await db.selectFrom('users').select('username').execute()).map((u) => u.username))
  for (let n = 1; ; n++) {
    const code = n === 1 ? 'DEMO' : `DEMO${n}`
    if (!taken.has(code) && !users.has(`${code.toLowerCase()}-clerk`)) return code
  }
}

const code = await freeCode()
const nth = code === 'DEMO' ? 1 : Number(code.slice(4))
const adminCreated = await bootstrapAdmin(db, DEMO_ADMIN_PASSWORD)
// The generated file is rebuilt in seconds if power fails meanwhile; the server itself always runs synchronous=FULL.
sqlite?.pragma('synchronous = NORMAL')
const result = await generate(db, {
  seed: `demo-${nth}`,
  villages: 1,
  households: 240,
  months: 3,
  thisMonth: true,
  codes: [code],
  names: [NAMES[(nth - 1) % NAMES.length]! + (nth > NAMES.length ? `（${nth}）` : '')],
  noticeDays: 3,
  staffPassword: DEMO_PASSWORD,
  cards: 'service',
  pinHouseholds: 3,
  pin: DEMO_PIN,
  progress: (label, total) => progressBar(label, total),
})
sqlite?.pragma('synchronous = FULL')

const v = result.villages[0]!
// Issue 18: household categories, 党员, and the relief shelf's Spring Festival handing-out.
const practice = await addVillagePractice(db, v.id, new Random(`demo-${nth}-practice`))
// Remembered, so that the first real village retires these published logins (server/villages/villages.service.ts).
const staff = (await db.selectFrom('users').select('id').where('village_id', '=', v.id).execute()).map((u) => u.id)
const before = await db.selectFrom('settings').select('value').where('key', '=', 'demo_users').executeTakeFirst()
const remember = async (key: string, value: string) =>
  db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute()
await remember('demo_villages', JSON.stringify([...known, v.id]))
await remember('demo_users', JSON.stringify([...(before ? (JSON.parse(before.value) as string[]) : []), ...staff]))
if (adminCreated)
  await remember(
    'demo_admin',
    (await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id,
  )
const secrets = await loadSecrets(db)
const samples = await db
  .selectFrom('households as h')
  .innerJoin('cards as c', 'c.household_id', 'h.id')
  .innerJoin('accounts as a', 'a.id', 'h.id')
  .select(['h.household_no', 'h.head_name', 'h.pin_hash', 'c.id as card_id', 'a.balance'])
  .where('h.village_id', '=', v.id)
  .where('c.status', '=', 'active')
  .orderBy('h.household_no')
  .execute()
// Two households without a PIN and one with: enough to try the counter both ways.
const shown = [
  ...samples
    .filter((s) => !s.pin_hash)
    .sort((a, b) => b.balance - a.balance)
    .slice(0, 2),
  ...samples.filter((s) => s.pin_hash).slice(0, 1),
]
await close()

const c = result.counts
const roles: [string, string][] = [
  ['clerk', '村文书：农户、积分卡、规则、申报积分'],
  ['approver', '审批人：审批申报、冲正'],
  ['cashier', '收银员：爱心超市柜台 /kiosk'],
  ['auditor', '审计员：只读、月度导出'],
]
const lines = [
  '',
  `演示数据已写入 ${dbFile} / demo data written`,
  `  ${v.name}（${v.code}）：${c.households} 户 ${c.members} 人，${c.entries} 笔积分记录，${c.awards} 次申报，${c.redemptions} 次兑换，${c.stockReceipts} 次捐赠入库（${result.firstDay} 至 ${result.lastDay}）`,
  `  户类别：${practice.tagged} 户有类别（低保、五保、留守老人……），${practice.partyMembers} 户党员户；阳光超市救助发放 ${practice.relief} 次（/relief 可打印签领表）`,
  '',
  '登录 / logins (password for all village staff: ' + DEMO_PASSWORD + ')',
  ...roles.map(([role, what]) => `  ${v.usernames[role as 'clerk'].padEnd(16)} ${what}`),
  adminCreated
    ? `  ${'admin'.padEnd(16)} 管理员 / admin, password: ${DEMO_ADMIN_PASSWORD}`
    : `  ${'admin'.padEnd(16)} 管理员：沿用已有密码 / existing password`,
  '',
  '试一试 / try it: npm start, then open http://127.0.0.1:8080 (the counter is /kiosk)',
  '  积分卡码（扫码枪输入后回车）/ card codes to type at the kiosk, then Enter:',
]
for (const s of shown) {
  const code = await signCardCode(secrets.cardKey, s.card_id)
  lines.push(
    `    ${s.household_no} ${s.head_name}（余额 ${s.balance}${s.pin_hash ? `，户密码 ${DEMO_PIN}` : ''}）: ${code}`,
  )
}
console.log(lines.join('\n') + '\n')
