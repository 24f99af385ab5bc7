import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPostgres } from '@luneo/warehouse'
import { seedTenant } from '../api-seed.js'
import { measure, type Measurement } from '../load.js'
import { conversationBody, loadOptions, type RunSettings } from '../load-profile.js'
import { spawnServer } from '../spawn-server.js'

/** `server`: PostgreSQL at DATABASE_URL (pool of 20). `embedded`: PGlite + chDB in the API's process. */
export type ApiMode = 'server' | 'embedded'

/** The API's environment under load: production, no rate limit, no drainer; `dataDir` its own. */
export function apiEnv(s: RunSettings, mode: ApiMode, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LUNEO_SECURE_COOKIES: 'false',
    LUNEO_SECRET: 'bench-secret-0123456789abcdef',
    LUNEO_DATA_DIR: dataDir,
    DATABASE_URL: mode === 'server' ? s.databaseUrl : '',
    CLICKHOUSE_URL: '',
    LUNEO_LOG_LEVEL: 'warn',
    LUNEO_RATE_LIMIT_PER_MINUTE: '100000000',
    // The write path only: the relay's drain rate is a figure of its own (DESIGN §8).
    LUNEO_DRAINER: 'false',
  }
}

/**
 * Every 201 must be a committed row: counts the agent's conversations once the server is gone. A
 * request in flight when a phase's clock stops still commits but is not counted, hence the slack.
 */
async function checkRows(
  url: string | undefined,
  dataDir: string,
  agentId: string,
  answered: number,
  slack: number,
): Promise<void> {
  const pg = await openPostgres({ url, dataDir: join(dataDir, 'postgres') })
  try {
    const row = await pg.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('agent_id', '=', agentId)
      .executeTakeFirstOrThrow()
    const n = Number(row.n)
    if (n < answered || n > answered + slack)
      throw new Error(`${answered} conversations answered 201 but ${n} rows exist`)
  } finally {
    await pg.close()
  }
}

/**
 * `POST /api/v1/conversations` on the real API (api/src/server.ts) in its own process: Bearer API
 * key lookup, zod body, one transaction (agent check, contact upsert, insert, outbox, audit).
 */
export async function measureApiConversations(
  s: RunSettings,
  mode: ApiMode,
  /** Extra node flags for the API process, e.g. `--cpu-prof` to see where a request's time goes. */
  nodeArgs: string[] = [],
): Promise<Measurement> {
  const dataDir = mkdtempSync(join(tmpdir(), `luneo-bench-${mode}-`))
  try {
    const server = await spawnServer({
      name: `api-${mode}`,
      entry: 'api/src/server.ts',
      env: apiEnv(s, mode, dataDir),
      readyPath: '/readyz',
      logFile: join(s.logDir, `api-${mode}.log`),
      readyTimeoutMs: 120_000,
      nodeArgs,
    })
    let m: Measurement
    let agentId: string
    try {
      const tenant = await seedTenant(server.url)
      agentId = tenant.agentId
      const headers = { authorization: tenant.authorization }
      m = await measure(
        `api ${mode}`,
        loadOptions(s, server.url, '/api/v1/conversations', {
          body: conversationBody(agentId),
          headers,
          serverPid: server.pid,
        }),
      )
    } finally {
      await server.stop()
    }
    await checkRows(
      mode === 'server' ? s.databaseUrl : undefined,
      dataDir,
      agentId,
      m.requests + m.warmupRequests,
      2 * s.connections,
    )
    return m
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
