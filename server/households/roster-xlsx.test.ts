import ExcelJS from 'exceljs'
import { strToU8, zipSync } from 'fflate'
import { beforeAll, describe, expect, test } from 'vitest'
import { type TestContext, testContext } from '../../test/context.js'
import { readFirstSheet } from './xlsx-read.js'

/*
 * Issue 17: the roster import took CSV only, no members, and answered bad lines in zod's English. Now .xlsx as
 * Excel writes it (shared strings; made here with ExcelJS) and as WPS and other writers do (inline strings, rich
 * text runs, namespace-prefixed elements, numbers where the clerk typed digits), a members column, Chinese errors.
 */

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const upload = (vid: string, token: string, bytes: Uint8Array) =>
  t.api.call('POST', `/api/villages/${vid}/households/import`, bytes, token, { 'content-type': XLSX })

async function excelWorkbook(rows: unknown[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('花名册')
  for (const r of rows) ws.addRow(r)
  return new Uint8Array(await wb.xlsx.writeBuffer())
}

/** An .xlsx in the shapes other writers use: x: prefixes, inline strings, rich text, a number cell, a skipped column. */
function otherWriterWorkbook(): Uint8Array {
  const ns =
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
  const inline = (ref: string, text: string) => `<x:c r="${ref}" t="inlineStr"><x:is><x:t>${text}</x:t></x:is></x:c>`
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><x:worksheet ${ns}><x:sheetData>
<x:row r="1">${inline('A1', '户号')}${inline('B1', '户主')}${inline('C1', '电话')}${inline('D1', '家庭成员')}${inline('E1', '地址')}</x:row>
<x:row r="2"><x:c r="A2"><x:v>101</x:v></x:c><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="C2"><x:v>13912345678</x:v></x:c>${inline('D2', '许红、许小明')}${inline('E2', '一组 &amp; 二组')}</x:row>
<x:row r="4">${inline('A4', 'W-2')}${inline('B4', '王秀英')}${inline('E4', '三组')}</x:row>
</x:sheetData></x:worksheet>`
  const shared = `<?xml version="1.0" encoding="UTF-8"?><x:sst ${ns} count="1" uniqueCount="1"><x:si><x:r><x:t>许</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>国福</x:t></x:r></x:si></x:sst>`
  const workbook = `<?xml version="1.0" encoding="UTF-8"?><x:workbook ${ns}><x:sheets><x:sheet name="Sheet1" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>`
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/></Relationships>`
  return zipSync({
    '[Content_Types].xml': strToU8('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'xl/workbook.xml': strToU8(workbook),
    'xl/_rels/workbook.xml.rels': strToU8(rels),
    'xl/worksheets/data.xml': strToU8(sheet),
    'xl/sharedStrings.xml': strToU8(shared),
  })
}

describe('roster import from .xlsx', () => {
  test('an Excel workbook with a members column imports households with their members, searchable by member', async () => {
    const v = await t.village()
    const bytes = await excelWorkbook([
      ['户号', '户主', '电话', '地址', '成员'],
      ['X01', '张桂兰', '13800001111', '东村一组', '李四、王五'],
      ['X02', '赵大海', null, null, null],
    ])
    const res = await upload(v.vid, v.tokens.clerk!, bytes)
    expect(res.status, res.text).toBe(200)
    expect(res.body.created).toBe(2)
    const found = (await t.api.get(`/api/villages/${v.vid}/households?q=王五`, v.tokens.clerk)).body.items
    expect(found.map((h: { householdNo: string }) => h.householdNo)).toEqual(['X01'])
    expect(found[0].matchedMember).toBe('王五')
    const h = (await t.api.get(`/api/households/${found[0].id}`, v.tokens.clerk)).body
    expect(h).toMatchObject({ headName: '张桂兰', phone: '13800001111', address: '东村一组' })
    expect(h.members.map((m: { name: string }) => m.name)).toEqual(['李四', '王五'])
  })

  test('the shapes WPS and other writers use are read too', async () => {
    expect(readFirstSheet(otherWriterWorkbook())).toEqual([
      { line: 1, cells: ['户号', '户主', '电话', '家庭成员', '地址'] },
      { line: 2, cells: ['101', '许国福', '13912345678', '许红、许小明', '一组 & 二组'] },
      { line: 4, cells: ['W-2', '王秀英', '', '', '三组'] },
    ])
    const v = await t.village()
    const res = await upload(v.vid, v.tokens.clerk!, otherWriterWorkbook())
    expect(res.status, res.text).toBe(200)
    const h = (await t.api.get(`/api/villages/${v.vid}/households?q=101`, v.tokens.clerk)).body.items[0]
    expect(
      (await t.api.get(`/api/households/${h.id}`, v.tokens.clerk)).body.members.map((m: { name: string }) => m.name),
    ).toEqual(['许红', '许小明'])
  })

  test('bad lines are named by the row the clerk sees, in Chinese; nothing is imported', async () => {
    const v = await t.village()
    const bytes = await excelWorkbook([
      ['户号', '户主', '电话', '成员'],
      ['Y01', null, null, null], // row 2: no head
      ['Y02', '李国', '电话没有', null], // row 3: phone
      ['Y01', '刘备', null, '张'.repeat(40)], // row 4: repeated number, a member name too long
    ])
    const res = await upload(v.vid, v.tokens.clerk!, bytes)
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('INVALID_ROWS')
    expect(res.body.error.details).toEqual([
      { line: 2, message: '户主：不能为空' },
      { line: 3, message: '电话：只能是数字' },
      { line: 4, message: expect.stringMatching(/^成员：.*太长/) },
    ])
    for (const d of res.body.error.details) expect(d.message).not.toMatch(/[A-Za-z]{2,}/)
    expect((await t.api.get(`/api/villages/${v.vid}/households`, v.tokens.clerk)).body.items).toEqual([])
    const missing = await upload(
      v.vid,
      v.tokens.clerk!,
      await excelWorkbook([
        ['姓名', '电话'],
        ['张三', '1'],
      ]),
    )
    expect(missing.body.error.details).toEqual([{ line: 1, message: '表头缺少“户号”列' }])
    const broken = await upload(v.vid, v.tokens.clerk!, Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]))
    expect(broken.status).toBe(422)
    expect(broken.body.error.details[0].message).toMatch(/不是有效的 Excel 文件/)
  })

  test('a CSV with a members column imports the members too', async () => {
    const v = await t.village()
    const res = await t.api.call(
      'POST',
      `/api/villages/${v.vid}/households/import`,
      '户号,户主,成员\nC1,张三,"李四、王五"\n',
      v.tokens.clerk,
      { 'content-type': 'text/csv' },
    )
    expect(res.status, res.text).toBe(200)
    const h = (await t.api.get(`/api/villages/${v.vid}/households?q=C1`, v.tokens.clerk)).body.items[0]
    expect(
      (await t.api.get(`/api/households/${h.id}`, v.tokens.clerk)).body.members.map((m: { name: string }) => m.name),
    ).toEqual(['李四', '王五'])
  })
})
