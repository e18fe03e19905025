import { beforeAll, expect, test } from 'vitest'
import { localMonth } from '../../shared/time.js'
import { type TestContext, testContext } from '../../test/context.js'
import { createRule, postNow, spec } from '../../test/support/exports-fixtures.js'

/* Issue 17: passbooks printed one household at a time. The whole village in one print, a household per A4 sheet. */

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

test("every household's passbook in one page, each its own A4 sheet, agreeing with the single passbook", async () => {
  const v = await t.village()
  const good = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G1', name: '清扫街道', points: 10 })
  const names = ['张桂兰', '李建国', '王秀英']
  const hs = []
  for (const [i, headName] of names.entries())
    hs.push(await t.household(v.vid, v.tokens.clerk!, { householdNo: `P0${i + 1}`, headName }))
  await postNow(t.db, v.vid, v.users.clerk!, [
    spec.award(hs[0]!.id, good),
    spec.award(hs[2]!.id, good),
    spec.award(hs[2]!.id, good),
  ])
  const month = localMonth(new Date(), 'Asia/Shanghai')

  const res = await t.api.get(`/api/villages/${v.vid}/passbooks?month=${month}`, v.tokens.clerk)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  const sheets = res.text.split('<section class="passbook"').slice(1)
  expect(sheets).toHaveLength(3)
  for (const [i, sheet] of sheets.entries()) expect(sheet).toContain(`户主：${names[i]}`)
  expect(sheets[2]).toContain('期末余额：20')
  expect(res.text).toMatch(/\.passbook \{ break-after: page/)
  expect(res.text).toMatch(/@page\s*{\s*size:\s*A4/)
  // The same figures as the household's own passbook.
  const one = await t.api.get(`/api/households/${hs[2]!.id}/passbook?month=${month}`, v.tokens.clerk)
  expect(one.text).toContain('期末余额：20')

  expect((await t.api.get(`/api/villages/${v.vid}/passbooks?year=${month.slice(0, 4)}`, v.tokens.auditor)).status).toBe(
    200,
  )
  expect((await t.api.get(`/api/villages/${v.vid}/passbooks`, v.tokens.clerk)).status).toBe(400)
  expect((await t.api.get(`/api/villages/${v.vid}/passbooks?month=${month}`, v.tokens.cashier)).status).toBe(403)
  const w = await t.village()
  expect((await t.api.get(`/api/villages/${v.vid}/passbooks?month=${month}`, w.tokens.clerk)).status).toBe(403)
})
