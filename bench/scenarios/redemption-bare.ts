import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import SQLite from 'better-sqlite3'
import { newId, nowIso } from '../../db/ids.js'
import { entryHash, GENESIS } from '../../server/ledger/hash-chain.js'

/*
 * The baseline for the redemption endpoint: the best this machine does for the same sale with better-sqlite3
 * alone. It makes the same reads and writes as POST /redemptions (redemptions.service.ts → redeem), in the
 * same order, one BEGIN IMMEDIATE transaction per sale, on the same file with the same pragmas (WAL,
 * synchronous=FULL), and it writes real rows (the hash chain stays valid), but with statements prepared once,
 * no HTTP, no auth, no validation, no query builder and no async hops.
 *
 * Outside the transaction: the idempotency key, the card code's HMAC, the card, the household, the village's
 * zone. Inside: the key again, household, card status, product, balance, today's receipt counter, chain head,
 * balance; then the entry, its two postings, two balances, the redemption, its line, the stock, the stock
 * move and the stored answer.
 */
export class BareRedeemer {
  private readonly db: SQLite.Database
  private readonly q
  private readonly day = new Map<string, Intl.DateTimeFormat>()
  private readonly header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url')

  constructor(
    file: string,
    private readonly villageId: string,
    private readonly cashierId: string,
    private readonly cardKey: Uint8Array,
  ) {
    const db = new SQLite(file)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    this.db = db
    this.q = {
      key: db.prepare('select request_hash, status, response from idempotency_keys where village_id = ? and key = ?'),
      card: db.prepare('select * from cards where id = ?'),
      cardStatus: db.prepare('select status from cards where id = ?'),
      household:
        db.prepare(`select id, village_id, household_no, head_name, pin_hash, pin_failures, pin_locked_until, suspended_until, suspended_reason
        from households where id = ?`),
      timezone: db.prepare('select timezone from villages where id = ?').pluck(),
      product: db.prepare('select * from products where village_id = ? and id = ?'),
      balance: db.prepare('select id, balance from accounts where id = ?'),
      receipts: db
        .prepare('select count(*) from redemptions where village_id = ? and receipt_no >= ? and receipt_no < ?')
        .pluck(),
      receiptCounter: db.prepare('select last from receipt_counters where village_id = ? and day = ?').pluck(),
      receiptCounterSet: db.prepare('update receipt_counters set last = ? where village_id = ? and day = ?'),
      receiptCounterNew: db.prepare('insert into receipt_counters (village_id, day, last) values (?, ?, ?)'),
      head: db.prepare('select seq, hash from ledger_entries where village_id = ? order by seq desc limit 1'),
      entry:
        db.prepare(`insert into ledger_entries (id, village_id, seq, at, kind, household_id, amount, balance_after, memo, occurred_on, rule_id,
        award_id, redemption_id, reverses_id, created_by, prev_hash, hash) values (@id, @village_id, @seq, @at, @kind, @household_id, @amount,
        @balance_after, @memo, @occurred_on, @rule_id, @award_id, @redemption_id, @reverses_id, @created_by, @prev_hash, @hash)`),
      postings: db.prepare(
        'insert into ledger_postings (village_id, entry_id, account_id, amount) values (?, ?, ?, ?), (?, ?, ?, ?)',
      ),
      move: db.prepare('update accounts set balance = balance + ? where id in (?)'),
      redemption:
        db.prepare(`insert into redemptions (id, village_id, receipt_no, household_id, card_id, points_spent, balance_after, ledger_entry_id, at,
        cashier_id, voided_at, voided_by, void_reason, void_entry_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, null, null)`),
      line: db.prepare(
        'insert into redemption_lines (redemption_id, product_id, quantity, unit_points, points) values (?, ?, ?, ?, ?)',
      ),
      stock: db.prepare('update products set stock = stock + ? where id = ? and village_id = ? and stock + ? >= 0'),
      stockMove:
        db.prepare(`insert into stock_moves (village_id, product_id, kind, quantity, unit_points, receipt_id, redemption_id, stocktake_id,
        best_before, reason, at, created_by) values (?, ?, 'redemption', ?, ?, null, ?, null, null, null, ?, ?)`),
      storeKey: db.prepare(
        'insert into idempotency_keys (village_id, key, request_hash, status, response, created_at) values (?, ?, ?, ?, ?, ?)',
      ),
    }
  }

  /** The card id in a code, if its HMAC is right (the same check as card-code.ts, done synchronously). */
  private cardIdOf(code: string): string {
    const [payload, signature] = code.split('.')
    const mac = createHmac('sha256', this.cardKey).update(`${this.header}.${payload}`).digest()
    const given = Buffer.from(signature ?? '', 'base64url')
    if (given.length !== mac.length || !timingSafeEqual(given, mac)) throw new Error('CARD_INVALID')
    return (JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { c: string }).c
  }

  private today(timeZone: string): string {
    let f = this.day.get(timeZone)
    if (!f)
      this.day.set(
        timeZone,
        (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })),
      )
    return f.format(new Date())
  }

  /** One sale of `quantity` of one product, paid by the household behind the card. */
  sell(cardCode: string, productId: string, quantity: number, key: string) {
    const { q, villageId } = this
    const requestHash = createHash('sha256')
      .update(
        JSON.stringify({ operation: 'redemption', villageId, request: { cardCode, items: [{ productId, quantity }] } }),
      )
      .digest('hex')
    if (q.key.get(villageId, key)) throw new Error('IDEMPOTENCY_KEY_REUSED')
    const card = q.card.get(this.cardIdOf(cardCode)) as {
      id: string
      village_id: string
      household_id: string
      status: string
    }
    if (!card || card.village_id !== villageId || card.status !== 'active') throw new Error('CARD')
    q.household.get(card.household_id)
    const today = this.today(q.timezone.get(villageId) as string)
    this.db
      .transaction(() => {
        if (q.key.get(villageId, key)) throw new Error('IDEMPOTENCY_KEY_REUSED')
        const h = q.household.get(card.household_id) as { id: string; household_no: string }
        if ((q.cardStatus.get(card.id) as { status: string }).status !== 'active') throw new Error('CARD_REVOKED')
        const p = q.product.get(villageId, productId) as {
          id: string
          sku: string
          name: string
          unit: string | null
          points_price: number
          stock: number
        }
        const points = p.points_price * quantity
        const balance = (q.balance.get(h.id) as { balance: number }).balance
        if (p.stock < quantity || balance < points) throw new Error('bench ran dry')
        const prefix = `${today.replaceAll('-', '')}-`
        // The day's receipt counter, as redeem.service.ts keeps it (migration 0095).
        const last = q.receiptCounter.get(villageId, today) as number | undefined
        const n =
          last === undefined ? Number(q.receipts.get(villageId, prefix, `${prefix.slice(0, -1)}.`)) + 1 : last + 1
        if (last === undefined) q.receiptCounterNew.run(villageId, today, n)
        else q.receiptCounterSet.run(n, villageId, today)
        const receiptNo = `${prefix}${String(n).padStart(4, '0')}`
        const head = (q.head.get(villageId) as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS }
        q.balance.get(h.id)
        const id = newId()
        const at = nowIso()
        const supermarket = `${villageId}:supermarket`
        const row = {
          id: newId(),
          village_id: villageId,
          seq: head.seq + 1,
          at,
          kind: 'redemption' as const,
          household_id: h.id,
          amount: -points,
          balance_after: balance - points,
          memo: `爱心超市兑换 ${receiptNo}`,
          occurred_on: null,
          rule_id: null,
          award_id: null,
          redemption_id: id,
          reverses_id: null,
          created_by: this.cashierId,
          prev_hash: head.hash,
          hash: '',
        }
        row.hash = entryHash(row, [
          { account: h.id, amount: -points },
          { account: supermarket, amount: points },
        ])
        q.entry.run(row)
        q.postings.run(villageId, row.id, h.id, -points, villageId, row.id, supermarket, points)
        q.move.run(-points, h.id)
        q.move.run(points, supermarket)
        q.redemption.run(id, villageId, receiptNo, h.id, card.id, points, balance - points, row.id, at, this.cashierId)
        q.line.run(id, productId, quantity, p.points_price, points)
        if (q.stock.run(-quantity, productId, villageId, -quantity).changes !== 1) throw new Error('OUT_OF_STOCK')
        q.stockMove.run(villageId, productId, -quantity, p.points_price, id, at, this.cashierId)
        const answer = {
          id,
          receiptNo,
          householdId: h.id,
          householdNo: h.household_no,
          cardId: card.id,
          pointsSpent: points,
          balanceAfter: balance - points,
          items: [{ productId, sku: p.sku, name: p.name, unit: p.unit, quantity, unitPoints: p.points_price, points }],
          at,
          cashierId: this.cashierId,
          ledgerEntryId: row.id,
          voided: false,
          voidedAt: null,
          voidedBy: null,
          voidReason: null,
          voidEntryId: null,
        }
        q.storeKey.run(villageId, key, requestHash, 201, JSON.stringify(answer), at)
      })
      .immediate()
  }

  /** Sells for `seconds` (at most `max` sales); sales per second. */
  run(
    seconds: number,
    max: number,
    next: (i: number) => { code: string; key: string },
    productId: string,
  ): { perSecond: number; sales: number } {
    const started = performance.now()
    let sales = 0
    while (sales < max && performance.now() - started < seconds * 1000) {
      const { code, key } = next(sales)
      this.sell(code, productId, 1, key)
      sales++
    }
    return { perSecond: sales / ((performance.now() - started) / 1000), sales }
  }

  close() {
    this.db.close()
  }
}
