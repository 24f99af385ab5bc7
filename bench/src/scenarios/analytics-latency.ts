// Analytics read latency (DESIGN §8: "analytics endpoints p95 on the demo data set < 300 ms"). The
// real API (api/src/server.ts) in embedded mode (PGlite + chDB + its own Chroma child) on a fresh
// data dir with LUNEO_DEMO=true: it seeds 18 organizations / 1,800 conversations through the real
// engine, rebuilds the analytics, and logs `[demo] … sign in as …`. Then, signed in as the demo
// owner (session cookie), each analytics endpoint gets a bounded closed-loop load of its own from
// autocannon in this process (the server is a child process). p95 is ranked from every 2xx
// latency autocannon reports per response (its summary has p97.5/p99 but no p95).
//
// Run alone (no PostgreSQL needed): `node --import tsx bench/src/scenarios/analytics-latency.ts`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import autocannon, { type Result } from 'autocannon'
import { quantile } from '../load.js'
import { defaultLogDir } from '../load-profile.js'
import { openFigures } from '../results.js'
import { cpuSeconds, runDriver, spawnServer, type ServerProcess } from '../spawn-server.js'

type Emit = (name: string, value: number, unit: string) => void

/** The endpoints behind the dashboard, as the web app calls them (default range: the last 30 days). */
export const analyticsEndpoints = {
  query:
    '/api/v1/analytics/query?measures=conversations,ai_resolution_rate,escalation_rate,csat,net_roi&dimensions=day',
  roi: '/api/v1/analytics/roi?granularity=week',
  signals: '/api/v1/analytics/signals',
  knowledge_gaps: '/api/v1/analytics/knowledge-gaps',
  benchmarks: '/api/v1/analytics/benchmarks',
  resolved: '/api/v1/analytics/conversations/resolved?limit=50',
  resolved_csv: '/api/v1/analytics/conversations/resolved/export.csv',
} as const

export interface AnalyticsSettings {
  /** Concurrent keep-alive connections per endpoint (a few dashboard users, not saturation). */
  connections: number
  warmupSec: number
  durationSec: number
  /** How long the demo seeding may take before the scenario gives up. */
  seedTimeoutMs: number
  /** LUNEO_PIPELINES_INTERVAL_MS for the API; '' keeps its default (10 s), '0' turns the scheduler off. */
  pipelinesIntervalMs: string
  logDir: string
  /** A data dir the demo is already seeded in (`make bench` shares one), or null: seed a temp dir. */
  dataDir: string | null
}

export function analyticsSettingsFromEnv(env: NodeJS.ProcessEnv): AnalyticsSettings {
  const int = (v: string | undefined, d: number) => (v ? Number.parseInt(v, 10) : d)
  return {
    connections: int(env.BENCH_ANALYTICS_CONNECTIONS, 4),
    warmupSec: int(env.BENCH_ANALYTICS_WARMUP_SEC, 1),
    durationSec: int(env.BENCH_ANALYTICS_DURATION_SEC, 8),
    seedTimeoutMs: int(env.BENCH_ANALYTICS_SEED_TIMEOUT_SEC, 240) * 1000,
    pipelinesIntervalMs: env.BENCH_ANALYTICS_PIPELINES_INTERVAL_MS ?? '',
    logDir: defaultLogDir,
    dataDir: null,
  }
}

/**
 * The API as `make dev` runs it on a fresh data dir: embedded everything, the local provider, the
 * demo seed. Shared by the scenarios that measure the demo (this one, engine-embedding.ts).
 */
export function demoApiEnv(dataDir: string, pipelinesIntervalMs: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LUNEO_SECURE_COOKIES: 'false',
    LUNEO_SECRET: 'bench-secret-0123456789abcdef',
    LUNEO_DATA_DIR: dataDir,
    // Embedded everything, and the local provider: an inherited key or URL would change the demo.
    DATABASE_URL: '',
    CLICKHOUSE_URL: '',
    CHROMA_URL: '',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    LUNEO_DEMO: 'true',
    // info, for the `[demo]` lines (every request is logged too, to the log file).
    LUNEO_LOG_LEVEL: 'info',
    LUNEO_RATE_LIMIT_PER_MINUTE: '100000000',
    // The in-process scheduler stays on by default, as in `make dev`: every 10 s it recomputes
    // each organization's lookback windows, on the same event loop and chDB as the reads.
    LUNEO_PIPELINES_INTERVAL_MS: pipelinesIntervalMs,
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Waits for the server's `[demo] … sign in as …` line (seeding and the analytics rebuild done). */
export async function demoSeeded(server: ServerProcess, logFile: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const log = await readFile(logFile, 'utf8').catch(() => '')
    const done = /\[demo\] [^\n"]*sign in as[^\n"]*/.exec(log)
    if (done) return done[0]
    const failed = /\[demo\] (seeding failed|data dir not empty)[^\n]*/.exec(log)
    const tail = () => log.split('\n').slice(-30).join('\n')
    if (failed) throw new Error(`analytics bench: ${failed[0]} (log ${logFile}):\n${tail()}`)
    if (!alive(server.pid))
      throw new Error(`analytics bench: the API exited while seeding (log ${logFile}):\n${tail()}`)
    if (Date.now() > deadline)
      throw new Error(
        `analytics bench: no "sign in as" line after ${timeoutMs / 1000} s (log ${logFile}):\n${tail()}`,
      )
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Signs in by password; returns the Cookie header (GETs need no CSRF token). */
export async function login(base: string, email: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (r.status !== 200) throw new Error(`bench: login ${email}: ${r.status} ${await r.text()}`)
  const cookies = r.headers.getSetCookie().map((c) => c.split(';')[0]!)
  if (!cookies.length) throw new Error(`bench: login ${email} set no cookie`)
  return cookies.join('; ')
}

/** One GET per endpoint before any load: each must answer 200 with something in it. */
async function probe(base: string, cookie: string, name: string, path: string): Promise<string> {
  const r = await fetch(base + path, { headers: { cookie } })
  const text = await r.text()
  if (r.status !== 200) throw new Error(`analytics bench: GET ${path}: ${r.status} ${text.slice(0, 300)}`)
  if (name === 'resolved_csv') return `${text.trimEnd().split('\n').length - 1} CSV rows`
  const body = JSON.parse(text) as Record<string, unknown>
  const rows = ['rows', 'series', 'byIntent', 'items', 'data'].find((k) => Array.isArray(body[k]))
  return rows ? `${(body[rows] as unknown[]).length} ${rows}` : `${text.length} bytes`
}

interface Phase {
  result: Result
  latencies: number[]
}

/** Closed-loop GETs of one path for `sec` seconds; any non-2xx or socket error fails the run. */
async function fire(
  base: string,
  cookie: string,
  path: string,
  connections: number,
  sec: number,
): Promise<Phase> {
  const latencies: number[] = []
  const instance = autocannon({
    url: base,
    connections,
    duration: sec,
    timeout: 10,
    requests: [{ method: 'GET', path, headers: { cookie } }],
  })
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms)
  })
  const result = await instance
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(
      `analytics bench: GET ${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors (${result.timeouts} timeouts), codes ${JSON.stringify(result.statusCodeStats)}`,
    )
  return { result, latencies }
}

export interface EndpointLatency {
  /** What the probe GET returned (`12 rows`, `30 CSV rows`, …). */
  shape: string
  /** 2xx answers in the measured phase, and its length (s). */
  n: number
  sec: number
  p50: number
  p95: number
  p99: number
  max: number
  /** The API's own CPU per request (ms): what a busy machine disturbs least. */
  cpuMs: number
}

/**
 * One endpoint under a closed-loop load: a probe GET (`name` says how to read its body), a
 * warm-up, then `durationSec` of GETs on `connections` connections, with the server's CPU sampled
 * around them. Latencies are ranked from every 2xx answer.
 */
export async function measureEndpoint(
  server: ServerProcess,
  cookie: string,
  name: string,
  path: string,
  o: { connections: number; warmupSec: number; durationSec: number },
): Promise<EndpointLatency> {
  const shape = await probe(server.url, cookie, name, path)
  await fire(server.url, cookie, path, o.connections, o.warmupSec)
  const cpu0 = cpuSeconds(server.pid)
  const m = await fire(server.url, cookie, path, o.connections, o.durationSec)
  const n = m.result['2xx']
  const cpuMs = ((cpuSeconds(server.pid) - cpu0) * 1000) / n
  const sorted = Float64Array.from(m.latencies).sort()
  return {
    shape,
    n,
    sec: m.result.duration,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    cpuMs,
  }
}

/** Emits `analytics_<endpoint>_p95` for each endpoint and `analytics_worst_p95` (ms). */
export async function measureAnalyticsLatency(a: AnalyticsSettings, emit: Emit): Promise<void> {
  const dataDir = a.dataDir ?? mkdtempSync(join(tmpdir(), 'luneo-bench-analytics-'))
  const logFile = join(a.logDir, 'api-analytics.log')
  try {
    const t0 = performance.now()
    const server = await spawnServer({
      name: 'api-analytics',
      entry: 'api/src/server.ts',
      env: demoApiEnv(dataDir, a.pipelinesIntervalMs),
      readyPath: '/readyz',
      logFile,
      readyTimeoutMs: 120_000,
    })
    try {
      const line = await demoSeeded(server, logFile, a.seedTimeoutMs)
      console.error(`[bench] analytics: seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${line}`)
      const cookie = await login(server.url, 'demo@luneo.dev', 'luneo-demo-password')
      let worst = 0
      for (const [name, path] of Object.entries(analyticsEndpoints)) {
        const m = await measureEndpoint(server, cookie, name, path, a)
        worst = Math.max(worst, m.p95)
        emit(`analytics_${name}_p95`, m.p95, 'ms')
        console.error(
          `[bench] analytics ${name}: ${m.shape}; ${m.n} × 200 in ${m.sec.toFixed(1)} s ` +
            `(${(m.n / m.sec).toFixed(0)} req/s), p50 ${m.p50.toFixed(1)} ms, ` +
            `p99 ${m.p99.toFixed(1)} ms, max ${m.max.toFixed(1)} ms, ` +
            `API CPU ${m.cpuMs.toFixed(1)} ms/req (scheduler included)`,
        )
      }
      emit('analytics_worst_p95', worst, 'ms')
    } finally {
      await server.stop()
    }
  } finally {
    if (!a.dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}

// Run on its own: prints the figures (bench/results.json is the full driver's).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDriver('[bench] analytics', async () => {
    const a = analyticsSettingsFromEnv(process.env)
    mkdirSync(a.logDir, { recursive: true })
    const out = openFigures()
    const t0 = performance.now()
    await measureAnalyticsLatency(a, (name, value, unit) => out.emit(name, value, unit))
    console.error(`[bench] analytics done in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  })
}
