import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClickHouse, type ClickHouseHandle } from './client.js'
import { migrateClickHouse } from './migrate.js'
import { chMigrations } from './migrations/index.js'
import { tempDir } from '../testing.js'

const dir = tempDir('luneo-ch-')
let h: ClickHouseHandle
beforeAll(async () => {
  h = await openClickHouse({ url: process.env.LUNEO_TEST_CLICKHOUSE_URL, dataDir: dir.path })
})
afterAll(async () => {
  await h?.close()
  dir.remove()
})

describe('clickhouse migrations', () => {
  it('applies pending versions once and records them', async () => {
    const first = await migrateClickHouse(h.ch)
    const second = await migrateClickHouse(h.ch)
    expect(first).toEqual(chMigrations.map((m) => m.version))
    expect(second).toEqual([])
    const rs = await h.ch.query({
      query: 'SELECT name FROM schema_migrations ORDER BY version',
      format: 'JSONEachRow',
    })
    expect(await rs.json()).toEqual(chMigrations.map((m) => ({ name: m.name })))
  })

  it('events is ordered by organization, hour bucket, id', async () => {
    const rs = await h.ch.query({
      query: "SELECT sorting_key FROM system.tables WHERE name = 'events' AND database = currentDatabase()",
      format: 'JSONEachRow',
    })
    const [row] = await rs.json<{ sorting_key: string }>()
    expect(row?.sorting_key).toBe('organization_id, toStartOfHour(occurred_at), id')
  })
})
