import { afterAll } from 'vitest'
import { closeTestDatabases } from './db.js'

// Every test file: close (on PostgreSQL: drop) the test databases it opened, whatever its own hooks did.
afterAll(async () => {
  await closeTestDatabases()
})
