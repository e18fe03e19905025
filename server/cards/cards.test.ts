import { base64url } from 'jose'
import QRCode from 'qrcode'
import { beforeAll, describe, expect, test } from 'vitest'
import { withTransaction } from '../../db/database.js'
import { type TestContext, testContext } from '../../test/context.js'
import { loadSecrets } from '../auth/secrets.js'
import { appendEntries } from '../ledger/ledger.service.js'
import { signCardCode } from './card-code.js'

let t: TestContext
let v: Awaited<ReturnType<TestContext['village']>>
let w: Awaited<ReturnType<TestContext['village']>>
beforeAll(async () => {
  t = await testContext()
  v = await t.village()
  w = await t.village()
})

const issue = (hid: string, token = v.tokens.clerk) => t.api.post(`/api/households/${hid}/cards`, {}, token)
const resolve = (code: unknown, vid = v.vid, token = v.tokens.cashier) =>
  t.api.post(`/api/villages/${vid}/cards/resolve`, { code }, token)
const print = (ids: string[], vid = v.vid, token = v.tokens.clerk) =>
  t.api.get(`/api/villages/${vid}/cards/print?householdIds=${ids.join(',')}`, token)
const count = (text: string, needle: string) => text.split(needle).length - 1

async function credit(villageId: string, householdId: string, amount: number) {
  await withTransaction(t.db, (trx) =>
    appendEntries(trx, villageId, null, [
      { kind: 'award', householdId, amount, counter: 'issuance', memo: '测试', honourDelta: amount },
    ]),
  )
}

describe('issuing and resolving', () => {
  test('a clerk issues a card; every kind of village staff resolves it to the household and its balance', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!, { headName: '孙八', pin: '1234' })
    await credit(v.vid, h.id, 35)
    const card = await issue(h.id)
    expect(card.status).toBe(201)
    expect(card.body.serial).toBe(`${h.householdNo}-1`)
    expect(card.body.svg).toMatch(/^<svg[^>]*viewBox="0 0 41 41"/)
    for (const role of ['cashier', 'clerk', 'approver', 'auditor']) {
      const res = await resolve(card.body.code, v.vid, v.tokens[role])
      expect(res.status, role).toBe(200)
      expect(res.body.card).toEqual({ id: card.body.id, serial: card.body.serial })
      expect(res.body.household).toMatchObject({
        id: h.id,
        householdNo: h.householdNo,
        headName: '孙八',
        balance: 35,
        hasPin: true,
      })
    }
  })

  test('the code carries the card id only: no name, no household number, in clear or in base64', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!, {
      headName: '欧阳明珠',
      phone: '13912345678',
      address: '东街1号',
    })
    const { code, id } = (await issue(h.id)).body
    const payload = new TextDecoder().decode(base64url.decode(code.split('.')[0]))
    expect(JSON.parse(payload)).toEqual({ c: id })
    for (const personal of ['欧阳明珠', '13912345678', '东街', h.householdNo, h.id]) {
      expect(code).not.toContain(personal)
      expect(payload).not.toContain(personal)
    }
  })

  test('forged, altered, truncated and extended codes are 422 CARD_INVALID; junk is never a 200 or a 500', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!)
    const { code } = (await issue(h.id)).body
    const i = Math.floor(code.length / 2)
    const flipped = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1)
    const lastFlipped = code.slice(0, -1) + (code.at(-1) === 'A' ? 'B' : 'A')
    const foreignKey = await signCardCode(crypto.getRandomValues(new Uint8Array(32)), (await issue(h.id)).body.id)
    for (const bad of [
      flipped,
      lastFlipped,
      code.slice(0, -1),
      code.slice(0, 40),
      code + 'x',
      code + '.x',
      foreignKey,
      'hello',
      '',
      '孙八',
      '\u0000',
    ]) {
      const res = await resolve(bad)
      expect(res.status, bad).toBe(422)
      expect(res.body.error.code).toBe('CARD_INVALID')
    }
    for (const junk of ['A'.repeat(100_000), null, 42, { c: 'x' }]) {
      const res = await resolve(junk)
      expect(res.status, String(junk).slice(0, 20)).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
    }
  })

  test('a well-signed code for a card that does not exist is CARD_INVALID', async () => {
    const { cardKey } = await loadSecrets(t.db) // the key the app signs with, read back from the database
    const code = await signCardCode(cardKey, 'zzzzzzzzzzzzzzzzzzzz')
    const res = await resolve(code)
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('CARD_INVALID')
  })

  test('the QR symbol stays small: version 6 or less at error correction M', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!, {
      householdNo: `长号码-${'9'.repeat(24)}`,
      headName: '名'.repeat(32),
    })
    const { code } = (await issue(h.id)).body
    const qr = QRCode.create(code, { errorCorrectionLevel: 'M' })
    expect(qr.version).toBeLessThanOrEqual(6)
    expect(code.length).toBeLessThanOrEqual(84) // what version 5-M holds in byte mode
  })
})

describe('revoking and reissuing', () => {
  test('a revoked card is CARD_REVOKED; revoking twice keeps the first date', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!)
    const card = (await issue(h.id)).body
    expect((await t.api.post(`/api/cards/${card.id}/revoke`, {}, v.tokens.cashier)).status).toBe(403)
    const revoked = await t.api.post(`/api/cards/${card.id}/revoke`, {}, v.tokens.clerk)
    expect(revoked.status).toBe(200)
    expect(revoked.body).toMatchObject({ id: card.id, status: 'revoked', householdId: h.id })
    const res = await resolve(card.code)
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('CARD_REVOKED')
    const again = await t.api.post(`/api/cards/${card.id}/revoke`, {}, v.tokens.clerk)
    expect(again.status).toBe(200)
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt)
    expect((await t.api.get(`/api/cards/${card.id}/svg`, v.tokens.clerk)).body.error.code).toBe('CARD_REVOKED')
  })

  test('reissuing revokes the old card; the list shows both, newest first, without codes', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!)
    const first = (await issue(h.id)).body
    const second = (await issue(h.id)).body
    expect(second.serial).toBe(`${h.householdNo}-2`)
    expect(second.code).not.toBe(first.code)
    const old = await resolve(first.code)
    expect(old.status).toBe(422)
    expect(old.body.error.code).toBe('CARD_REVOKED')
    expect((await resolve(second.code)).status).toBe(200)
    const list = await t.api.get(`/api/households/${h.id}/cards`, v.tokens.auditor)
    expect(list.status).toBe(200)
    expect(list.body.items.map((c: any) => [c.id, c.status])).toEqual([
      [second.id, 'active'],
      [first.id, 'revoked'],
    ])
    expect(list.text).not.toContain(second.code)
  })

  test('cards issued at the same moment leave exactly one active', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!)
    const results = await Promise.all(Array.from({ length: 6 }, () => issue(h.id)))
    expect(results.every((r) => r.status === 201)).toBe(true)
    const list = (await t.api.get(`/api/households/${h.id}/cards`, v.tokens.clerk)).body.items
    expect(list.filter((c: any) => c.status === 'active')).toHaveLength(1)
    expect(new Set(list.map((c: any) => c.serial)).size).toBe(6)
    const ok = await Promise.all(results.map((r) => resolve(r.body.code)))
    expect(ok.filter((r) => r.status === 200)).toHaveLength(1)
  })

  test('only a clerk issues; a cashier cannot', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!)
    const res = await issue(h.id, v.tokens.cashier)
    expect(res.status).toBe(403)
    expect((await t.api.get(`/api/households/${h.id}/cards`, v.tokens.clerk)).body.items).toEqual([])
  })
})

describe('villages are isolated', () => {
  test("another village's staff gets 403 on every card path and cannot resolve the card", async () => {
    const h = await t.household(v.vid, v.tokens.clerk!)
    const card = (await issue(h.id)).body
    for (const res of [
      await issue(h.id, w.tokens.clerk),
      await t.api.get(`/api/households/${h.id}/cards`, w.tokens.clerk),
      await t.api.post(`/api/cards/${card.id}/revoke`, {}, w.tokens.clerk),
      await t.api.get(`/api/cards/${card.id}/svg`, w.tokens.clerk),
      await resolve(card.code, v.vid, w.tokens.cashier),
      await print([h.id], v.vid, w.tokens.clerk),
    ]) {
      expect(res.status).toBe(403)
    }
    const cross = await resolve(card.code, w.vid, w.tokens.cashier)
    expect(cross.status).toBe(403)
    expect(cross.body.error.code).toBe('FORBIDDEN')
    expect(cross.text).not.toContain(h.headName)
    const ownSheet = await print([h.id], w.vid, w.tokens.clerk)
    expect(ownSheet.status).toBe(404)
    // Nothing changed: still one card, still active, still resolving at home.
    expect((await resolve(card.code)).status).toBe(200)
    expect((await t.api.get(`/api/households/${h.id}/cards`, v.tokens.clerk)).body.items).toHaveLength(1)
  })
})

describe('the printable card sheet', () => {
  test('prints each household once with its name, number and QR, escaping what the roster holds', async () => {
    const carded = await t.household(v.vid, v.tokens.clerk!, { headName: '周九' })
    const existing = (await issue(carded.id)).body
    const tricky = await t.household(v.vid, v.tokens.clerk!, {
      householdNo: `A&B<${Date.now()}>`,
      headName: '<b>吴"十\'</b>',
    })
    const plain = await t.household(v.vid, v.tokens.clerk!, { headName: '郑十一' })
    const res = await print([carded.id, tricky.id, plain.id, carded.id])
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const village = (await t.api.get(`/api/villages/${v.vid}`, v.tokens.clerk)).body
    expect(count(res.text, '<svg')).toBe(3)
    expect(count(res.text, '公益银行积分卡')).toBe(3)
    expect(res.text).toContain(village.name)
    for (const name of ['周九', '郑十一', '&lt;b&gt;吴&quot;十&#39;&lt;/b&gt;']) expect(res.text).toContain(name)
    expect(res.text).toContain(tricky.householdNo.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;'))
    expect(res.text).not.toContain('<b>')
    expect(res.text).toMatch(/@page\s*{\s*size:\s*A4/)
    // The household that had a card gets that same card on the sheet, which keeps working.
    expect(res.text).toContain(existing.svg)
    expect(res.text).toContain(existing.serial)
    expect((await resolve(existing.code)).status).toBe(200)
  })

  test('issues a card only to households without one, and printing again issues nothing', async () => {
    const a = await t.household(v.vid, v.tokens.clerk!)
    const b = await t.household(v.vid, v.tokens.clerk!)
    await issue(a.id)
    const cardsOf = async (hid: string) => (await t.api.get(`/api/households/${hid}/cards`, v.tokens.clerk)).body.items
    const first = await print([a.id, b.id])
    expect((await cardsOf(a.id)).map((c: any) => c.status)).toEqual(['active'])
    const bCards = await cardsOf(b.id)
    expect(bCards.map((c: any) => c.status)).toEqual(['active'])
    const svg = await t.api.get(`/api/cards/${bCards[0].id}/svg`, v.tokens.clerk)
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    expect(first.text).toContain(svg.text)
    const second = await print([a.id, b.id])
    expect(second.text).toBe(first.text)
    expect(await cardsOf(a.id)).toHaveLength(1)
    expect(await cardsOf(b.id)).toHaveLength(1)
  })

  test('lays out ten cards to an A4 page', async () => {
    const ids: string[] = []
    for (let i = 0; i < 12; i++) ids.push((await t.household(v.vid, v.tokens.clerk!)).id)
    const res = await print(ids)
    expect(count(res.text, '<svg')).toBe(12)
    expect(count(res.text, '<div class="page">')).toBe(2)
    expect(count(res.text.split('<div class="page">')[1]!, '<section class="card">')).toBe(10)
  })

  test('refuses non-clerks, an empty list, and households it does not know (issuing nothing)', async () => {
    const h = await t.household(v.vid, v.tokens.clerk!)
    expect((await print([h.id], v.vid, v.tokens.cashier)).status).toBe(403)
    const empty = await t.api.get(`/api/villages/${v.vid}/cards/print?householdIds=`, v.tokens.clerk)
    expect(empty.status).toBe(400)
    expect((await t.api.get(`/api/villages/${v.vid}/cards/print`, v.tokens.clerk)).status).toBe(400)
    const unknown = await print([h.id, 'nosuchhousehold'])
    expect(unknown.status).toBe(404)
    expect((await t.api.get(`/api/households/${h.id}/cards`, v.tokens.clerk)).body.items).toEqual([])
  })
})
