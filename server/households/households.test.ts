import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'
import { queryOne } from '../../test/db.js'

let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
})

describe('households', () => {
  test('create with members, read back with balance 0 and honour 0', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!, {
      headName: '李四',
      members: [{ name: '李小四', relation: '子' }],
    })
    expect(h.balance).toBe(0)
    const got = await t.api.get(`/api/households/${h.id}`, v.tokens.auditor)
    expect(got.status).toBe(200)
    expect(got.body).toMatchObject({ headName: '李四', balance: 0, honour: 0, hasPin: false })
    expect(got.body.members.map((m: any) => m.name)).toEqual(['李小四'])
  })

  test('a taken household number is a 409 DUPLICATE', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!)
    const dup = await t.api.post(
      `/api/villages/${v.vid}/households`,
      { householdNo: h.householdNo, headName: '王五' },
      v.tokens.clerk,
    )
    expect(dup.status).toBe(409)
    expect(dup.body.error.code).toBe('DUPLICATE')
  })

  test('search ranks the exact number, the exact name and an initials prefix first, and pages on in that order', async () => {
    const w = await t.village()
    for (const [no, name] of [
      ['0001', '李建华'],
      ['0002', '张李明'],
      ['0003', '许小红'],
      ['0004', '徐红'],
      ['0005', '李明'],
      ['0067', '李'],
      ['0100', '许红'],
    ]) {
      await t.household(w.vid, w.tokens.clerk!, { householdNo: no, headName: name })
    }
    const find = async (q: string, extra = '') =>
      (await t.api.get(`/api/villages/${w.vid}/households?q=${encodeURIComponent(q)}${extra}`, w.tokens.cashier)).body
    expect((await find('李')).items.map((h: any) => h.householdNo)).toEqual(['0067', '0001', '0005', '0002'])
    const xh = (await find('xh')).items.map((h: any) => h.householdNo)
    expect(xh.slice(0, 2).sort()).toEqual(['0004', '0100'])
    expect((await find('0100')).items[0].householdNo).toBe('0100')
    // a page at a time, in the same order
    const first = await find('李', '&limit=2')
    expect(first.items.map((h: any) => h.householdNo)).toEqual(['0067', '0001'])
    const second = await find('李', `&limit=2&cursor=${first.nextCursor}`)
    expect(second.items.map((h: any) => h.householdNo)).toEqual(['0005', '0002'])
  })

  test('search by number, name, member name, pinyin initials and full pinyin', async () => {
    const w = await t.village()
    await t.household(w.vid, w.tokens.clerk!, { householdNo: 'A-001', headName: '张三', members: [{ name: '王小红' }] })
    await t.household(w.vid, w.tokens.clerk!, { householdNo: 'A-002', headName: '曾国强' })
    const find = async (q: string) =>
      (
        await t.api.get(`/api/villages/${w.vid}/households?q=${encodeURIComponent(q)}`, w.tokens.cashier)
      ).body.items.map((h: any) => h.householdNo)
    expect(await find('zs')).toEqual(['A-001'])
    expect(await find('zhangsan')).toEqual(['A-001'])
    expect(await find('张')).toEqual(['A-001'])
    expect(await find('wxh')).toEqual(['A-001'])
    expect(await find('zengguo')).toEqual(['A-002'])
    expect(await find('002')).toEqual(['A-002'])
    expect(await find('%')).toEqual([])
  })

  test('cursor paging walks every household exactly once', async () => {
    const w = await t.village()
    for (let i = 0; i < 7; i++) await t.household(w.vid, w.tokens.clerk!, { householdNo: `N${i}` })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res: any = await t.api.get(
        `/api/villages/${w.vid}/households?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        w.tokens.clerk,
      )
      seen.push(...res.body.items.map((h: any) => h.householdNo))
      cursor = res.body.nextCursor
    } while (cursor)
    expect(seen).toEqual(['N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6'])
  })

  test('patch changes fields and keeps search current; members are removed with history', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!, { members: [{ name: '赵敏' }] })
    const patched = await t.api.patch(
      `/api/households/${h.id}`,
      { headName: '孙悟空', phone: '13900000000' },
      v.tokens.clerk,
    )
    expect(patched.status).toBe(200)
    expect(patched.body.headName).toBe('孙悟空')
    const member = patched.body.members[0]
    const removed = await t.api.delete(`/api/households/${h.id}/members/${member.id}`, v.tokens.clerk)
    expect(removed.status).toBe(200)
    expect(removed.body.members[0].removedAt).toBeTruthy()
    const byMember = await t.api.get(`/api/villages/${v.vid}/households?q=zm`, v.tokens.clerk)
    expect(byMember.body.items.find((x: any) => x.id === h.id)).toBeUndefined()
    const byNewName = await t.api.get(`/api/villages/${v.vid}/households?q=swk`, v.tokens.clerk)
    expect(byNewName.body.items.map((x: any) => x.id)).toContain(h.id)
  })

  test('bad input is a 400 naming the field, and creates nothing', async () => {
    const res = await t.api.post(
      `/api/villages/${v.vid}/households`,
      { householdNo: '', headName: 'x'.repeat(100) },
      v.tokens.clerk,
    )
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('VALIDATION_FAILED')
    expect(res.body.error.details.map((d: any) => d.field).sort()).toEqual(['headName', 'householdNo'])
    const broken = await t.api.call('POST', `/api/villages/${v.vid}/households`, '{"householdNo": ', v.tokens.clerk, {
      'content-type': 'application/json',
    })
    expect(broken.status).toBe(400)
    expect(broken.body.error.code).toBe('INVALID_JSON')
  })

  test('a PIN is stored hashed and shown only as hasPin', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!, { pin: '1234' })
    expect(h.hasPin).toBe(true)
    expect(JSON.stringify(h)).not.toContain('1234')
    const row = (await queryOne<{ pin_hash: string }>(t.db, 'select pin_hash from households where id = ?', h.id))!
    expect(row.pin_hash).toMatch(/^scrypt\$/)
  })
})
