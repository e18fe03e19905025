import type { Migration } from 'kysely'
import * as m0001 from './0001-initial.js'
import * as m0002 from './0002-append-only-guards.js'
import * as m0003 from './0003-supermarket.js'
import * as m0004 from './0004-drop-postings-by-account.js'
import * as m0005 from './0005-village-keys.js'
import * as m0020 from './0020-offline-counter.js'
import * as m0030 from './0030-villager-claims.js'
import * as m0040 from './0040-trust-sessions.js'
import * as m0041 from './0041-trust-proposals.js'
import * as m0060 from './0060-household-search-trgm.js'
import * as m0070 from './0070-field-trial.js'
import * as m0095 from './0095-receipt-counters.js'

/** Every migration, in order. Never edit one that has landed: add the next. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-append-only-guards': m0002,
  '0003-supermarket': m0003,
  '0004-drop-postings-by-account': m0004,
  '0005-village-keys': m0005,
  '0020-offline-counter': m0020,
  '0030-villager-claims': m0030,
  '0040-trust-sessions': m0040,
  '0041-trust-proposals': m0041,
  '0060-household-search-trgm': m0060,
  '0070-field-trial': m0070,
  '0095-receipt-counters': m0095,
}
