/**
 * `npm run verify -- --db FILE [--checkpoints FILE.json] [--key PUBLIC.pem]`: recomputes every village's hash chain and balances (and every product's
 * stock) from the database file, prints what it found, and exits 1 naming the first bad entry when anything
 * does not match. Read-only: safe while the server runs.
 *
 * With `--checkpoints` (a JSON file: one checkpoint, a list, or `{checkpoints: [...]}` as the exports carry
 * them) it also checks that each village's chain still passes through every checkpoint, and exits 1 naming
 * the ones it does not. Signatures are checked with `--key`, or with the key folder beside the database.
 */
import { createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { checkpointSchema } from '../../shared/schemas/ledger.js'
import { readCheckpointPublicKey } from '../ledger/checkpoint.js'
import { keyDirForDb } from '../core/config.js'
import { checkDatabaseFile, describeCheck } from '../ops/check-database.js'
import { loadConfig } from '../core/config.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    json: { type: 'boolean' },
    checkpoints: { type: 'string' },
    key: { type: 'string' },
  },
})
const config = loadConfig()
const file = values.db ?? config.dbFile
// --db names another file: its key folder is the one beside it (unless GONGYI_KEY_DIR says otherwise).
const keyDir = values.db ? keyDirForDb(values.db) : config.keyDir

function readCheckpoints(path: string) {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown
  const list = Array.isArray(raw)
    ? raw
    : ((raw as { checkpoints?: unknown })?.checkpoints ?? (raw as { checkpoint?: unknown })?.checkpoint ?? raw)
  return z.array(checkpointSchema).parse(Array.isArray(list) ? list : [list])
}

let opts = {}
if (values.checkpoints) {
  try {
    const publicKey = values.key
      ? createPublicKey(readFileSync(values.key, 'utf8'))
      : keyDir
        ? readCheckpointPublicKey(keyDir)
        : null
    if (!publicKey) console.log('  (no checkpoint key found beside the database: signatures not checked, heads are)')
    opts = { checkpoints: readCheckpoints(values.checkpoints), publicKey }
  } catch (err) {
    console.error(`cannot read the checkpoints: ${String((err as Error)?.message ?? err)}`)
    process.exit(2)
  }
}

const check = await checkDatabaseFile(file, opts)
if (values.json) console.log(JSON.stringify(check, null, 2))
else {
  console.log(`verify ${file}`)
  for (const line of describeCheck(check)) console.log(`  ${line}`)
}
process.exit(check.ok ? 0 : 1)
