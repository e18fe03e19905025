import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'
import { decodeRoster } from './roster-import.js'

let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
})

const importCsv = (body: string | Uint8Array, vid = v.vid, token = v.tokens.clerk) =>
  t.api.call('POST', `/api/villages/${vid}/households/import`, body, token, { 'content-type': 'text/csv' })
const count = async (vid = v.vid, token = v.tokens.clerk) =>
  (await t.api.get(`/api/villages/${vid}/households?limit=500`, token)).body.items.length

describe('roster import', () => {
  test('quoted fields with commas and newlines; line numbers count the real lines', async () => {
    const w = await t.village()
    const csv =
      'householdNo,headName,phone,address\n' +
      'Q1,"王, 大明",,"一组\n老屋"\n' + // a record over two lines (lines 2-3)
      ',缺户号,,\n' + // line 4
      'Q3,刘备,abc,\n' // line 5: bad phone
    const res = await importCsv(csv, w.vid, w.tokens.clerk)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((d: any) => d.line)).toEqual([4, 5])
    expect(res.body.error.details[1].message).toBe('电话：只能是数字')
    expect(await count(w.vid, w.tokens.clerk)).toBe(0)
    const ok = await importCsv(
      'householdNo,headName,phone,address\nQ1,"王, 大明",,"一组\n老屋"\n',
      w.vid,
      w.tokens.clerk,
    )
    expect(ok.body.created).toBe(1)
    const h = (await t.api.get(`/api/villages/${w.vid}/households?q=Q1`, w.tokens.clerk)).body.items[0]
    expect(h).toMatchObject({ headName: '王, 大明', address: '一组\n老屋' })
  })

  test('GB18030 as Chinese Excel saves it is detected and read', async () => {
    // "户号,户主,电话,地址\nG1,张三,,东村\n" encoded in GB18030 (GBK for these characters).
    const gbk = Uint8Array.from([
      0xbb, 0xa7, 0xba, 0xc5, 0x2c, 0xbb, 0xa7, 0xd6, 0xf7, 0x2c, 0xb5, 0xe7, 0xbb, 0xb0, 0x2c, 0xb5, 0xd8, 0xd6, 0xb7,
      0x0a, 0x47, 0x31, 0x2c, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x2c, 0xb6, 0xab, 0xb4, 0xe5, 0x0a,
    ])
    expect(decodeRoster(gbk)).toBe('户号,户主,电话,地址\nG1,张三,,东村\n')
    const w = await t.village()
    const res = await importCsv(gbk, w.vid, w.tokens.clerk)
    expect(res.status).toBe(200)
    const h = (await t.api.get(`/api/villages/${w.vid}/households?q=zs`, w.tokens.clerk)).body.items[0]
    expect(h).toMatchObject({ householdNo: 'G1', headName: '张三', address: '东村' })
  })

  test('a number repeated in the file or already in the village is a bad row', async () => {
    await t.household(v.vid, v.tokens.clerk!, { householdNo: 'EXIST-1' })
    const before = await count()
    const res = await importCsv('householdNo,headName\nD1,甲\nD1,乙\nEXIST-1,丙\n')
    expect(res.status).toBe(422)
    expect(res.body.error.details).toEqual([
      { line: 3, message: '户号 D1 与第 2 行重复' },
      { line: 4, message: '户号 EXIST-1 已经有了' },
    ])
    expect(await count()).toBe(before)
  })

  test('a file without the header columns, an empty file, or a non-CSV type is refused clearly', async () => {
    expect((await importCsv('name,phone\n张三,1\n')).body.error.details[0]).toMatchObject({ line: 1 })
    expect((await importCsv('')).status).toBe(422)
    const json = await t.api.post(`/api/villages/${v.vid}/households/import`, { rows: [] }, v.tokens.clerk)
    expect(json.status).toBe(400)
  })

  test('5,000 rows import in one go', async () => {
    const w = await t.village()
    const lines = ['householdNo,headName,phone,address']
    for (let i = 0; i < 5000; i++)
      lines.push(`B${String(i).padStart(5, '0')},村民${i},1380000${String(i).padStart(4, '0')},${(i % 9) + 1}组`)
    const res = await importCsv(lines.join('\r\n'), w.vid, w.tokens.clerk)
    expect(res.body).toEqual({ created: 5000 })
    const page = await t.api.get(`/api/villages/${w.vid}/households?limit=1&q=B04999`, w.tokens.clerk)
    expect(page.body.items[0].balance).toBe(0)
  })
})
