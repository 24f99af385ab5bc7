import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { measureAlternating, type Measurement } from '../load.js'
import { conversationBody, loadOptions, type RunSettings } from '../load-profile.js'
import { spawnServer, type ServerProcess } from '../spawn-server.js'

export interface BareInsertMeasurements {
  /** No schema, no logger: the yardstick for the API. */
  bare: Measurement
  /** zod body + response schema and info-level request logging to /dev/null. */
  validated: Measurement
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
