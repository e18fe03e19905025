import { defineConfig } from 'vitest/config'

// Tests run in Node: the server, the shared code, the web app's pure modules (web/**/*.test.ts), and browser tests that drive real Chromium themselves.
export default defineConfig({
  test: {
    environment: 'node',
    include: [
      'server/**/*.test.ts',
      'shared/**/*.test.ts',
      'db/**/*.test.ts',
      'web/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // On PostgreSQL (npm run test:pg) every query is a round trip to another process: more time per test.
    testTimeout: process.env.GONGYI_TEST_PG ? 120_000 : 30_000,
    hookTimeout: 120_000,
    // Closes (on PostgreSQL: drops) each file's test databases: test/db.ts.
    setupFiles: ['test/setup.ts'],
  },
})
