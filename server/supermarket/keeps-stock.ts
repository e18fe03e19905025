import { allow } from '../http/access.js'

/** Goods and stock are kept by the counter (cashier), and by the committee's clerk. */
export const keepsStock = allow('cashier', 'clerk')
