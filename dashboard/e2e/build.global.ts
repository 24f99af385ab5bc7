// One `next build` for every browser test file (vitest globalSetup); DASHBOARD_E2E_SKIP_BUILD=1
// reuses the last `.next`; without Chromium the tests skip, and so does the build.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { hasChromium } from './browser.js'
import { buildDashboard, repoRoot } from './servers.js'

export default async function setup() {
  if (!hasChromium || process.env.DASHBOARD_E2E_SKIP_BUILD === '1') return
  const logDir = join(repoRoot, '.tmp/dashboard-e2e')
  mkdirSync(logDir, { recursive: true })
  const ms = await buildDashboard(logDir)
  console.log(`[dashboard-e2e] next build ${(ms / 1000).toFixed(1)} s`)
}
