import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// scrypt from node:crypto: memory-hard, no native dependency. Async, so hashing never blocks other requests.
const N = 16384
const KEYLEN = 32

function derive(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEYLEN, { N: n, r: 8, p: 1 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

export async function hashSecret(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N)
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifySecret(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(n))
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** A password nobody has to type: shown once on first start. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url')
}
