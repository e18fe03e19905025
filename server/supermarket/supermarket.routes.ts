import { Hono } from 'hono'
import type { AppEnv } from '../http/types.js'
import { donationRoutes } from './donations/donations.routes.js'
import { productRoutes } from './products/products.routes.js'
import { redemptionRoutes } from './redemptions/redemptions.routes.js'
import { stockRoutes } from './stock/stock.routes.js'
import { summaryRoutes } from './summary/summary.routes.js'

/** The love supermarket: goods, goods in (donations), stock, the counter (redemptions), and the overview. */
export const supermarketRoutes = new Hono<AppEnv>()
  .route('/', productRoutes)
  .route('/', donationRoutes)
  .route('/', stockRoutes)
  .route('/', summaryRoutes)
  .route('/', redemptionRoutes)
