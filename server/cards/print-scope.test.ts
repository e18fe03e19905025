import { beforeAll, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'

/* Issue 17: a clerk ticked 240 boxes across pages of 100 to print cards. Print every household, or every one without a card, in one go. */

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

const count = (text: string, needle: string) => text.split(needle).length - 1

test('?scope=withoutCard prints a card for each household that has none (and only those); ?scope=all prints them all', async () => {
  const v = await t.village()
  const hs = []
  for (let i = 0; i < 5; i++)
    hs.push(
      await t.household(v.vid, v.tokens.clerk!, { householdNo: `0${i}${Date.now() % 1000}`, headName: `农户${i}` }),
    )
  const carded = [hs[1]!, hs[3]!]
  for (const h of carded)
    expect((await t.api.post(`/api/households/${h.id}/cards`, {}, v.tokens.clerk)).status).toBe(201)

  const missing = await t.api.get(`/api/villages/${v.vid}/cards/print?scope=withoutCard`, v.tokens.clerk)
  expect(missing.status).toBe(200)
  expect(count(missing.text, '<svg')).toBe(3)
  for (const h of [hs[0]!, hs[2]!, hs[4]!]) expect(missing.text).toContain(h.headName)
  for (const h of carded) expect(missing.text).not.toContain(h.headName)
  // Each of them now has its card: nothing is left without one.
  const none = await t.api.get(`/api/villages/${v.vid}/cards/print?scope=withoutCard`, v.tokens.clerk)
  expect(none.status).toBe(404)

  const all = await t.api.get(`/api/villages/${v.vid}/cards/print?scope=all`, v.tokens.clerk)
  expect(count(all.text, '<svg')).toBe(5)
  // Printing again never replaces a card.
  for (const h of hs)
    expect((await t.api.get(`/api/households/${h.id}/cards`, v.tokens.clerk)).body.items).toHaveLength(1)

  expect((await t.api.get(`/api/villages/${v.vid}/cards/print?scope=everyone`, v.tokens.clerk)).status).toBe(400)
  expect((await t.api.get(`/api/villages/${v.vid}/cards/print`, v.tokens.clerk)).status).toBe(400)
  expect((await t.api.get(`/api/villages/${v.vid}/cards/print?scope=all`, v.tokens.cashier)).status).toBe(403)
  const w = await t.village()
  expect((await t.api.get(`/api/villages/${v.vid}/cards/print?scope=all`, w.tokens.clerk)).status).toBe(403)
})
