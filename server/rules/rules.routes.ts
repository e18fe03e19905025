import { Hono } from 'hono'
import type { AppEnv } from '../http/types.js'

export const ruleRoutes = new Hono<AppEnv>()
