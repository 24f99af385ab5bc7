import { join } from 'node:path'
import { migratePostgres, openPostgres } from '@luneo/warehouse'
import type { LoadOptions } from './load.js'
import { repoRoot } from './spawn-server.js'

/** Settings shared by every measurement of one run, so the figures compare like with like. */
export interface RunSettings {
  databaseUrl: string
  connections: number
  warmupSec: number
  durationSec: number
  /** Slices of an alternating A/B measurement (bench/src/load.ts). */
  rounds: number
  /** Where each child's output goes (`<name>.log`). */
  logDir: string
}

export const defaultLogDir = join(repoRoot, '.tmp', 'bench')

/**
 * The settings from DATABASE_URL (required: a PostgreSQL server) and BENCH_CONNECTIONS (20),
 * BENCH_WARMUP_SEC (2), BENCH_DURATION_SEC (10), BENCH_ROUNDS (4).
 */
export function runSettingsFromEnv(env: NodeJS.ProcessEnv): RunSettings {
  const databaseUrl = env.DATABASE_URL
  if (!databaseUrl)
    throw new Error(
      'DATABASE_URL must name a PostgreSQL server (infra/bench.sh starts one; infra/services.sh up pg)',
    )
  const int = (v: string | undefined, d: number) => (v ? Number.parseInt(v, 10) : d)
  return {
    databaseUrl,
    connections: int(env.BENCH_CONNECTIONS, 20),
    warmupSec: int(env.BENCH_WARMUP_SEC, 2),
    durationSec: int(env.BENCH_DURATION_SEC, 10),
    rounds: int(env.BENCH_ROUNDS, 4),
    logDir: defaultLogDir,
  }
}

/** Brings the PostgreSQL database at `url` to the latest migration. */
export async function migrateDatabase(url: string): Promise<void> {
  const pg = await openPostgres({ url })
  try {
    await migratePostgres(pg.db)
  } finally {
    await pg.close()
  }
}

/**
 * The body of the i-th request, identical for the bare route and the API: a conversation on an
 * agent with a contact. Contacts cycle over 5,000 addresses, so the first pass inserts them and
 * later ones find them (the API's upsert then reads without writing), and 20 concurrent requests
 * never touch the same contact row.
 */
export const conversationBody = (agentId: string) => (i: number) => ({
  agentId,
  channel: 'api',
  contact: { email: `customer-${i % 5000}@example.com`, name: 'Bench Customer' },
})

export function loadOptions(
  s: RunSettings,
  url: string,
  path: string,
  rest: Pick<LoadOptions, 'body' | 'headers' | 'serverPid'>,
): LoadOptions {
  return {
    url,
    path,
    connections: s.connections,
    warmupSec: s.warmupSec,
    durationSec: s.durationSec,
    ...rest,
  }
}
