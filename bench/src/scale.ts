// `make bench-scale` driver (issue 12: analytics p95 < 300 ms at 10M events / 200 organizations).
// Per size: `luneo bench generate` writes the data set into its own data dir (a child process, the
// same command a developer runs), then the real API (api/src/server.ts) serves it and each
// analytics endpoint behind the dashboard gets a closed-loop GET load, signed in as the owner of
// the largest tenant and of the median one (session cookie, as the dashboard sends it).
//
// Env: BENCH_SCALE_SIZES (1000000,10000000), BENCH_SCALE_SEED, BENCH_SCALE_ORGANIZATIONS (200),
// BENCH_SCALE_REUSE=1 (serve a data dir a previous run finished instead of generating again),
// BENCH_SCALE_CONNECTIONS (4), BENCH_SCALE_WARMUP_SEC (1), BENCH_SCALE_DURATION_SEC (5),
// BENCH_SCALE_PIPELINES_INTERVAL_MS (0: the scheduler off; the data set does not change).
// Server mode: DATABASE_URL and CLICKHOUSE_URL (empty databases, one size per run).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { DataSetSummary } from './generate/generate.js'
import { BENCH_OWNER_PASSWORD } from './generate/cli.js'
import { defaultLogDir } from './load-profile.js'
import { openFigures, type Figure } from './results.js'
import { login, measureEndpoint } from './scenarios/analytics-latency.js'
import { scaleApiEnv, scaleEndpoints, scaleTenants } from './scale-endpoints.js'
import { repoRoot, runDriver, spawnServer } from './spawn-server.js'

const env = process.env
const int = (v: string | undefined, d: number) => (v ? Number.parseInt(v, 10) : d)
const s = {
  sizes: (env.BENCH_SCALE_SIZES ?? '1000000,10000000').split(',').map((x) => Number.parseInt(x.trim(), 10)),
  seed: int(env.BENCH_SCALE_SEED, 20261130),
  organizations: int(env.BENCH_SCALE_ORGANIZATIONS, 200),
  reuse: env.BENCH_SCALE_REUSE === '1',
  connections: int(env.BENCH_SCALE_CONNECTIONS, 4),
  warmupSec: int(env.BENCH_SCALE_WARMUP_SEC, 1),
  durationSec: int(env.BENCH_SCALE_DURATION_SEC, 5),
  pipelinesIntervalMs: env.BENCH_SCALE_PIPELINES_INTERVAL_MS ?? '0',
  server: Boolean(env.DATABASE_URL && env.CLICKHOUSE_URL),
}
const out = openFigures()
const label = (n: number) => (n % 1e6 === 0 ? `${n / 1e6}m` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n))

/** Runs `luneo bench generate` into `dir` (its progress lines go to this stderr); returns its wall time. */
async function generate(n: number, dir: string): Promise<number> {
  const t0 = performance.now()
  const args = ['--import', 'tsx', 'bin/luneo.ts', 'bench', 'generate', '--events', String(n)]
  args.push(
    '--seed',
    String(s.seed),
    '--organizations',
    String(s.organizations),
    '--summary',
    join(dir, 'summary.json'),
  )
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...env, LUNEO_DATA_DIR: dir },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const code = await new Promise<number | null>((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`bench-scale: luneo bench generate --events ${n} exited ${code}`)
  return (performance.now() - t0) / 1000
}

async function measureSize(n: number): Promise<void> {
  const dir = join(repoRoot, '.tmp', 'bench-scale', `${n}-s${s.seed}-o${s.organizations}`)
  const name = `scale_${label(n)}`
  if (!(s.reuse && existsSync(join(dir, 'summary.json')))) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const sec = await generate(n, dir)
    out.emit(`${name}_generate_sec`, sec, 's')
  } else console.error(`[bench-scale] reusing ${dir} (BENCH_SCALE_REUSE=1)`)
  const d = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as DataSetSummary
  out.emit(`${name}_insert_events_per_sec`, d.events / d.insertSec, 'events/s')
  out.emit(`${name}_pipelines_full_sec`, d.pipelinesSec, 's')
  const tenants = scaleTenants(d)
  console.error(
    `[bench-scale] ${name}: ${d.events.toLocaleString('en')} events, ${d.conversations.toLocaleString('en')} conversations, ` +
      `${d.organizations.length} organizations, until ${d.until}; largest ${tenants[0]![1].events.toLocaleString('en')} events, ` +
      `median ${tenants[1]![1].events.toLocaleString('en')}`,
  )
  const logFile = join(defaultLogDir, `api-${name}.log`)
  const server = await spawnServer({
    name: `api-${name}`,
    entry: 'api/src/server.ts',
    env: scaleApiEnv(dir, { server: s.server, pipelinesIntervalMs: s.pipelinesIntervalMs, logLevel: 'warn' }),
    readyPath: '/readyz',
    logFile,
    readyTimeoutMs: 180_000,
  })
  try {
    let worst = 0
    let worstRead = 0
    for (const [who, tenant] of tenants) {
      const cookie = await login(server.url, tenant.email, BENCH_OWNER_PASSWORD)
      for (const [endpoint, path] of Object.entries(scaleEndpoints(d))) {
        const m = await measureEndpoint(server, cookie, endpoint.replace(/_365d$/, ''), path, s)
        worst = Math.max(worst, m.p95)
        // The CSV export is a download of every row in the range, not a screen's read.
        if (endpoint !== 'resolved_csv') worstRead = Math.max(worstRead, m.p95)
        out.emit(`${name}_${who}_${endpoint}_p50`, m.p50, 'ms')
        out.emit(`${name}_${who}_${endpoint}_p95`, m.p95, 'ms')
        // The API's own CPU per request (chDB runs in it, embedded): what a busy machine disturbs least.
        out.emit(`${name}_${who}_${endpoint}_api_cpu_per_req`, m.cpuMs, 'ms')
        console.error(
          `[bench-scale] ${name} ${who} ${endpoint}: ${m.shape}; ${m.n} × 200 in ${m.sec.toFixed(1)} s, ` +
            `p99 ${m.p99.toFixed(1)} ms, max ${m.max.toFixed(1)} ms, API CPU ${m.cpuMs.toFixed(1)} ms/req`,
        )
      }
    }
    out.emit(`${name}_worst_p95`, worst, 'ms')
    out.emit(`${name}_worst_read_p95`, worstRead, 'ms')
  } finally {
    await server.stop()
  }
  // With the API gone the data dir is free: each query behind the endpoints, alone, with its plan.
  if (!s.server) for (const f of await queryPlans(dir, name)) out.emit(f.name, f.value, f.unit)
}

/** Runs scale-plans.ts on `dir` (a child: chDB takes one data dir per process); returns its figures. */
async function queryPlans(dir: string, name: string): Promise<Figure[]> {
  const file = join(dir, 'tmp', `plans-${process.pid}.json`)
  mkdirSync(join(dir, 'tmp'), { recursive: true })
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/src/scale-plans.ts', dir, name, file], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const code = await new Promise<number | null>((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`bench-scale: scale-plans.ts on ${dir} exited ${code}`)
  return JSON.parse(readFileSync(file, 'utf8')) as Figure[]
}

async function main(): Promise<void> {
  const t0 = performance.now()
  if (s.server && s.sizes.length !== 1)
    throw new Error('bench-scale in server mode: one size per run (BENCH_SCALE_SIZES), into empty databases')
  mkdirSync(defaultLogDir, { recursive: true })
  for (const n of s.sizes) await measureSize(n)
  const wallSec = (performance.now() - t0) / 1000
  out.write(
    join(repoRoot, 'bench', 'results-scale.json'),
    { ...s, mode: s.server ? 'server' : 'embedded' },
    wallSec,
  )
  console.error(
    `[bench-scale] done in ${wallSec.toFixed(0)} s; results in bench/results-scale.json, API logs in ${defaultLogDir}`,
  )
}

runDriver('[bench-scale]', main)
