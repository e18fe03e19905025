import { Hono } from 'hono'
import { reliefReportQuery } from '../../shared/schemas/relief.js'
import { allow, scopeBy, villageOf } from '../http/access.js'
import { printable } from '../http/html.js'
import type { AppEnv } from '../http/types.js'
import { query } from '../http/validate.js'
import { getVillage } from '../villages/villages.service.js'
import { exportFileName } from './labels.js'
import { reliefReport, reliefReportCsv, reliefReportPage } from './relief-report.js'

/*
 * GET /api/villages/:vid/relief/report?month=YYYY-MM&format=json|csv|html (issue 18): the month's relief, for
 * those who read the monthly export (auditor, clerk, approver) and the cashier who handed the goods out. The
 * same lines are a sheet of the monthly export's workbook and a field (`relief`) of its JSON.
 */
export const reliefReportRoutes = new Hono<AppEnv>().get(
  '/villages/:vid/relief/report',
  allow('auditor', 'clerk', 'approver', 'cashier'),
  scopeBy('villages', 'vid'),
  query(reliefReportQuery),
  async (c) => {
    const { month, format } = c.req.valid('query')
    const { db } = c.var.deps
    const report = await reliefReport(db, c.var.user, villageOf(c), month)
    if (format === 'json') return c.json(report)
    const village = await getVillage(db, c.var.user, villageOf(c))
    if (format === 'html') return printable(c, await reliefReportPage(report, village.timezone))
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="${exportFileName(village.code, month, 'relief.csv')}"`)
    return c.body(reliefReportCsv(report, village.timezone))
  },
)
