import { type KeyObject, sign, verify } from 'node:crypto'
import type { DB } from '../../db/database.js'
import { type ActingUser, assertVillage } from '../core/actor.js'
import { GENESIS } from './hash-chain.js'

/**
 * A checkpoint is a witness of a village's hash chain kept outside the database: "at entry `seq` the chain's
 * head was `head`", signed with the installation's Ed25519 key. Whoever holds one (the township, the auditor,
 * a villager's photo of the board) can later show that history was not rewritten — a chain edited and
 * re-hashed, cut short, or put back to an older copy no longer passes through it.
 */
export interface Checkpoint {
  villageId: string
  seq: number
  head: string
  at: string
  signature: string
  /** Which key signed it: the first 16 hex of sha256 over the public key (SPKI DER). */
  keyId?: string
}

export {
  type CheckpointKey,
  CHECKPOINT_KEY_FILE,
  keyDirFor,
  ephemeralCheckpointKey,
  loadOrCreateCheckpointKey,
  checkpointKeyPem,
  checkpointKeyFromPem,
  readCheckpointPublicKey,
} from '../auth/checkpoint-key.js'
import type { CheckpointKey } from '../auth/checkpoint-key.js'

function signedBytes(c: Pick<Checkpoint, 'villageId' | 'seq' | 'head' | 'at'>): Buffer {
  return Buffer.from(JSON.stringify(['gongyi-checkpoint-v1', c.villageId, c.seq, c.head, c.at]), 'utf8')
}

export function signCheckpoint(
  key: CheckpointKey,
  c: Pick<Checkpoint, 'villageId' | 'seq' | 'head' | 'at'>,
): Checkpoint {
  const signature = sign(null, signedBytes(c), key.privateKey).toString('base64url')
  return { villageId: c.villageId, seq: c.seq, head: c.head, at: c.at, signature, keyId: key.keyId }
}

export function checkpointSignatureValid(publicKey: KeyObject, c: Checkpoint): boolean {
  try {
    return verify(null, signedBytes(c), publicKey, Buffer.from(c.signature, 'base64url'))
  } catch {
    return false
  }
}

/**
 * The village chain's head as of `asOf` (an ISO instant; now when absent): the last entry at or before it.
 * An empty chain is seq 0 with the genesis head.
 */
export async function takeCheckpoint(
  db: DB,
  actor: ActingUser,
  key: CheckpointKey,
  villageId: string,
  asOf?: string,
): Promise<Checkpoint> {
  assertVillage(actor, villageId)
  let q = db.selectFrom('ledger_entries').select(['seq', 'hash']).where('village_id', '=', villageId)
  if (asOf) q = q.where('at', '<=', asOf)
  const last = await q.orderBy('seq', 'desc').limit(1).executeTakeFirst()
  return signCheckpoint(key, {
    villageId,
    seq: last?.seq ?? 0,
    head: last?.hash ?? GENESIS,
    at: asOf ?? new Date().toISOString(),
  })
}

export interface CheckpointProblem {
  checkpoint: { villageId: string; seq: number; head: string; at: string }
  problem: string
}

/**
 * Checks that the village's chain in `db` still passes through every checkpoint: the entry at `seq` exists
 * and has `head` as its hash. (That the chain itself hangs together is verifyLedger's job; together they say
 * that history up to each checkpoint is what it was when the checkpoint was signed.) Checkpoints of other
 * villages are ignored by the caller; a checkpoint whose signature does not verify is reported, not trusted.
 */
export async function checkCheckpoints(
  db: DB,
  villageId: string,
  checkpoints: Checkpoint[],
  publicKey: KeyObject | null,
): Promise<CheckpointProblem[]> {
  const problems: CheckpointProblem[] = []
  const head = await db
    .selectFrom('ledger_entries')
    .select('seq')
    .where('village_id', '=', villageId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  for (const c of checkpoints) {
    const named = { villageId: c.villageId, seq: c.seq, head: c.head, at: c.at }
    if (c.villageId !== villageId) {
      problems.push({ checkpoint: named, problem: 'checkpoint of another village' })
      continue
    }
    if (publicKey && !checkpointSignatureValid(publicKey, c)) {
      problems.push({ checkpoint: named, problem: "the signature does not verify with this installation's key" })
      continue
    }
    if (c.seq === 0) {
      if (c.head !== GENESIS) problems.push({ checkpoint: named, problem: 'an empty chain has the genesis head' })
      continue
    }
    const entry = await db
      .selectFrom('ledger_entries')
      .select('hash')
      .where('village_id', '=', villageId)
      .where('seq', '=', c.seq)
      .executeTakeFirst()
    if (!entry) {
      problems.push({
        checkpoint: named,
        problem: `the chain ends at seq ${head?.seq ?? 0}, before this checkpoint's seq ${c.seq}: entries were removed or an older copy was restored`,
      })
    } else if (entry.hash !== c.head) {
      problems.push({
        checkpoint: named,
        problem: `the chain's head at seq ${c.seq} is not the one signed: history up to it was rewritten`,
      })
    }
  }
  return problems
}

/**
 * The checkpoint of a period's end, from the cut a statement already read (no query): what every monthly
 * export, board and passbook carries. Ed25519 signatures are deterministic, so the same month signs the same.
 */
export function cutCheckpoint(
  key: CheckpointKey,
  villageId: string,
  cut: { headSeq: number; chainHead: string },
  at: string,
): Checkpoint {
  return signCheckpoint(key, { villageId, seq: cut.headSeq, head: cut.chainHead, at })
}
