import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { migrateDatabase, runSettingsFromEnv } from './load-profile.js'
import { openFigures } from './results.js'
import { measureApiConversations } from './scenarios/api-conversations.js'
import { emitBareInsertFigures, measureBareInserts } from './scenarios/bare-insert.js'
import { measureEngineMessages } from './scenarios/engine-messages.js'
import { repoRoot, runDriver } from './spawn-server.js'

// The write-path figures of `make bench` alone (issue 12): the bare insert and its validated+logged
// twin, POST /conversations on server Postgres, and the engine turn, in that order, ~2 minutes.
// `DATABASE_URL=… node --import tsx bench/src/write-path.ts`; `BENCH_CPU_PROF=<dir>` profiles both
// API processes (`--cpu-prof`, one directory per server; the largest .cpuprofile is the main thread). Same knobs as run.ts.

/**
 * CPU seconds of the PostgreSQL server at `DATABASE_URL` (the postmaster named by
 * BENCH_POSTGRES_PID, and its children), exited backends included: the postmaster reaps them, and
 * its children's time (cutime, cstime) holds theirs. Undefined without BENCH_POSTGRES_PID.
 */
function postgresCpuSeconds(): number {
  const postmaster = process.env.BENCH_POSTGRES_PID
  if (!postmaster) return Number.NaN
  let ticks = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (pid !== postmaster && f[1] !== postmaster) continue
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100
}

async function main(): Promise<void> {
  const s = runSettingsFromEnv(process.env)
  mkdirSync(s.logDir, { recursive: true })
  const prof = process.env.BENCH_CPU_PROF
  // One directory per server: node writes a profile per thread (tsx's loader runs on its own).
  // BENCH_API_NODE_ARGS: node flags for both API processes (e.g. a GC setting to measure).
  const apiArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const nodeArgs = (name: string) => [
    ...apiArgs,
    ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${join(prof, name)}`] : []),
  ]
  await migrateDatabase(s.databaseUrl)
  const out = openFigures()
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')
  console.error(`[write-path] load average at start ${load()}`)
  let pg0 = postgresCpuSeconds()
  const bareInserts = await measureBareInserts(s)
  const { bare, validated } = bareInserts
  // Both bare servers' requests (warm-ups included) over the Postgres CPU of the whole phase.
  const bareAll = bare.requests + bare.warmupRequests + validated.requests + validated.warmupRequests
  out.emit('bare_insert_postgres_cpu_per_req', ((postgresCpuSeconds() - pg0) * 1000) / bareAll, 'ms')
  emitBareInsertFigures(out, bareInserts)
  pg0 = postgresCpuSeconds()
  const api = await measureApiConversations(s, 'server', nodeArgs('api-conversations'))
  out.latency('api_conversations', api)
  // Includes the API's start (migrations done already), the tenant's setup and the row count.
  const apiAll = api.requests + api.warmupRequests
  out.emit('api_conversations_postgres_cpu_per_req', ((postgresCpuSeconds() - pg0) * 1000) / apiAll, 'ms')
  out.emit('api_conversations_vs_bare_insert', api.reqPerSec / bare.reqPerSec, 'x')
  out.emit('api_p99_vs_bare_p99', api.p99Ms / bare.p99Ms, 'x')
  // BENCH_ENGINE=0 leaves the engine turn out (~1 min): for comparing conversations runs back to back.
  if (process.env.BENCH_ENGINE !== '0')
    await measureEngineMessages(
      s,
      (n, v, u) => out.emit(n, v, u),
      { conversations: api, bare },
      nodeArgs('api-engine'),
    )
  console.error(`[write-path] load average at end ${load()}`)
  out.write(join(repoRoot, '.tmp', 'bench', 'write-path.json'), { ...s, databaseUrl: undefined }, 0)
}

runDriver('[write-path]', main)
