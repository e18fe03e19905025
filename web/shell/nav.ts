import type { MessageKey } from '../i18n'
import type { Role } from '../session'

export interface NavItem {
  path: string
  label: MessageKey
  roles: Role[]
}

/** The committee's pages, grouped as the village works; each shown only to the roles that use it. */
export const NAV: { group: MessageKey; items: NavItem[] }[] = [
  {
    group: 'nav.group.reports',
    items: [
      { path: '/dashboard', label: 'nav.dashboard', roles: ['clerk', 'approver', 'auditor', 'cashier'] },
      { path: '/exports', label: 'nav.exports', roles: ['clerk', 'approver', 'auditor'] },
    ],
  },
  {
    group: 'nav.group.roster',
    items: [
      { path: '/households', label: 'nav.households', roles: ['clerk', 'approver', 'auditor', 'cashier'] },
      { path: '/rules', label: 'nav.rules', roles: ['clerk', 'approver', 'auditor'] },
    ],
  },
  {
    group: 'nav.group.awards',
    items: [
      { path: '/awards/propose', label: 'nav.propose', roles: ['clerk'] },
      { path: '/claims', label: 'nav.claims', roles: ['clerk', 'approver', 'auditor'] },
      { path: '/awards/queue', label: 'nav.queue', roles: ['approver'] },
      { path: '/awards/notices', label: 'nav.notices', roles: ['clerk', 'approver', 'auditor'] },
      { path: '/awards', label: 'nav.awards', roles: ['clerk', 'approver', 'auditor'] },
    ],
  },
  {
    group: 'nav.group.shop',
    items: [
      { path: '/kiosk', label: 'nav.kiosk', roles: ['cashier'] },
      { path: '/supermarket/products', label: 'nav.products', roles: ['cashier', 'clerk', 'auditor'] },
      { path: '/supermarket/donations', label: 'nav.donations', roles: ['cashier'] },
      { path: '/supermarket/stocktake', label: 'nav.stocktake', roles: ['cashier'] },
      { path: '/supermarket/alerts', label: 'nav.alerts', roles: ['cashier', 'clerk', 'auditor'] },
      // Offline sales the ledger could not cover: the approver settles them; cashier and auditor read them.
      { path: '/supermarket/conflicts', label: 'nav.conflicts', roles: ['approver', 'cashier', 'auditor'] },
    ],
  },
  {
    group: 'nav.admin',
    items: [
      { path: '/admin', label: 'nav.admin', roles: ['admin'] },
      { path: '/setup', label: 'nav.setup', roles: ['clerk', 'cashier'] },
    ],
  },
]
