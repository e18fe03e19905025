import { beforeAll, describe, expect, test } from 'vitest'
import { newId, nowIso } from '../../db/ids.js'
import { localMonth } from '../../shared/time.js'
import { type TestContext, testContext } from '../../test/context.js'
import { csvField } from './csv.js'
import { PAGE } from './ledger-cut.js'
import { localClock } from '../../shared/time.js'
import {
  createRule,
  getBytes,
  postNow,
  readWorkbook,
  sheetRows,
  spec,
  usernameOf,
} from '../../test/support/exports-fixtures.js'
import { ENTRY_HEADERS, SHEETS, STOCK_HEADERS } from './xlsx.js'

let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
let json: any
const month = localMonth(new Date(), 'Asia/Shanghai')
const households: Record<string, any> = {}

/** One village with awards, a deduction, a redemption, odd names and a donation of goods, all this month. */
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
  const good = await createRule(t, v.vid, v.tokens.clerk!, { code: 'G1', name: '孝老爱亲', points: 8 })
  const bad = await createRule(t, v.vid, v.tokens.clerk!, { code: 'B1', name: '乱堆乱放', points: -3 })
  households.zhang = await t.household(v.vid, v.tokens.clerk!, { headName: '张三', phone: '13912345678' })
  households.quote = await t.household(v.vid, v.tokens.clerk!, { headName: '王"五,六' })
  households.formula = await t.household(v.vid, v.tokens.clerk!, { headName: '=1+2' })
  const { zhang, quote, formula } = households
  await postNow(t.db, v.vid, v.users.clerk!, [
    spec.award(zhang.id, good),
    spec.award(quote.id, good),
    spec.award(formula.id, good),
  ])
  await postNow(t.db, v.vid, v.users.approver!, [spec.deduction(zhang.id, bad), spec.redemption(quote.id, 5)])
  const productId = newId()
  await t.db
    .insertInto('products')
    .values({ id: productId, village_id: v.vid, sku: 'SOAP-1', name: '香皂', points_price: 5, created_at: nowIso() })
    .execute()
  await t.db
    .insertInto('stock_moves')
    .values([
      {
        village_id: v.vid,
        product_id: productId,
        kind: 'receipt',
        quantity: 12,
        at: nowIso(),
        reason: '爱心企业捐赠',
        receipt_id: null,
        redemption_id: null,
        best_before: null,
        created_by: null,
        unit_points: 5,
        stocktake_id: null,
      },
      {
        village_id: v.vid,
        product_id: productId,
        kind: 'redemption',
        quantity: -1,
        at: nowIso(),
        reason: null,
        receipt_id: null,
        redemption_id: null,
        best_before: null,
        created_by: null,
        unit_points: 5,
        stocktake_id: null,
      },
    ])
    .execute()
  const res = await t.api.get(`/api/villages/${v.vid}/exports/monthly?month=${month}&format=json`, v.tokens.auditor)
  expect(res.status, res.text).toBe(200)
  json = res.body
})

const figures = (r: any) => [r.opening, r.earned, r.deducted, r.redeemed, r.adjusted, r.closing]

describe('monthly export formats', () => {
  test('json: the statement, every entry with its household, rule and operator, and the stock movements', async () => {
    expect(json.month).toBe(month)
    expect(json.village).toMatchObject({ id: v.vid, code: v.code })
    expect(json.households.map((h: any) => h.headName).sort()).toEqual(['=1+2', '张三', '王"五,六'].sort())
    expect(figures(json.households.find((h: any) => h.headName === '张三'))).toEqual([0, 8, 3, 0, 0, 5])
    expect(json.entries).toHaveLength(5)
    const deduction = json.entries.find((e: any) => e.kind === 'deduction')
    expect(deduction).toMatchObject({
      householdNo: households.zhang.householdNo,
      amount: -3,
      ruleCode: 'B1',
      ruleName: '乱堆乱放',
      operator: await usernameOf(t.db, v.users.approver!),
    })
    expect(json.entries.filter((e: any) => e.kind === 'award').every((e: any) => e.ruleName === '孝老爱亲')).toBe(true)
    expect(json.stockMoves.map((m: any) => [m.sku, m.kind, m.quantity])).toEqual([
      ['SOAP-1', 'receipt', 12],
      ['SOAP-1', 'redemption', -1],
    ])
    expect(JSON.stringify(json)).not.toContain('13912345678')
  })

  test('csv: UTF-8 with BOM, Chinese headers, one line per household, a totals line, quoted as Excel expects', async () => {
    const res = await getBytes(t, `/api/villages/${v.vid}/exports/monthly?month=${month}&format=csv`, v.tokens.clerk!)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="gongyi-${v.code}-${month}.csv"`)
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = res.bytes.toString('utf8').slice(1).split('\r\n')
    expect(lines[0]).toBe('户号,户主,期初,获得,扣除,兑换,调整,期末')
    for (const h of json.households) {
      const name = h.headName === '王"五,六' ? '"王""五,六"' : h.headName === '=1+2' ? "'=1+2" : h.headName
      expect(lines).toContain([h.householdNo, name, ...figures(h)].join(','))
    }
    expect(lines[json.households.length + 1]).toBe(
      ['合计', `${json.households.length}户`, ...figures(json.totals)].join(','),
    )
    expect(lines).toContain(`账本链头,${json.chainHead}`)
    expect(res.bytes.toString('utf8')).not.toContain('13912345678')
  })

  test('xlsx: a workbook whose statement, entries and stock sheets carry the json’s numbers', async () => {
    const res = await getBytes(
      t,
      `/api/villages/${v.vid}/exports/monthly?month=${month}&format=xlsx`,
      v.tokens.approver!,
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toContain(`gongyi-${v.code}-${month}.xlsx`)
    const wb = await readWorkbook(res.bytes)
    expect(wb.worksheets.map((s) => s.name)).toEqual([SHEETS.statement, SHEETS.entries, SHEETS.stock, SHEETS.relief])

    const statement = sheetRows(wb.getWorksheet(SHEETS.statement)!)
    expect(statement[0]).toEqual(['户号', '户主', '期初', '获得', '扣除', '兑换', '调整', '期末'])
    json.households.forEach((h: any, i: number) => {
      expect(statement[i + 1]).toEqual([h.householdNo, h.headName, ...figures(h)])
    })
    expect(statement[json.households.length + 1]).toEqual([
      '合计',
      `${json.households.length}户`,
      ...figures(json.totals),
    ])
    expect(statement.find((r) => r[0] === '账本链头')?.[1]).toBe(json.chainHead)

    const entries = sheetRows(wb.getWorksheet(SHEETS.entries)!)
    expect(entries[0]).toEqual([...ENTRY_HEADERS])
    const local = localClock('Asia/Shanghai')
    expect(entries.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[5], r[6], r[8], r[11]])).toEqual(
      json.entries.map((e: any) => [
        e.seq,
        local(e.at),
        e.householdNo,
        e.amount,
        e.balanceAfter,
        e.ruleCode ?? undefined,
        e.operator ?? undefined,
        e.hash,
      ]),
    )
    const stock = sheetRows(wb.getWorksheet(SHEETS.stock)!)
    expect(stock[0]).toEqual([...STOCK_HEADERS])
    expect(stock.slice(1).map((r) => [r[1], r[2], r[4]])).toEqual(
      json.stockMoves.map((m: any) => [m.sku, m.productName, m.quantity]),
    )
  })

  test('an empty month exports an empty but well-formed statement in every format', async () => {
    const w = await t.village()
    const h = await t.household(w.vid, w.tokens.clerk!)
    const res = await t.api.get(`/api/villages/${w.vid}/exports/monthly?month=${month}`, w.tokens.auditor)
    expect(res.body.households).toEqual([
      {
        householdId: h.id,
        householdNo: h.householdNo,
        headName: '张三',
        opening: 0,
        earned: 0,
        deducted: 0,
        redeemed: 0,
        adjusted: 0,
        closing: 0,
      },
    ])
    expect(res.body.entries).toEqual([])
    const xlsx = await getBytes(
      t,
      `/api/villages/${w.vid}/exports/monthly?month=${month}&format=xlsx`,
      w.tokens.auditor!,
    )
    expect(sheetRows((await readWorkbook(xlsx.bytes)).getWorksheet(SHEETS.entries)!)).toHaveLength(1)
  })
})

describe('a month longer than one page', () => {
  test('every entry is read exactly once across page boundaries, in json and in the workbook', async () => {
    const w = await t.village()
    const rule = await createRule(t, w.vid, w.tokens.clerk!, { code: 'G', name: '好事', points: 1 })
    const hs = [
      await t.household(w.vid, w.tokens.clerk!),
      await t.household(w.vid, w.tokens.clerk!),
      await t.household(w.vid, w.tokens.clerk!),
    ]
    const count = 2 * PAGE + 7
    await postNow(
      t.db,
      w.vid,
      null,
      Array.from({ length: count }, (_, i) => spec.award(hs[i % 3]!.id, rule)),
    )
    const res = await t.api.get(`/api/villages/${w.vid}/exports/monthly?month=${month}`, w.tokens.auditor)
    expect(res.body.entries.map((e: any) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1))
    hs.forEach((h, k) => {
      expect(res.body.households.find((r: any) => r.householdId === h.id).earned).toBe(
        Math.floor((count - 1 - k) / 3) + 1,
      )
    })
    expect(res.body.totals.closing).toBe(count)
    const xlsx = await getBytes(
      t,
      `/api/villages/${w.vid}/exports/monthly?month=${month}&format=xlsx`,
      w.tokens.auditor!,
    )
    const entries = sheetRows((await readWorkbook(xlsx.bytes)).getWorksheet(SHEETS.entries)!)
    expect(entries.slice(1).map((r) => r[0])).toEqual(res.body.entries.map((e: any) => e.seq))
  })
})

describe('csv fields', () => {
  test('quotes what needs quoting and nothing else; text that Excel would run as a formula stays text', () => {
    expect(csvField('张三')).toBe('张三')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)")
    expect(csvField('@cmd')).toBe("'@cmd")
    expect(csvField(-5)).toBe('-5')
    expect(csvField(null)).toBe('')
  })
})
