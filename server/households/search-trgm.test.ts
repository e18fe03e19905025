import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { onPostgres, openMigratedTestDatabase, queryRows, type TestDatabase } from '../../test/db.js'

// PostgreSQL only (issue 15, migration 0060): household search's LIKE '%q%' can use a trigram index there;
// SQLite has no such index and scans the village (its figures are in SCALING.md).
describe.skipIf(!onPostgres)('household search on PostgreSQL: the trigram index', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await openMigratedTestDatabase()
  })
  afterAll(() => t.close())

  test('exists on households.search_key and serves a LIKE of three letters or more', async () => {
    const idx = await queryRows<{ indexdef: string }>(
      t.db,
      "select indexdef from pg_indexes where indexname = 'households_search_trgm'",
    )
    expect(idx[0]?.indexdef).toMatch(/USING gin \(search_key gin_trgm_ops\)/)
    // With a scan made expensive, the planner's way to answer the search is the index (it can serve it).
    await t.db.transaction().execute(async (trx) => {
      await queryRows(trx, 'set local enable_seqscan = off')
      const plan = await queryRows<{ 'QUERY PLAN': string }>(
        trx,
        "explain select id from households where search_key like ? escape '\\'",
        '%liguo%',
      )
      expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/households_search_trgm/)
    })
  })
})
