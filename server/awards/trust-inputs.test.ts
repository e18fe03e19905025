import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext, unique } from '../../test/context.js'
import { PNG } from '../../test/reliability/samples.js'
import { MAX_EVIDENCE_PER_AWARD } from './evidence.js'

/*
 * Issue 13's smaller holes, each sent the way the insider test sent it: names with NUL or a right-to-left
 * override, impossible dates, and photos without end on one award.
 */
let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
})

const refusedFields = (res: { status: number; body: any }) => {
  expect(res.status).toBe(400)
  expect(res.body.error.code).toBe('VALIDATION_FAILED')
  return JSON.stringify(res.body.error.details)
}

describe('names and texts', () => {
  test.each([
    ['NUL', '张\u0000三'],
    ['right-to-left override', '张三\u202E四李'],
    ['left-to-right isolate', '\u2066张三'],
    ['a control character', '张\u0007三'],
  ])('a household head name with %s is refused, and nothing is created', async (_what, headName) => {
    const householdNo = unique('H')
    expect(
      refusedFields(await t.api.post(`/api/villages/${v.vid}/households`, { householdNo, headName }, v.tokens.clerk)),
    ).toContain('headName')
    const list = await t.api.get(`/api/villages/${v.vid}/households?q=${householdNo}`, v.tokens.clerk)
    expect(list.body.items).toEqual([])
  })

  test('a household number, a product name and a rule code with a bidi override are refused too; ordinary Chinese is not', async () => {
    refusedFields(
      await t.api.post(
        `/api/villages/${v.vid}/households`,
        { householdNo: 'A\u202E1', headName: '王五' },
        v.tokens.clerk,
      ),
    )
    refusedFields(
      await t.api.post(
        `/api/villages/${v.vid}/products`,
        { sku: unique('S'), name: '大米\u202E', pointsPrice: 5 },
        v.tokens.cashier,
      ),
    )
    refusedFields(
      await t.api.post(
        `/api/villages/${v.vid}/rules`,
        { code: 'R\u0000', name: '扫地', category: '环境', points: 1 },
        v.tokens.clerk,
      ),
    )
    expect(
      (
        await t.api.post(
          `/api/villages/${v.vid}/households`,
          { householdNo: unique('H'), headName: '欧阳·娜娜', address: '三组\n东头' },
          v.tokens.clerk,
        )
      ).status,
    ).toBe(201)
  })
})

describe('dates are real dates', () => {
  test('an award on 0000-01-01 or 2023-02-29 is refused; 1899 too; 2024-02-29 is fine', async () => {
    const rule = await t.api.post(
      `/api/villages/${v.vid}/rules`,
      { code: unique('R'), name: '扫地', category: '环境', points: 1 },
      v.tokens.clerk,
    )
    const h = await t.household(v.vid, v.tokens.clerk!)
    for (const occurredOn of ['0000-01-01', '2023-02-29', '1899-12-31']) {
      expect(
        refusedFields(
          await t.api.post(
            `/api/villages/${v.vid}/awards`,
            { ruleId: rule.body.id, householdIds: [h.id], occurredOn },
            v.tokens.clerk,
          ),
        ),
      ).toContain('occurredOn')
    }
    expect(
      (
        await t.api.post(
          `/api/villages/${v.vid}/awards`,
          { ruleId: rule.body.id, householdIds: [h.id], occurredOn: '2024-02-29' },
          v.tokens.clerk,
        )
      ).status,
    ).toBe(201)
  })

  test('an annual reset on 02-30 (or 02-29, which most years lack) is refused; 12-31 is fine', async () => {
    for (const annualReset of ['02-30', '02-29', '04-31']) {
      expect(refusedFields(await t.api.patch(`/api/villages/${v.vid}`, { annualReset }, t.adminToken))).toContain(
        'annualReset',
      )
    }
    expect((await t.api.patch(`/api/villages/${v.vid}`, { annualReset: '12-31' }, t.adminToken)).status).toBe(200)
  })
})

describe('evidence photos', () => {
  test(`at most ${MAX_EVIDENCE_PER_AWARD} photos per award: of 15 sent at once exactly ${MAX_EVIDENCE_PER_AWARD} are kept`, async () => {
    const rule = await t.api.post(
      `/api/villages/${v.vid}/rules`,
      { code: unique('R'), name: '扫地', category: '环境', points: 1 },
      v.tokens.clerk,
    )
    const h = await t.household(v.vid, v.tokens.clerk!)
    const award = await t.api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId: rule.body.id, householdIds: [h.id], occurredOn: '2024-03-01' },
      v.tokens.clerk,
    )
    const sent = await Promise.all(
      Array.from({ length: 15 }, () =>
        t.api.call('POST', `/api/awards/${award.body.id}/evidence`, PNG, v.tokens.clerk, {
          'content-type': 'image/png',
        }),
      ),
    )
    expect(sent.filter((r) => r.status === 201)).toHaveLength(MAX_EVIDENCE_PER_AWARD)
    expect(sent.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(
      Array(15 - MAX_EVIDENCE_PER_AWARD).fill('PAYLOAD_TOO_LARGE'),
    )
    expect((await t.api.get(`/api/awards/${award.body.id}`, v.tokens.clerk)).body.evidence).toHaveLength(
      MAX_EVIDENCE_PER_AWARD,
    )
  })

  test('at most 20 MB of photos per award: the fifth 4.5 MB photo is refused', async () => {
    const rule = await t.api.post(
      `/api/villages/${v.vid}/rules`,
      { code: unique('R'), name: '扫地', category: '环境', points: 1 },
      v.tokens.clerk,
    )
    const h = await t.household(v.vid, v.tokens.clerk!)
    const award = await t.api.post(
      `/api/villages/${v.vid}/awards`,
      { ruleId: rule.body.id, householdIds: [h.id], occurredOn: '2024-03-01' },
      v.tokens.clerk,
    )
    const big = new Uint8Array(4.5 * 1024 * 1024)
    big.set(PNG)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await t.api.call('POST', `/api/awards/${award.body.id}/evidence`, big, v.tokens.clerk, {
            'content-type': 'image/png',
          })
        ).status,
      )
    expect(statuses).toEqual([201, 201, 201, 201, 413])
  }, 60_000)
})
