import { type Kysely, sql } from 'kysely'
import { autoId, bytesType } from '../dialect.js'

/*
 * The whole first schema. Conventions:
 * - ids are opaque text (time-ordered, see db/ids.ts); times are ISO-8601 UTC text; dates are 'YYYY-MM-DD'
 *   in the village's own time zone; booleans are 0/1 integers; points and quantities are integers.
 * - every village-owned row carries village_id, so a deployment can shard by village later.
 * - ledger_entries, ledger_postings and stock_moves are append-only: triggers (0002) refuse UPDATE and DELETE.
 * - runs on SQLite and PostgreSQL: the numbered ids and the bytes column take their type from db/dialect.ts
 *   (on SQLite this is exactly the schema that first landed).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const [idType, idColumn] = autoId(db)
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('villages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Asia/Shanghai'))
    .addColumn('notice_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('required_approvals', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('annual_reset', 'text') // 'MM-DD' or null (off)
    .addColumn('mask_names', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull()) // comma-separated role names
    .addColumn('village_id', 'text', (c) => c.references('villages.id'))
    .addColumn('display_name', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('login_failures')
    .addColumn('id', idType, idColumn)
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('login_failures_by_user').on('login_failures').columns(['username', 'at']).execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('username', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull()) // 'ok' or an error code
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_by_village').on('audit_log').columns(['village_id', 'id']).execute()

  await db.schema
    .createTable('households')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('household_no', 'text', (c) => c.notNull())
    .addColumn('head_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('address', 'text')
    .addColumn('pin_hash', 'text')
    .addColumn('search_key', 'text', (c) => c.notNull()) // number, names, full pinyin and initials, lowercase
    .addColumn('honour', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pin_locked_until', 'text')
    .addColumn('suspended_until', 'text')
    .addColumn('suspended_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('households_no_unique', ['village_id', 'household_no'])
    .execute()

  await db.schema
    .createTable('household_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('relation', 'text')
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute()
  await db.schema.createIndex('members_by_household').on('household_members').columns(['household_id']).execute()

  await db.schema
    .createTable('cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | revoked
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text')
    .addColumn('revoked_at', 'text')
    .execute()
  await db.schema.createIndex('cards_by_household').on('cards').columns(['household_id']).execute()

  await db.schema
    .createTable('rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('limit_count', 'integer')
    .addColumn('limit_period', 'text') // day | week | month | year
    .addColumn('evidence', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('rules_by_village').on('rules').columns(['village_id', 'code']).execute()

  await db.schema
    .createTable('awards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull().references('rules.id'))
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // pending | rejected | publicized | posted | withdrawn
    .addColumn('household_count', 'integer', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('notice_until', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text') // why rejected or withdrawn
    .addColumn('posted_at', 'text')
    .execute()
  await db.schema.createIndex('awards_by_village').on('awards').columns(['village_id', 'status', 'id']).execute()

  await db.schema
    .createTable('award_households')
    .addColumn('award_id', 'text', (c) => c.notNull().references('awards.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('member_id', 'text')
    .addPrimaryKeyConstraint('award_households_pk', ['award_id', 'household_id'])
    .execute()

  await db.schema
    .createTable('award_approvals')
    .addColumn('award_id', 'text', (c) => c.notNull().references('awards.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('award_approvals_pk', ['award_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('award_objections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('award_id', 'text', (c) => c.notNull().references('awards.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('raised_by', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('award_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('award_id', 'text', (c) => c.notNull().references('awards.id'))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', bytesType(db), (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()

  // Accounts: one per household plus the village's system accounts (issuance, penalties, supermarket, expired).
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // household | issuance | penalties | supermarket | expired
    .addColumn('household_id', 'text', (c) => c.unique().references('households.id'))
    .addColumn('balance', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('accounts_by_village_kind').on('accounts').columns(['village_id', 'kind']).execute()

  // One ledger entry is one balanced transaction; it names the household it concerns (if any).
  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // award | deduction | redemption | reversal | adjustment | expiry
    .addColumn('household_id', 'text', (c) => c.references('households.id'))
    .addColumn('amount', 'integer', (c) => c.notNull()) // the household's side
    .addColumn('balance_after', 'integer', (c) => c.notNull())
    .addColumn('memo', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text') // the deed date, for awards and deductions
    .addColumn('rule_id', 'text')
    .addColumn('award_id', 'text')
    .addColumn('redemption_id', 'text')
    .addColumn('reverses_id', 'text', (c) => c.unique()) // at most one reversal per entry
    .addColumn('created_by', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('ledger_seq_unique', ['village_id', 'seq'])
    .execute()
  await db.schema.createIndex('ledger_by_household').on('ledger_entries').columns(['household_id', 'seq']).execute()
  await db.schema.createIndex('ledger_by_village_at').on('ledger_entries').columns(['village_id', 'at']).execute()
  await db.schema
    .createIndex('ledger_by_rule_household')
    .on('ledger_entries')
    .columns(['rule_id', 'household_id', 'occurred_on'])
    .execute()

  await db.schema
    .createTable('ledger_postings')
    .addColumn('id', idType, idColumn)
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull().references('ledger_entries.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('postings_by_entry').on('ledger_postings').columns(['entry_id']).execute()
  await db.schema.createIndex('postings_by_account').on('ledger_postings').columns(['account_id']).execute()

  await db.schema
    .createTable('expiry_runs')
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('households', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('expiry_runs_pk', ['village_id', 'year'])
    .execute()

  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('unit', 'text')
    .addColumn('barcode', 'text')
    .addColumn('points_price', 'integer', (c) => c.notNull())
    .addColumn('low_stock_threshold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('stock', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('products_sku_unique', ['village_id', 'sku'])
    .addCheckConstraint('products_stock_not_negative', sql`stock >= 0`)
    .execute()

  await db.schema
    .createTable('stock_receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('donor', 'text')
    .addColumn('donor_org', 'text')
    .addColumn('note', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute()

  await db.schema
    .createTable('redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('villages.id'))
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('card_id', 'text')
    .addColumn('points_spent', 'integer', (c) => c.notNull())
    .addColumn('balance_after', 'integer', (c) => c.notNull())
    .addColumn('ledger_entry_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('cashier_id', 'text', (c) => c.notNull())
    .addColumn('voided_at', 'text')
    .addColumn('voided_by', 'text')
    .addColumn('void_reason', 'text')
    .addColumn('void_entry_id', 'text')
    .execute()
  await db.schema.createIndex('redemptions_by_village_at').on('redemptions').columns(['village_id', 'at']).execute()

  await db.schema
    .createTable('redemption_lines')
    .addColumn('redemption_id', 'text', (c) => c.notNull().references('redemptions.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_points', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('redemption_lines_pk', ['redemption_id', 'product_id'])
    .execute()

  await db.schema
    .createTable('stock_moves')
    .addColumn('id', idType, idColumn)
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // receipt | redemption | void | adjustment | stocktake
    .addColumn('quantity', 'integer', (c) => c.notNull()) // signed
    .addColumn('receipt_id', 'text')
    .addColumn('redemption_id', 'text')
    .addColumn('best_before', 'text')
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute()
  await db.schema.createIndex('stock_moves_by_village_at').on('stock_moves').columns(['village_id', 'at']).execute()
  await db.schema.createIndex('stock_moves_by_product').on('stock_moves').columns(['product_id']).execute()

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['village_id', 'key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'idempotency_keys',
    'stock_moves',
    'redemption_lines',
    'redemptions',
    'stock_receipts',
    'products',
    'expiry_runs',
    'ledger_postings',
    'ledger_entries',
    'accounts',
    'award_evidence',
    'award_objections',
    'award_approvals',
    'award_households',
    'awards',
    'rules',
    'cards',
    'household_members',
    'households',
    'audit_log',
    'login_failures',
    'users',
    'villages',
    'settings',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
