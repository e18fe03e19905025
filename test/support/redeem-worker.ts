/*
 * A second (and third) process at the counter, for server/supermarket/redemptions/redemptions.processes.test.ts: opens the same database (file or URL)
 * and runs the redemption service on it, all sales at once, starting at an agreed instant so the processes
 * overlap. Prints one JSON line: each sale's key and outcome, and when the process started and finished.
 *
 *   node --import tsx test/support/redeem-worker.ts <db file> <plan.json>
 */
import { readFileSync } from 'node:fs'
import { openDatabase } from '../../db/database.js'
import { loadSecrets } from '../../server/auth/secrets.js'
import { DomainError } from '../../server/core/errors.js'
import type { ActingUser } from '../../server/core/actor.js'
import { redeem } from '../../server/supermarket/redemptions/redeem.service.js'

export interface WorkerPlan {
  villageId: string
  cashierId: string
  startAt: number
  sales: {
    key: string
    body: { cardCode?: string; householdId?: string; items: { productId: string; quantity: number }[] }
  }[]
}

export interface WorkerOutcome {
  key: string
  status: number
  id?: string
  code?: string
}

const [file, planFile] = process.argv.slice(2)
const plan = JSON.parse(readFileSync(planFile!, 'utf8')) as WorkerPlan
const { db, close } = openDatabase(file!)
const { cardKey } = await loadSecrets(db)
const cashier: ActingUser = { id: plan.cashierId, username: 'worker', roles: ['cashier'], villageId: plan.villageId }

await new Promise((r) => setTimeout(r, Math.max(0, plan.startAt - Date.now())))
const started = Date.now()
const outcomes: WorkerOutcome[] = await Promise.all(
  plan.sales.map(async ({ key, body }) => {
    try {
      const res = await redeem(db, cashier, plan.villageId, key, body, { cardKey })
      return { key, status: res.status, id: res.body.id }
    } catch (err) {
      if (err instanceof DomainError) return { key, status: err.status, code: err.code }
      return { key, status: 500, code: String(err) }
    }
  }),
)
const finished = Date.now()
await close()
process.stdout.write(`${JSON.stringify({ pid: process.pid, started, finished, outcomes })}\n`)
