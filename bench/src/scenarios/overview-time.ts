// Time until the executive overview shows its numbers (issue 10: < 1.5 s after navigation, warm
// server), in Debian's Chromium driven by playwright-core. The API as `make dev` runs it on a fresh
// data dir with the demo seed (18 organizations, 1,800 conversations), the dashboard's production
// build under `next start` (built first when dashboard/.next is missing), signed in as the demo
// owner. One navigation warms both servers; then each measured navigation starts on a blank page
// and ends when the last ROI card holds its number, read from the page's own clock
// (performance.now(): ms since navigation start), so the driver's overhead is not counted.
//
// Run alone (no PostgreSQL needed): `node --import tsx bench/src/scenarios/overview-time.ts`;
// BENCH_OVERVIEW_DATA_DIR=.tmp/bench-overview-demo seeds there once and reuses it on later runs.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { quantile } from '../load.js'
import { defaultLogDir } from '../load-profile.js'
import { openFigures } from '../results.js'
import { repoRoot, runDriver, spawnServer } from '../spawn-server.js'
import { demoApiEnv, demoSeeded } from './analytics-latency.js'

type Emit = (name: string, value: number, unit: string) => void

const CHROMIUM = '/usr/bin/chromium'
const dashboardDir = join(repoRoot, 'dashboard')
const nextBin = join(repoRoot, 'node_modules/next/dist/bin/next')
// The last cards the overview renders: when they hold a number, every headline number is shown.
const SHOWN =
  '[data-testid="kpi-net_roi"] [data-value], [data-testid="kpi-verified_resolution_rate"] [data-value]'

export interface OverviewSettings {
  /** Measured navigations (after one warm-up). */
  runs: number
  /**
   * A data dir to seed once and keep (the API finds a complete demo there and skips seeding), or
   * null for a fresh temp dir. On a loaded machine the seed alone can take 10 minutes.
   */
  dataDir: string | null
  seedTimeoutMs: number
  logDir: string
}

export function overviewSettingsFromEnv(env: NodeJS.ProcessEnv): OverviewSettings {
  const int = (v: string | undefined, d: number) => (v ? Number.parseInt(v, 10) : d)
  return {
    runs: int(env.BENCH_OVERVIEW_RUNS, 7),
    dataDir: env.BENCH_OVERVIEW_DATA_DIR || null,
    // The seed runs 1,800 conversations through the engine: 4–5 min on 2 loaded cores.
    seedTimeoutMs: int(env.BENCH_OVERVIEW_SEED_TIMEOUT_SEC, 600) * 1000,
    logDir: defaultLogDir,
  }
}

/** `next build` when the dashboard has no production build yet (the figure needs `next start`). */
async function ensureBuild(logDir: string): Promise<void> {
  if (existsSync(join(dashboardDir, '.next', 'BUILD_ID'))) return
  const t0 = performance.now()
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [nextBin, 'build'], {
      cwd: dashboardDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code})`))))
  })
  console.error(
    `[bench] overview: next build in ${((performance.now() - t0) / 1000).toFixed(0)} s (${logDir})`,
  )
}

/** Emits `overview_numbers_shown_ms` (median of the runs) and its p95 (ms after navigation start). */
export async function measureOverviewTime(o: OverviewSettings, emit: Emit): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new Error(`overview bench: ${CHROMIUM} is missing (apt-get install chromium)`)
  await ensureBuild(o.logDir)
  mkdirSync(join(repoRoot, 'artifacts/screenshots'), { recursive: true })
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'luneo-bench-overview-'))
  const apiLog = join(o.logDir, 'api-overview.log')
  try {
    // The scheduler on, as in `make dev`: its runs share the event loop with the overview's reads.
    const api = await spawnServer({
      name: 'api-overview',
      entry: 'api/src/server.ts',
      env: demoApiEnv(dataDir, ''),
      readyPath: '/readyz',
      logFile: apiLog,
      readyTimeoutMs: 120_000,
    })
    const web = await spawnServer({
      name: 'dashboard-overview',
      entry: '',
      argv: [nextBin, 'start', '--hostname', '127.0.0.1'],
      cwd: dashboardDir,
      env: { LUNEO_API_URL: api.url, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      readyPath: '/sign-in',
      logFile: join(o.logDir, 'dashboard-overview.log'),
    })
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox'],
    })
    try {
      const line = await demoSeeded(api, apiLog, o.seedTimeoutMs)
      console.error(`[bench] overview: ${line}`)
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      const login = await context.request.post(`${web.url}/api/v1/auth/login`, {
        data: { email: 'demo@luneo.dev', password: 'luneo-demo-password' },
      })
      if (login.status() !== 200)
        throw new Error(`overview bench: login ${login.status()} ${await login.text()}`)
      const page = await context.newPage()
      const shownAfter = async (): Promise<number> => {
        await page.goto('about:blank')
        await page.goto(`${web.url}/overview`, { waitUntil: 'commit' })
        await page.locator(SHOWN).nth(1).waitFor({ timeout: 30_000 })
        return page.evaluate(() => performance.now())
      }
      const warm = await shownAfter()
      await page.screenshot({
        path: join(repoRoot, 'artifacts/screenshots/overview-demo.png'),
        fullPage: true,
      })
      const times: number[] = []
      for (let i = 0; i < o.runs; i++) times.push(await shownAfter())
      const sorted = Float64Array.from(times).sort()
      const median = quantile(sorted, 0.5)
      emit('overview_numbers_shown_ms', median, 'ms')
      emit('overview_numbers_shown_p95_ms', quantile(sorted, 0.95), 'ms')
      console.error(
        `[bench] overview: cold-cache first ${warm.toFixed(0)} ms, then ${times.map((t) => t.toFixed(0)).join(', ')} ms ` +
          `(median ${median.toFixed(0)} ms, target < 1500 ms)`,
      )
    } finally {
      await browser.close()
      await web.stop()
      await api.stop()
    }
  } finally {
    if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}

// Run on its own: prints the figures (bench/results.json is the full driver's).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDriver('[bench] overview', async () => {
    const o = overviewSettingsFromEnv(process.env)
    mkdirSync(o.logDir, { recursive: true })
    const out = openFigures()
    await measureOverviewTime(o, (name, value, unit) => out.emit(name, value, unit))
  })
}
