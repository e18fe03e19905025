-- Distributing a Gongyi PostgreSQL database over Citus, by village. A PLAN: Citus could not be installed where
-- Gongyi is developed (no Citus package in the registries it can reach), so this file has NOT been run.
-- Run it once, as a superuser, after the server has created and migrated the tables (migrations 0001-0005)
-- and before the data grows; see SCALING.md.

CREATE EXTENSION IF NOT EXISTS citus;

-- Citus wants the distribution column in every primary key and unique key of a distributed table, and foreign
-- keys between distributed tables that include it. Migration 0005 did this for the unique keys that are not
-- primary keys (accounts, ledger_entries.reverses_id) and gave every child table a village_id. The primary keys
-- are still (id) alone: widen them here, dropping the foreign keys that point at them first.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
           WHERE contype = 'f' AND connamespace = 'public'::regnamespace LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END $$;

ALTER TABLE households DROP CONSTRAINT households_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE household_members DROP CONSTRAINT household_members_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE cards DROP CONSTRAINT cards_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE rules DROP CONSTRAINT rules_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE awards DROP CONSTRAINT awards_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE award_households DROP CONSTRAINT award_households_pk, ADD PRIMARY KEY (village_id, award_id, household_id);
ALTER TABLE award_approvals DROP CONSTRAINT award_approvals_pk, ADD PRIMARY KEY (village_id, award_id, user_id);
ALTER TABLE award_objections DROP CONSTRAINT award_objections_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE award_evidence DROP CONSTRAINT award_evidence_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE accounts DROP CONSTRAINT accounts_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE products DROP CONSTRAINT products_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE stock_receipts DROP CONSTRAINT stock_receipts_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE redemptions DROP CONSTRAINT redemptions_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE redemption_lines DROP CONSTRAINT redemption_lines_pk, ADD PRIMARY KEY (village_id, redemption_id, product_id);
ALTER TABLE stock_moves DROP CONSTRAINT stock_moves_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE stocktakes DROP CONSTRAINT stocktakes_pkey, ADD PRIMARY KEY (village_id, id);
ALTER TABLE stocktake_lines DROP CONSTRAINT stocktake_lines_pk, ADD PRIMARY KEY (village_id, stocktake_id, product_id);
-- idempotency_keys (village_id, key), expiry_runs (village_id, year), ledger (village_id, seq),
-- products (village_id, sku), redemptions (village_id, receipt_no), products (village_id, barcode) already are.

-- Global, small, rarely written: a copy on every node.
SELECT create_reference_table('villages');
SELECT create_reference_table('users');
SELECT create_reference_table('settings');
SELECT create_reference_table('login_failures');
SELECT create_reference_table('rate_buckets');

-- Village-owned: sharded by village_id, all co-located with households so that every statement of a request
-- runs on one shard and every join stays local. (audit_log.village_id is null for admin actions: it stays a
-- local table on the coordinator.)
SELECT create_distributed_table('households', 'village_id');
SELECT create_distributed_table('household_members', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('cards', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('rules', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('awards', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('award_households', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('award_approvals', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('award_objections', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('award_evidence', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('accounts', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('ledger_entries', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('ledger_postings', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('expiry_runs', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('products', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('stock_receipts', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('redemptions', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('redemption_lines', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('stock_moves', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('stocktakes', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('stocktake_lines', 'village_id', colocate_with => 'households');
SELECT create_distributed_table('idempotency_keys', 'village_id', colocate_with => 'households');

-- Still to do before this can serve (not done, see SCALING.md): the services look some rows up by id alone
-- (an award, an entry, a household by its id in the path): under Citus those become multi-shard queries unless
-- the village is known first; the foreign keys dropped above come back as (village_id, …) pairs; the
-- append-only triggers must be created on the shards (Citus propagates triggers when
-- citus.enable_unsafe_triggers is on, or use REVOKE alone).
