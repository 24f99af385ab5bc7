import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { measureAlternating, type Measurement } from '../load.js'
import { conversationBody, loadOptions, type RunSettings } from '../load-profile.js'
import type { Figures } from '../results.js'
import { spawnServer, type ServerProcess } from '../spawn-server.js'

export interface BareInsertMeasurements {
  /** No schema, no logger: the yardstick for the API. */
  bare: Measurement
  /** zod body + response schema and info-level request logging to /dev/null. */
  validated: Measurement
}

/** Both servers' load figures and the validation+logging overhead, by throughput and by CPU. */
export function emitBareInsertFigures(out: Figures, { bare, validated }: BareInsertMeasurements): void {
  out.latency('bare_insert', bare)
  out.latency('bare_insert_validated_logged', validated)
  // Extra time per request, from the throughput of a saturated closed loop (time ∝ 1 / req/s).
  out.emit('validation_logging_overhead', (bare.reqPerSec / validated.reqPerSec - 1) * 100, '%')
  // The same from the servers' CPU per request: what a neighbour's load disturbs least.
  out.emit(
    'validation_logging_cpu_overhead',
    (validated.serverCpuMsPerReq / bare.serverCpuMsPerReq - 1) * 100,
    '%',
  )
}

/**
 * `POST /baseline` on bench/src/baseline-server.ts, one INSERT per request, in two processes
 * (bare and validated) loaded in alternation, so the overhead ratio sees the same machine.
 */
export async function measureBareInserts(s: RunSettings): Promise<BareInsertMeasurements> {
  const servers: ServerProcess[] = []
  try {
    // One after the other: each creates the table at start, and two CREATEs at once can collide.
    for (const variant of ['bare', 'validated'] as const) {
      servers.push(
        await spawnServer({
          name: `baseline-${variant}`,
          entry: 'bench/src/baseline-server.ts',
          env: { DATABASE_URL: s.databaseUrl, BENCH_VARIANT: variant },
          readyPath: '/healthz',
          logFile: join(s.logDir, `baseline-${variant}.log`),
        }),
      )
    }
    const body = conversationBody(randomUUID())
    const sides = servers.map((srv) => loadOptions(s, srv.url, '/baseline', { body, serverPid: srv.pid }))
    const [bare, validated] = await measureAlternating('baseline', sides, s.rounds)
    return { bare: bare!, validated: validated! }
  } finally {
    await Promise.all(servers.map((srv) => srv.stop()))
  }
}
