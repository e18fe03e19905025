import { Hono } from 'hono'
import { boardQuery, monthlyExportQuery, passbookQuery, rollupQuery } from '../../shared/schemas/exports.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { printable } from '../http/html.js'
import type { AppEnv } from '../http/types.js'
import { query } from '../http/validate.js'
import { boardPage } from './board.js'
import { exportMonthly } from '../workers/offload.js'
import { passbookPage } from './passbook.js'
import { townshipRollup } from './rollup.js'

export const exportRoutes = new Hono<AppEnv>()
  .get('/villages/:vid/exports/monthly', allow('auditor', 'clerk', 'approver'), scopeBy('villages', 'vid'), async (c) => {
    const { month, format } = query(c, monthlyExportQuery)
    const file = await exportMonthly(c.var.deps, villageOf(c), month, format)
    // Spreadsheets download as a named file; json is read by programs (and the web app) in place.
    const disposition = format === 'json' ? `inline; filename="${file.fileName}"` : `attachment; filename="${file.fileName}"`
    return c.body(file.body, 200, {
      'content-type': file.contentType,
      'content-disposition': disposition,
      'x-ledger-chain-head': file.chainHead,
      'cache-control': 'no-store',
    })
  })
  // The board is what the village posts on its wall: any of its staff may print it.
  .get('/villages/:vid/board', scopeBy('villages', 'vid'), async (c) => {
    const { month } = query(c, boardQuery)
    return printable(c, await boardPage(c.var.deps.db, villageOf(c), month))
  })
  // A villager without a smartphone asks for it at the office or the counter.
  .get('/households/:hid/passbook', scopeBy('households', 'hid'), async (c) => {
    const q = query(c, passbookQuery)
    return printable(c, await passbookPage(c.var.deps.db, villageOf(c), c.req.param('hid'), q.month ? { month: q.month } : { year: Number(q.year) }))
  })
  .get('/rollup', allow(), async (c) => {
    const { month } = query(c, rollupQuery)
    return c.json(await townshipRollup(c.var.deps.db, month))
  })
