import { defineConfig } from 'vitest/config'

// The dashboard's browser test, apart from the unit suite: it needs `next build`, a real API
// seeding the demo, and Chromium. infra/test.sh runs it as its own step.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
  },
})
