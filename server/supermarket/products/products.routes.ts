import { Hono } from 'hono'
import { createProductInput, productListQuery, updateProductInput } from '../../../shared/schemas/supermarket.js'
import { scopeBy, villageOf } from '../../http/access.js'
import type { AppEnv } from '../../http/types.js'
import { json, query } from '../../http/validate.js'
import { keepsStock } from '../keeps-stock.js'
import { createProduct, getProduct, listProducts, updateProduct } from './products.service.js'

export const productRoutes = new Hono<AppEnv>()
  .post('/villages/:vid/products', keepsStock, scopeBy('villages', 'vid'), json(createProductInput), async (c) => {
    return c.json(await createProduct(c.var.deps.db, c.var.user, villageOf(c), c.req.valid('json')), 201)
  })
  .get('/villages/:vid/products', scopeBy('villages', 'vid'), query(productListQuery), async (c) => {
    const q = c.req.valid('query')
    const active = q.active === undefined ? undefined : q.active === 'true'
    return c.json(await listProducts(c.var.deps.db, c.var.user, villageOf(c), { ...q, active }))
  })
  .get('/products/:id', scopeBy('products', 'id'), async (c) =>
    c.json(await getProduct(c.var.deps.db, c.var.user, c.req.param('id'))),
  )
  .patch('/products/:id', keepsStock, scopeBy('products', 'id'), json(updateProductInput), async (c) => {
    return c.json(await updateProduct(c.var.deps.db, c.var.user, c.req.param('id'), c.req.valid('json')))
  })
