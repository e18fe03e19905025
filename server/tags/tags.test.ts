import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'

let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
})

describe('household categories (issue 18)', () => {
  test('PATCH sets the whole set of categories; the list filters by one; the counts add up', async () => {
    const w = await t.village()
    const a = await t.household(w.vid, w.tokens.clerk!, { householdNo: 'T01', headName: '王桂兰' })
    const b = await t.household(w.vid, w.tokens.clerk!, {
      householdNo: 'T02',
      headName: '李德福',
      tags: ['五保', '残疾'],
    })
    await t.household(w.vid, w.tokens.clerk!, { householdNo: 'T03', headName: '赵有田' })
    expect(b.tags).toEqual(['五保', '残疾'])

    const set = await t.api.patch(`/api/households/${a.id}`, { tags: ['留守老人', '低保', '低保'] }, w.tokens.clerk)
    expect(set.status).toBe(200)
    expect(set.body.tags).toEqual(['低保', '留守老人']) // the catalogue's order, each once
    expect((await t.api.get(`/api/households/${a.id}`, w.tokens.cashier)).body.tags).toEqual(['低保', '留守老人'])

    const list = async (q: string) =>
      (await t.api.get(`/api/villages/${w.vid}/households?${q}`, w.tokens.cashier)).body.items.map(
        (h: any) => h.householdNo,
      )
    expect(await list(`tag=${encodeURIComponent('低保')}`)).toEqual(['T01'])
    expect(await list(`tag=${encodeURIComponent('残疾')}`)).toEqual(['T02'])
    expect(await list(`tag=${encodeURIComponent('残疾')}&q=wgl`)).toEqual([])
    expect(await list(`tag=${encodeURIComponent('留守老人')}&q=wgl`)).toEqual(['T01'])
    expect(
      (await t.api.get(`/api/villages/${w.vid}/households`, w.tokens.cashier)).body.items.find(
        (h: any) => h.householdNo === 'T02',
      ).tags,
    ).toEqual(['五保', '残疾'])

    // replacing the set drops what is no longer true
    await t.api.patch(`/api/households/${b.id}`, { tags: ['残疾'] }, w.tokens.clerk)
    expect(await list(`tag=${encodeURIComponent('五保')}`)).toEqual([])

    const counts = await t.api.get(`/api/villages/${w.vid}/tags`, w.tokens.auditor)
    expect(counts.status).toBe(200)
    const by = Object.fromEntries(counts.body.items.map((i: any) => [i.tag, i.households]))
    expect(by).toMatchObject({ 低保: 1, 留守老人: 1, 残疾: 1, 五保: 0, 党员户: 0 })
    expect(counts.body.items).toHaveLength(9)
    expect(counts.body.tagged).toBe(2)
  })

  test('an unknown category is a 400 and changes nothing; another village sees none of them', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!, { tags: ['低保'] })
    const bad = await t.api.patch(
      `/api/households/${h.id}`,
      { tags: ['低保', '富户'], headName: '改名' },
      v.tokens.clerk,
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
    const got = (await t.api.get(`/api/households/${h.id}`, v.tokens.clerk)).body
    expect([got.tags, got.headName]).toEqual([['低保'], '张三'])
    expect(
      (await t.api.get(`/api/villages/${v.vid}/households?tag=${encodeURIComponent('富户')}`, v.tokens.clerk)).status,
    ).toBe(400)

    const other = await t.village()
    expect((await t.api.get(`/api/villages/${v.vid}/tags`, other.tokens.auditor)).status).toBe(403)
    expect((await t.api.patch(`/api/households/${h.id}`, { tags: [] }, other.tokens.clerk)).status).toBe(403)
    expect((await t.api.patch(`/api/households/${h.id}`, { tags: [] }, v.tokens.cashier)).status).toBe(403)
  })

  test('members are marked 党员 and counted', async () => {
    const w = await t.village()
    const h = await t.household(w.vid, w.tokens.clerk!, {
      members: [{ name: '刘建国', partyMember: true }, { name: '刘小梅' }],
    })
    expect(h.members.map((m: any) => [m.name, m.partyMember])).toEqual([
      ['刘建国', true],
      ['刘小梅', false],
    ])
    const mei = h.members[1].id
    const res = await t.api.patch(`/api/households/${h.id}/members/${mei}`, { partyMember: true }, w.tokens.clerk)
    expect(res.status).toBe(200)
    expect(res.body.members.filter((m: any) => m.partyMember)).toHaveLength(2)
    expect((await t.api.get(`/api/villages/${w.vid}/tags`, w.tokens.clerk)).body.partyMembers).toBe(2)
    await t.api.delete(`/api/households/${h.id}/members/${mei}`, w.tokens.clerk)
    expect((await t.api.get(`/api/villages/${w.vid}/tags`, w.tokens.clerk)).body.partyMembers).toBe(1)
    expect(
      (await t.api.patch(`/api/households/${h.id}/members/nope`, { partyMember: true }, w.tokens.clerk)).status,
    ).toBe(404)
  })
})
