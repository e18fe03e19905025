import { z } from 'zod'
import { id } from './common.js'

/** A checkpoint as the server signs it (GET /villages/:vid/ledger/checkpoint), as its holder hands it back. */
export const checkpointSchema = z.object({
  villageId: id,
  seq: z.number().int().min(0),
  head: z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha-256 hex digest'),
  at: z.string().min(1).max(40),
  signature: z.string().min(1).max(200),
  keyId: z.string().max(64).optional(),
})

export const verifyWithCheckpointsInput = z.object({ checkpoints: z.array(checkpointSchema).max(10_000).default([]) })

export type CheckpointInput = z.infer<typeof checkpointSchema>
