import { Hono } from 'hono'
import type { AppEnv } from '../http/types.js'

export const awardRoutes = new Hono<AppEnv>()
