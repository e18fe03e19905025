import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, createPrivateKey } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/*
 * The installation's Ed25519 checkpoint key (ledger/checkpoint.ts signs with it). Here, in auth/ beside the
 * other secrets, so that loading the secrets does not import the ledger (ledger/ imports http/, which imports auth/).
 */

export interface CheckpointKey {
  privateKey: KeyObject
  publicKey: KeyObject
  keyId: string
  /** The file it was read from, or null for a throwaway key (in-memory databases in tests). */
  file: string | null
}

export const CHECKPOINT_KEY_FILE = 'checkpoint-ed25519.pem'

/** `<dir of the database>/keys`: beside the file, never inside it, so a copy of the database does not carry it. */
export function keyDirFor(dbFile: string): string {
  return join(dirname(dbFile), 'keys')
}

function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16)
}

function fromPrivate(privateKey: KeyObject, file: string | null): CheckpointKey {
  const publicKey = createPublicKey(privateKey)
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), file }
}

/** A key that lives only in memory (tests on ':memory:'). */
export function ephemeralCheckpointKey(): CheckpointKey {
  return fromPrivate(generateKeyPairSync('ed25519').privateKey, null)
}

/**
 * Reads `<dir>/checkpoint-ed25519.pem`, or creates it (mode 0600) with its public half beside it
 * (`checkpoint-ed25519.pub.pem`, to hand to whoever verifies).
 */
export function loadOrCreateCheckpointKey(dir: string): CheckpointKey {
  const file = join(dir, CHECKPOINT_KEY_FILE)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' })
      writeFileSync(
        join(dir, 'checkpoint-ed25519.pub.pem'),
        publicKey.export({ type: 'spki', format: 'pem' }) as string,
      )
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as { code?: string }).code !== 'EEXIST') throw err
    }
  }
  chmodSync(file, 0o600)
  return fromPrivate(createPrivateKey(readFileSync(file, 'utf8')), file)
}

/** The private key as PKCS#8 PEM, to hand to a worker thread (a KeyObject does not cross threads as a task field). */
export function checkpointKeyPem(key: CheckpointKey): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
}

/** The key a worker thread was handed (checkpointKeyPem). */
export function checkpointKeyFromPem(pem: string, file: string | null = null): CheckpointKey {
  return fromPrivate(createPrivateKey(pem), file)
}

/** The public key of a key folder, to check signatures without the private key (the CLI). */
export function readCheckpointPublicKey(dir: string): KeyObject | null {
  const pub = join(dir, 'checkpoint-ed25519.pub.pem')
  if (existsSync(pub)) return createPublicKey(readFileSync(pub, 'utf8'))
  const priv = join(dir, CHECKPOINT_KEY_FILE)
  if (existsSync(priv)) return createPublicKey(createPrivateKey(readFileSync(priv, 'utf8')))
  return null
}
