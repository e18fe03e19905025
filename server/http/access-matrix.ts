import type { Role } from '../../shared/schemas/common.js'
import type { ScopedTable } from './access.js'

/*
 * Who may do what: every endpoint of the API, its roles and the path parameter that names its village.
 * The routes enforce it with allow(...) and scopeBy(...); test/reliability/access-matrix.test.ts calls every
 * endpoint as every role of its own and of another village and checks the answers against this table. A route
 * registered without a line here fails that test, so no endpoint slips in unchecked.
 */

export type VillageRole = Exclude<Role, 'admin'>

/**
 * - 'public': no login (health, login).
 * - 'anyone': any logged-in user (of the village, when the path names one).
 * - 'admin': administrators only.
 * - 'villager': a household signed in from its card on its own phone (server/villager), for that household
 *   only; every staff login, an administrator's too, gets 403, and a villager's token gets 403 everywhere else.
 * - a list of village roles: those roles, and administrators, who may always do everything.
 */
export type Who = 'public' | 'anyone' | 'admin' | 'villager' | readonly VillageRole[]

export interface Access {
  who: Who
  /** The path parameter whose row decides the village (scopeBy), or null for paths that name none. */
  scope: { param: string; table: ScopedTable } | null
}

const village = { param: 'vid', table: 'villages' } as const
const household = { param: 'hid', table: 'households' } as const
const card = { param: 'cardId', table: 'cards' } as const
const rule = { param: 'id', table: 'rules' } as const
const award = { param: 'id', table: 'awards' } as const
const entry = { param: 'entryId', table: 'ledger_entries' } as const
const productScope = { param: 'id', table: 'products' } as const
const stockReceipt = { param: 'id', table: 'stock_receipts' } as const
const redemption = { param: 'id', table: 'redemptions' } as const
const claim = { param: 'id', table: 'claims' } as const
const conflict = { param: 'id', table: 'redemption_conflicts' } as const
const adjustment = { param: 'id', table: 'adjustments' } as const

export const ACCESS_MATRIX: Record<string, Access> = {
  'GET /api/health': { who: 'public', scope: null },
  'POST /api/auth/login': { who: 'public', scope: null },
  'GET /api/auth/me': { who: 'anyone', scope: null },
  'POST /api/auth/logout': { who: 'anyone', scope: null },
  'POST /api/auth/password': { who: 'anyone', scope: null },
  // The counter's HTTPS setup (server/tls/): the page's content for whoever sets up the tablet, the CA for all.
  'GET /api/setup': { who: ['clerk', 'cashier'], scope: null },
  'GET /ca.crt': { who: 'public', scope: null },

  'POST /api/users': { who: 'admin', scope: null },
  'GET /api/users': { who: 'admin', scope: null },
  'PATCH /api/users/:id': { who: 'admin', scope: null },

  'POST /api/villages': { who: 'admin', scope: null },
  'GET /api/villages': { who: 'anyone', scope: null }, // a village's staff see only their own village
  'GET /api/villages/:vid': { who: 'anyone', scope: village },
  'PATCH /api/villages/:vid': { who: 'admin', scope: village },

  'POST /api/villages/:vid/households': { who: ['clerk'], scope: village },
  'GET /api/villages/:vid/households': { who: 'anyone', scope: village },
  'POST /api/villages/:vid/households/import': { who: ['clerk'], scope: village },
  'GET /api/households/:hid': { who: 'anyone', scope: household },
  'PATCH /api/households/:hid': { who: ['clerk'], scope: household },
  'POST /api/households/:hid/members': { who: ['clerk'], scope: household },
  'DELETE /api/households/:hid/members/:mid': { who: ['clerk'], scope: household },
  'POST /api/households/:hid/suspension': { who: ['approver'], scope: household },

  'POST /api/households/:hid/cards': { who: ['clerk'], scope: household },
  'GET /api/households/:hid/cards': { who: 'anyone', scope: household },
  'POST /api/cards/:cardId/revoke': { who: ['clerk'], scope: card },
  'GET /api/cards/:cardId/svg': { who: ['clerk'], scope: card },
  'POST /api/villages/:vid/cards/resolve': { who: ['cashier', 'clerk', 'approver', 'auditor'], scope: village },
  'GET /api/villages/:vid/cards/print': { who: ['clerk'], scope: village },

  'POST /api/villages/:vid/rules': { who: ['clerk'], scope: village },
  'POST /api/villages/:vid/rules/starter': { who: ['clerk'], scope: village },
  'GET /api/villages/:vid/rules': { who: 'anyone', scope: village },
  'GET /api/rules/:id': { who: 'anyone', scope: rule },
  'PATCH /api/rules/:id': { who: ['clerk'], scope: rule },

  'POST /api/villages/:vid/awards': { who: ['clerk'], scope: village },
  'GET /api/villages/:vid/awards': { who: 'anyone', scope: village },
  'GET /api/villages/:vid/notices': { who: 'anyone', scope: village },
  'GET /api/awards/:id': { who: 'anyone', scope: award },
  'POST /api/awards/:id/approve': { who: ['approver'], scope: award },
  'POST /api/awards/:id/reject': { who: ['approver'], scope: award },
  'POST /api/awards/:id/withdraw': { who: ['approver'], scope: award },
  // Objections come from villagers through whichever staff member they tell, so any role records one.
  'POST /api/awards/:id/objections': { who: 'anyone', scope: award },
  'POST /api/awards/:id/evidence': { who: ['clerk'], scope: award },
  'GET /api/awards/:id/evidence/:eid': { who: 'anyone', scope: award },

  'GET /api/households/:hid/ledger': { who: 'anyone', scope: household },
  'POST /api/households/:hid/adjustments': { who: ['approver'], scope: household },
  'POST /api/adjustments/:id/approve': { who: ['approver'], scope: adjustment },
  'POST /api/adjustments/:id/reject': { who: ['approver'], scope: adjustment },
  'GET /api/villages/:vid/adjustments': { who: 'anyone', scope: village },
  'POST /api/ledger/:entryId/reverse': { who: ['approver'], scope: entry },
  'GET /api/villages/:vid/ledger/verify': { who: 'anyone', scope: village },
  'POST /api/villages/:vid/ledger/verify': { who: 'anyone', scope: village },
  'GET /api/villages/:vid/ledger/checkpoint': { who: 'anyone', scope: village },
  'GET /api/villages/:vid/ledger/balance-check': { who: 'anyone', scope: village },

  'GET /api/villages/:vid/audit': { who: ['auditor'], scope: village },

  // The love supermarket: the counter (cashier) and the committee's clerk keep goods and stock; only a cashier
  // rings up a sale; a cashier voids the same day, an approver any day (the day is checked in the service).
  'POST /api/villages/:vid/products': { who: ['cashier', 'clerk'], scope: village },
  'GET /api/villages/:vid/products': { who: 'anyone', scope: village },
  'GET /api/products/:id': { who: 'anyone', scope: productScope },
  'PATCH /api/products/:id': { who: ['cashier', 'clerk'], scope: productScope },
  'POST /api/villages/:vid/stock/receipts': { who: ['cashier', 'clerk'], scope: village },
  'GET /api/villages/:vid/stock/receipts': { who: 'anyone', scope: village },
  'GET /api/villages/:vid/stock/receipts/:rid/print': { who: 'anyone', scope: village },
  'GET /api/stock/receipts/:id': { who: 'anyone', scope: stockReceipt },
  'GET /api/stock/receipts/:id/print': { who: 'anyone', scope: stockReceipt },
  'POST /api/villages/:vid/stock/adjustments': { who: ['cashier', 'clerk'], scope: village },
  'POST /api/villages/:vid/stock/stocktakes': { who: ['cashier', 'clerk'], scope: village },
  'GET /api/villages/:vid/stock/stocktakes': { who: 'anyone', scope: village },
  'GET /api/villages/:vid/stock/movements': { who: 'anyone', scope: village },
  'GET /api/villages/:vid/stock/alerts': { who: 'anyone', scope: village },
  'GET /api/villages/:vid/supermarket/summary': { who: 'anyone', scope: village },
  'GET /api/villages/:vid/supermarket/by-category': { who: 'anyone', scope: village },
  'POST /api/villages/:vid/redemptions': { who: ['cashier'], scope: village },
  'GET /api/villages/:vid/redemptions': { who: 'anyone', scope: village },
  'GET /api/redemptions/:id': { who: 'anyone', scope: redemption },
  'GET /api/redemptions/:id/receipt': { who: 'anyone', scope: redemption },
  'POST /api/redemptions/:id/void': { who: ['cashier', 'approver'], scope: redemption },

  // Exports: the statement is for those who account for the points; the wall board and a household's
  // passbook are printed for villagers by any of the village's staff; the township roll-up spans villages.
  'GET /api/villages/:vid/exports/monthly': { who: ['auditor', 'clerk', 'approver'], scope: village },
  'GET /api/villages/:vid/board': { who: 'anyone', scope: village },
  'GET /api/households/:hid/passbook': { who: 'anyone', scope: household },
  'GET /api/villages/:vid/passbooks': { who: ['clerk', 'approver', 'auditor'], scope: village },
  'GET /api/rollup': { who: 'admin', scope: null },

  // The villager's own phone: signed in from the card, it reads its household and the village's public things.
  'POST /api/villager/login': { who: 'public', scope: null },
  'GET /api/me': { who: 'villager', scope: null },
  'POST /api/me/logout': { who: 'villager', scope: null },
  'GET /api/me/ledger': { who: 'villager', scope: null },
  'GET /api/me/evidence/:eid': { who: 'villager', scope: null },
  'GET /api/me/notices': { who: 'villager', scope: null },
  'POST /api/me/notices/:id/objections': { who: 'villager', scope: null },
  'GET /api/me/claims': { who: 'villager', scope: null },
  'POST /api/me/claims': { who: 'villager', scope: null },
  'GET /api/me/products': { who: 'villager', scope: null },
  'GET /api/me/rules': { who: 'villager', scope: null },
  // 申报 as the committee sees it: the clerk answers, approvers and auditors read along.
  'GET /api/villages/:vid/claims': { who: ['clerk', 'approver', 'auditor'], scope: village },
  'GET /api/claims/:id/photo': { who: ['clerk', 'approver', 'auditor'], scope: claim },
  'POST /api/claims/:id/accept': { who: ['clerk'], scope: claim },
  'POST /api/claims/:id/decline': { who: ['clerk'], scope: claim },
  // The counter offline (supermarket/counter/, supermarket/redemptions/offline-sync.service.ts)
  'GET /api/villages/:vid/counter/snapshot': { who: ['cashier'], scope: village },
  'POST /api/villages/:vid/counter/heartbeat': { who: ['cashier'], scope: village },
  'GET /api/villages/:vid/counters': { who: ['cashier', 'clerk', 'approver', 'auditor'], scope: village },
  'POST /api/villages/:vid/redemptions/sync': { who: ['cashier'], scope: village },
  'GET /api/villages/:vid/redemptions/conflicts': { who: ['approver', 'cashier', 'auditor'], scope: village },
  'POST /api/redemption-conflicts/:id/settle': { who: ['approver'], scope: conflict },
}

/** Whether a user holding `roles` may call the endpoint, as the table says. */
export function mayCall(access: Access, roles: readonly Role[]): boolean {
  if (access.who === 'villager') return false // staff, admins included, never act as a household
  if (access.who === 'public' || access.who === 'anyone') return true
  if (roles.includes('admin')) return true
  if (access.who === 'admin') return false
  return access.who.some((r) => roles.includes(r))
}
