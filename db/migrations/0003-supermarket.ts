import { type Kysely, sql } from 'kysely'

/*
 * The love supermarket's additions to the first schema:
 * - stock_moves.unit_points: the points price when goods moved, so a donation receipt printed next year still
 *   shows the value the donor signed for, whatever the price is today.
 * - stocktakes and their lines: a count that matched the books leaves no stock move, but the village still
 *   needs proof that it counted (账实相符); stock moves of kind 'stocktake' point back to their count.
 * - unique receipt numbers per village, unique barcodes per village (a scanner must find one product), and
 *   an index to purge old idempotency keys.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stock_moves').addColumn('unit_points', 'integer').execute()
  await db.schema.alterTable('stock_moves').addColumn('stocktake_id', 'text').execute()

  await db.schema
    .createTable('stocktakes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('note', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute()
  await db.schema.createIndex('stocktakes_by_village').on('stocktakes').columns(['village_id', 'at']).execute()

  await db.schema
    .createTable('stocktake_lines')
    .addColumn('stocktake_id', 'text', (c) => c.notNull().references('stocktakes.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('expected', 'integer', (c) => c.notNull())
    .addColumn('counted', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stocktake_lines_pk', ['stocktake_id', 'product_id'])
    .execute()

  await db.schema
    .createIndex('redemptions_receipt_no_unique')
    .unique()
    .on('redemptions')
    .columns(['village_id', 'receipt_no'])
    .execute()
  await db.schema.createIndex('redemptions_by_household').on('redemptions').columns(['household_id', 'at']).execute()
  await db.schema
    .createIndex('products_barcode_unique')
    .unique()
    .on('products')
    .columns(['village_id', 'barcode'])
    .where(sql.ref('barcode'), 'is not', null)
    .execute()
  await db.schema.createIndex('stock_moves_by_receipt').on('stock_moves').columns(['receipt_id']).execute()
  await db.schema.createIndex('stock_moves_by_redemption').on('stock_moves').columns(['redemption_id']).execute()
  await db.schema.createIndex('idempotency_keys_by_age').on('idempotency_keys').columns(['created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'idempotency_keys_by_age',
    'stock_moves_by_redemption',
    'stock_moves_by_receipt',
    'products_barcode_unique',
    'redemptions_by_household',
    'redemptions_receipt_no_unique',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute()
  }
  await db.schema.dropTable('stocktake_lines').ifExists().execute()
  await db.schema.dropTable('stocktakes').ifExists().execute()
  await db.schema.alterTable('stock_moves').dropColumn('stocktake_id').execute()
  await db.schema.alterTable('stock_moves').dropColumn('unit_points').execute()
}
