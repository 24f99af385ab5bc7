import type { Ch } from './client.js'
import { chMigrations, type ChMigration } from './migrations/index.js'

const LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree ORDER BY version`

/** Applies pending ClickHouse migrations and records them in `schema_migrations`. Returns the versions applied. */
export async function migrateClickHouse(ch: Ch, migrations: ChMigration[] = chMigrations): Promise<number[]> {
  await ch.command({ query: LEDGER })
  const rs = await ch.query({
    query: 'SELECT DISTINCT version FROM schema_migrations',
    format: 'JSONEachRow',
  })
  const done = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)))
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
