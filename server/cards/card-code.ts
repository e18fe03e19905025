import { base64url, CompactSign, compactVerify } from 'jose'
import { DomainError } from '../core/errors.js'

/*
 * A card's code is what the QR symbol holds. It is an HS256 JWS in compact form with the protected header left
 * out, because the header never changes and every character makes the QR denser and harder to scan from a worn,
 * printed card:
 *
 *     code = base64url(payload) "." base64url(HMAC-SHA256)      payload = {"c":"<cardId>"}
 *
 * Verifying puts the fixed header back and lets jose check the signature. The payload names the card only: no
 * name, no household number, nothing personal in clear text. HMAC is deterministic, so the same card always
 * gives the same code, which is what lets a card sheet be printed again without issuing new cards.
 */

const HEADER = base64url.encode(JSON.stringify({ alg: 'HS256' }))
const HMAC_SHA256_BYTES = 32
/** A generous bound: a real code is ~80 characters; anything much longer is not ours, so it is not parsed. */
export const MAX_CODE_LENGTH = 256
const SHAPE = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/
const CARD_ID = /^[0-9a-z]{1,64}$/

const invalid = () => new DomainError('CARD_INVALID', '这不是本系统的积分卡 (the card code is not valid)')

export async function signCardCode(key: Uint8Array, cardId: string): Promise<string> {
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ c: cardId })))
    .setProtectedHeader({ alg: 'HS256' })
    .sign(key)
  const [header, payload, signature] = jws.split('.')
  if (header !== HEADER) throw new Error('jose wrote an unexpected JWS header') // would make every card unreadable
  return `${payload}.${signature}`
}

/*
 * Codes already proven under a key: HMAC is deterministic, so a code that verified once always will under
 * the same key, and the counter sees the same cards every day. Kept per key object so that two databases
 * in one process (tests, tools) never share proofs.
 */
const proven = new WeakMap<Uint8Array, Map<string, string>>()
const MAX_PROVEN = 10_000

/** The card id a code names, once its signature checks out; anything else is CARD_INVALID. */
export async function readCardCode(key: Uint8Array, code: unknown): Promise<string> {
  // Scanners that type like a keyboard add Enter; whitespace is never part of a code.
  const text = typeof code === 'string' && code.length <= MAX_CODE_LENGTH ? code.trim() : ''
  const known = proven.get(key)?.get(text)
  if (known) return known
  const cardId = await verifyCardCode(key, text)
  let codes = proven.get(key)
  if (!codes) proven.set(key, (codes = new Map()))
  if (codes.size >= MAX_PROVEN) codes.clear()
  codes.set(text, cardId)
  return cardId
}

async function verifyCardCode(key: Uint8Array, text: string): Promise<string> {
  const match = SHAPE.exec(text)
  if (!match) throw invalid()
  const [, payload, signature] = match as unknown as [string, string, string]
  // base64url has spare bits in its last character; insist on the one canonical spelling of the signature
  // so that a code that differs in any character is refused, not silently accepted as the same card.
  if (!isCanonical(signature, HMAC_SHA256_BYTES)) throw invalid()
  let verified: Uint8Array
  try {
    verified = (await compactVerify(`${HEADER}.${payload}.${signature}`, key, { algorithms: ['HS256'] })).payload
  } catch {
    throw invalid()
  }
  const cardId = parseCardId(verified)
  if (!cardId) throw invalid()
  return cardId
}

function isCanonical(encoded: string, bytes: number): boolean {
  try {
    const decoded = base64url.decode(encoded)
    return decoded.length === bytes && base64url.encode(decoded) === encoded
  } catch {
    return false
  }
}

function parseCardId(payload: Uint8Array): string | null {
  try {
    const claims = JSON.parse(new TextDecoder().decode(payload)) as unknown
    const c = (claims as { c?: unknown } | null)?.c
    return typeof c === 'string' && CARD_ID.test(c) ? c : null
  } catch {
    return null
  }
}
