import { defineConfig } from 'vitest/config'

// One suite for the whole workspace. Tests that need a real service are named *.int.test.ts;
// they share the services started by `make test` (see infra/) through environment variables.
export default defineConfig({
  test: {
    include: ['**/src/**/*.test.ts', 'test/**/*.test.ts', 'infra/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.tmp/**', '.luneo/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
})
