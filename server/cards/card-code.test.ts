import { base64url } from 'jose'
import { describe, expect, test } from 'vitest'
import { readCardCode, signCardCode } from './card-code.js'

const key = crypto.getRandomValues(new Uint8Array(32))
const otherKey = crypto.getRandomValues(new Uint8Array(32))
const cardId = '0mww3zuoa00084op18m0'
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

async function refusal(code: unknown): Promise<string> {
  try {
    await readCardCode(key, code)
    return 'accepted'
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  }
}

describe('card code', () => {
  test('names the card, and always the same code for the same card', async () => {
    const code = await signCardCode(key, cardId)
    expect(await readCardCode(key, code)).toBe(cardId)
    expect(await signCardCode(key, cardId)).toBe(code)
    expect(await readCardCode(key, `  ${code}\r\n`)).toBe(cardId) // a USB scanner's Enter
  })

  test('is two base64url parts: the payload holds the card id and nothing else', async () => {
    const code = await signCardCode(key, cardId)
    expect(code).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(code.split('.')[0]!)))
    expect(payload).toEqual({ c: cardId })
  })

  test('every single-character change is refused, including the spare bits of the last character', async () => {
    const code = await signCardCode(key, cardId)
    for (let i = 0; i < code.length; i++) {
      for (const ch of [ALPHABET[(ALPHABET.indexOf(code[i]!) + 1) % 64]!, ALPHABET[ALPHABET.indexOf(code[i]!) ^ 1]!]) {
        if (ch === code[i]) continue
        const altered = code.slice(0, i) + ch + code.slice(i + 1)
        expect(await refusal(altered), `position ${i} → ${ch}`).toBe('CARD_INVALID')
      }
    }
  })

  test('truncated, extended, re-headed, foreign-key and garbage codes are CARD_INVALID', async () => {
    const code = await signCardCode(key, cardId)
    const [payload, signature] = code.split('.') as [string, string]
    const other = await signCardCode(key, 'zzzzzzzzzzzzzzzzzzzz')
    const header = base64url.encode('{"alg":"HS256"}')
    for (const bad of [
      code.slice(0, -1),
      code.slice(1),
      code + 'x',
      code + '.',
      code + 'A',
      `${header}.${code}`,
      `${payload}.${other.split('.')[1]}`,
      `${other.split('.')[0]}.${signature}`,
      await signCardCode(otherKey, cardId),
      '',
      'hello',
      '.',
      'a.b',
      '孙八.签名',
      'A'.repeat(100_000),
      `${base64url.encode('{"c":1}')}.${signature}`,
      null,
      undefined,
      42,
    ]) {
      expect(await refusal(bad), String(bad).slice(0, 40)).toBe('CARD_INVALID')
    }
  })

  test('a correctly signed payload that does not name a card is refused', async () => {
    // Signed with the real key, so only the payload check can refuse these.
    const { CompactSign } = await import('jose')
    for (const claims of ['{"c":1}', '{"x":"abc"}', 'null', '"abc"', '{"c":"../x"}', 'not json']) {
      const jws = await new CompactSign(new TextEncoder().encode(claims)).setProtectedHeader({ alg: 'HS256' }).sign(key)
      const [, p, s] = jws.split('.')
      expect(await refusal(`${p}.${s}`), claims).toBe('CARD_INVALID')
    }
  })
})
