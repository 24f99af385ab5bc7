import type { Ch } from './client.js'
import { chMigrations, type ChMigration } from './migrations/index.js'

const LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree ORDER BY version`

/** The versions recorded in `schema_migrations` (the ledger created first when missing). */
async function appliedVersions(ch: Ch): Promise<Set<number>> {
  await ch.command({ query: LEDGER })
  const rs = await ch.query({
    query: 'SELECT DISTINCT version FROM schema_migrations',
    format: 'JSONEachRow',
  })
  return new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)))
}

/** Applies pending ClickHouse migrations and records them in `schema_migrations`. Returns the versions applied. */
export async function migrateClickHouse(ch: Ch, migrations: ChMigration[] = chMigrations): Promise<number[]> {
  const done = await appliedVersions(ch)
  const applied: number[] = []
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue
    for (const statement of m.statements) await ch.command({ query: statement })
    await ch.insert({
      table: 'schema_migrations',
      values: [{ version: m.version, name: m.name }],
      format: 'JSONEachRow',
    })
    applied.push(m.version)
  }
  return applied
}

/**
 * Undoes the applied migrations of `migrations` newer than `toVersion` (all of them when omitted),
 * newest first, each with its `down` statements, and forgets them in `schema_migrations`. Returns
 * the versions undone. For rolling back a release; `migrateClickHouse` applies them again.
 */
export async function rollbackClickHouse(
  ch: Ch,
  migrations: ChMigration[] = chMigrations,
  toVersion = 0,
): Promise<number[]> {
  const done = await appliedVersions(ch)
  const undone: number[] = []
  for (const m of [...migrations].sort((a, b) => b.version - a.version)) {
    if (m.version <= toVersion || !done.has(m.version)) continue
    for (const statement of m.down) await ch.command({ query: statement })
    // Synchronous: the next migrateClickHouse must not see the version as still applied.
    await ch.command({
      query:
        'ALTER TABLE schema_migrations DELETE WHERE version = {version:UInt32} SETTINGS mutations_sync = 1',
      query_params: { version: m.version },
    })
    undone.push(m.version)
  }
  return undone
}
