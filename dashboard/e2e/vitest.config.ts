import { defineConfig } from 'vitest/config'

// The dashboard's browser test, apart from the unit suite: it needs `next build`, a real API
// and Chromium. infra/test.sh runs it as its own step. The build runs once (build.global.ts); the
// files run one after the other, each with its own API and Next server.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.e2e.test.ts'],
    globalSetup: ['./build.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
  },
})
