import { Hono } from 'hono'
import { boardQuery, monthlyExportQuery, passbookQuery, rollupQuery } from '../../shared/schemas/exports.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { printable } from '../http/html.js'
import type { AppEnv } from '../http/types.js'
import { onReportingDb } from '../http/reporting.js'
import { query } from '../http/validate.js'
import { boardPage } from './board.js'
import { monthlyExport } from './monthly.js'
import { passbookPage, villagePassbooksPage } from './passbook.js'
import { townshipRollup } from './rollup.js'

export const exportRoutes = new Hono<AppEnv>()
  .get(
    '/villages/:vid/exports/monthly',
    allow('auditor', 'clerk', 'approver'),
    scopeBy('villages', 'vid'),
    query(monthlyExportQuery),
    async (c) => {
      const { month, format } = c.req.valid('query')
      const file = await onReportingDb(c, (db) =>
        monthlyExport(
          db,
          c.var.user,
          villageOf(c),
          month,
          format,
          c.var.deps.secrets.checkpointKey,
          c.var.deps.workers,
        ),
      )
      // Spreadsheets download as a named file; json is read by programs (and the web app) in place.
      const disposition =
        format === 'json' ? `inline; filename="${file.fileName}"` : `attachment; filename="${file.fileName}"`
      return c.body(file.body, 200, {
        'content-type': file.contentType,
        'content-disposition': disposition,
        'x-ledger-chain-head': file.chainHead,
        'cache-control': 'no-store',
      })
    },
  )
  // The board is what the village posts on its wall: any of its staff may print it.
  .get('/villages/:vid/board', scopeBy('villages', 'vid'), query(boardQuery), async (c) => {
    return printable(
      c,
      await onReportingDb(c, (db) =>
        boardPage(db, c.var.user, villageOf(c), c.req.valid('query').month, c.var.deps.secrets.checkpointKey),
      ),
    )
  })
  // A villager without a smartphone asks for it at the office or the counter.
  .get('/households/:hid/passbook', scopeBy('households', 'hid'), query(passbookQuery), async (c) => {
    const q = c.req.valid('query')
    return printable(
      c,
      await onReportingDb(c, (db) =>
        passbookPage(
          db,
          c.var.user,
          c.req.param('hid'),
          q.month ? { month: q.month } : { year: Number(q.year) },
          c.var.deps.secrets.checkpointKey,
        ),
      ),
    )
  })
  // Every household's passbook at once, a household per A4 sheet (issue 17).
  .get(
    '/villages/:vid/passbooks',
    allow('clerk', 'approver', 'auditor'),
    scopeBy('villages', 'vid'),
    query(passbookQuery),
    async (c) => {
      const q = c.req.valid('query')
      return printable(
        c,
        await onReportingDb(c, (db) =>
          villagePassbooksPage(
            db,
            c.var.user,
            villageOf(c),
            q.month ? { month: q.month } : { year: Number(q.year) },
            c.var.deps.secrets.checkpointKey,
          ),
        ),
      )
    },
  )
  .get('/rollup', allow(), query(rollupQuery), async (c) => {
    return c.json(await onReportingDb(c, (db) => townshipRollup(db, c.var.user, c.req.valid('query').month)))
  })
