import type { DB } from '../../../db/database.js'
import type { Row } from '../../../db/schema.js'
import { verifySecret } from '../../auth/auth.service.js'
import { DomainError } from '../../core/errors.js'

/*
 * What a household must pass at the counter before it may spend: not suspended, and the right PIN when it has
 * one. A PIN is 4-6 digits, so guessing is stopped by counting: MAX_PIN_FAILURES wrong PINs in a row lock the
 * household's redemptions for PIN_LOCK_MINUTES.
 *
 * scrypt is slow, so the PIN is verified before the redemption's transaction (checkPin); inside it, settlePin
 * re-reads the household, refuses a lock that appeared meanwhile, and records the failure or clears the count.
 */

export const MAX_PIN_FAILURES = 5
export const PIN_LOCK_MINUTES = 15

export type CounterHousehold = Pick<
  Row<'households'>,
  | 'id'
  | 'village_id'
  | 'household_no'
  | 'head_name'
  | 'pin_hash'
  | 'pin_failures'
  | 'pin_locked_until'
  | 'suspended_until'
  | 'suspended_reason'
>

export const COUNTER_COLUMNS = [
  'id',
  'village_id',
  'household_no',
  'head_name',
  'pin_hash',
  'pin_failures',
  'pin_locked_until',
  'suspended_until',
  'suspended_reason',
] as const

/** What the PIN check outside the transaction found: which stored hash it checked, and whether the PIN matched. */
export interface PinProof {
  checkedHash: string | null
  ok: boolean
}

const isLocked = (h: CounterHousehold, now: Date) =>
  h.pin_locked_until !== null && h.pin_locked_until > now.toISOString()

function pinLocked(h: CounterHousehold) {
  return new DomainError('PIN_LOCKED', '密码错误次数过多，请稍后再试 (too many wrong PINs: try again later)', {
    lockedUntil: h.pin_locked_until,
  })
}

/** Outside the transaction: refuses a locked household, and checks the PIN it gave against the stored hash. */
export async function checkPin(h: CounterHousehold, pin: string | undefined, now: Date): Promise<PinProof> {
  if (h.pin_hash === null) return { checkedHash: null, ok: true }
  if (isLocked(h, now)) throw pinLocked(h)
  if (pin === undefined)
    throw new DomainError('WRONG_PIN', '请输入户密码 (this household needs its PIN)', { pinRequired: true })
  return { checkedHash: h.pin_hash, ok: await verifySecret(pin, h.pin_hash) }
}

export interface PinFailure {
  attemptsLeft: number
  lockedUntil: string | null
}

/**
 * Inside the transaction, on a freshly read household. Returns null when the PIN may pass, or the failure
 * that was recorded; the caller commits it and then answers WRONG_PIN (wrongPin below).
 */
export async function settlePin(trx: DB, h: CounterHousehold, proof: PinProof, now: Date): Promise<PinFailure | null> {
  if (h.pin_hash === null) return null
  if (isLocked(h, now)) throw pinLocked(h)
  // The PIN was set or changed between the check and now: nothing was verified against this one.
  if (h.pin_hash !== proof.checkedHash)
    throw new DomainError('WRONG_PIN', '户密码已更改，请重新输入 (the PIN was changed: enter it again)', {
      pinRequired: true,
    })
  if (proof.ok) {
    if (h.pin_failures > 0)
      await trx.updateTable('households').set({ pin_failures: 0 }).where('id', '=', h.id).execute()
    return null
  }
  const failures = h.pin_failures + 1
  if (failures >= MAX_PIN_FAILURES) {
    const lockedUntil = new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000).toISOString()
    await trx
      .updateTable('households')
      .set({ pin_failures: 0, pin_locked_until: lockedUntil })
      .where('id', '=', h.id)
      .execute()
    return { attemptsLeft: 0, lockedUntil }
  }
  await trx.updateTable('households').set({ pin_failures: failures }).where('id', '=', h.id).execute()
  return { attemptsLeft: MAX_PIN_FAILURES - failures, lockedUntil: null }
}

export function wrongPin(f: PinFailure) {
  const message = f.lockedUntil
    ? `户密码错误，兑换已锁定 ${PIN_LOCK_MINUTES} 分钟 (wrong PIN: redemptions locked for ${PIN_LOCK_MINUTES} minutes)`
    : `户密码错误，还可尝试 ${f.attemptsLeft} 次 (wrong PIN: ${f.attemptsLeft} tries left)`
  return new DomainError('WRONG_PIN', message, f)
}

/**
 * A sale without the card (the cashier chose the household in the search) needs the household's PIN: a
 * household with no PIN must show its card. Otherwise a cashier could spend anyone's points (issue 13).
 * Checked before the transaction and again inside it (the PIN may have been removed meanwhile).
 */
export function assertCardOrPin(h: CounterHousehold, withCard: boolean) {
  if (!withCard && h.pin_hash === null) {
    throw new DomainError(
      'CARD_REQUIRED',
      '这户没有设户密码，不带卡不能兑换，请出示积分卡 (this household has no PIN: it must show its card)',
    )
  }
}

/** A suspension runs to the end of its last day in the village's time zone. */
export function assertNotSuspended(h: CounterHousehold, today: string) {
  if (h.suspended_until !== null && h.suspended_until >= today) {
    throw new DomainError(
      'REDEMPTION_SUSPENDED',
      `该户兑换资格暂停至 ${h.suspended_until} (redemptions suspended until ${h.suspended_until})`,
      {
        suspendedUntil: h.suspended_until,
        reason: h.suspended_reason,
      },
    )
  }
}
