import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestClickHouse } from '../../testing.js'
import type { ClickHouseHandle } from '../client.js'
import { migrateClickHouse } from '../migrate.js'
import { AGGREGATE_TTL_DAYS, DLQ_TTL_DAYS, TEXT_TTL_DAYS } from '../migrations/index.js'
import { martMigrations } from '../migrations/marts.js'
import { AGGREGATE_TABLES, CONVERSATION_TABLES, TEXT_TABLES } from './retention.js'

// Every ClickHouse table with data has a TTL (the longest any policy may keep), and the retention
// job and the erasure know every table that holds an organization's rows: a new table fails here
// until it is placed (docs/adr/0022).

let ch: ClickHouseHandle
beforeAll(async () => {
  ch = await openTestClickHouse()
  await migrateClickHouse(ch.ch, martMigrations)
})
afterAll(async () => ch?.close())

async function tables(): Promise<{ name: string; engine_full: string }[]> {
  const rs = await ch.ch.query({
    query: `SELECT name, engine_full FROM system.tables
            WHERE database = currentDatabase() AND engine NOT IN ('MaterializedView', 'View')
            ORDER BY name`,
    format: 'JSONEachRow',
  })
  return rs.json()
}

/** Tables that need no TTL: the migration ledger, and the lift of each accepted gap (one row per gap, no text). */
const NO_TTL = ['schema_migrations', 'gap_lift_v1']

describe('ClickHouse retention', () => {
  it('gives every table a TTL: text 1,095 days, aggregates 1,825, dead letters 30', async () => {
    const ttl = new Map(
      (await tables()).map((t) => [t.name, /TTL (.*?)(?: SETTINGS|$)/.exec(t.engine_full)?.[1]]),
    )
    for (const t of TEXT_TABLES)
      expect(ttl.get(t.table), t.table).toMatch(new RegExp(`toIntervalDay\\(${TEXT_TTL_DAYS}\\)`))
    for (const t of AGGREGATE_TABLES)
      expect(ttl.get(t.table), t.table).toMatch(new RegExp(`toIntervalDay\\(${AGGREGATE_TTL_DAYS}\\)`))
    expect(ttl.get('events_dlq')).toMatch(new RegExp(`toIntervalDay\\(${DLQ_TTL_DAYS}\\)`))
    for (const [name, expr] of ttl)
      if (!NO_TTL.includes(name)) expect(expr, `${name} has a TTL`).toBeDefined()
  })

  it('places every table with organization rows in the retention job’s lists', async () => {
    const rs = await ch.ch.query({
      query: `SELECT DISTINCT table FROM system.columns
              WHERE database = currentDatabase() AND name = 'organization_id'
                AND table IN (SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('MaterializedView', 'View'))`,
      format: 'JSONEachRow',
    })
    const withOrg = (await rs.json<{ table: string }>()).map((r) => r.table).sort()
    const placed = new Set([...TEXT_TABLES, ...AGGREGATE_TABLES].map((t) => t.table))
    // gap_lift_v1: per accepted gap, recomputed from gap_questions_v1 (which the job trims).
    expect(withOrg.filter((t) => !placed.has(t))).toEqual(['gap_lift_v1'])
    const withConversation = await ch.ch.query({
      query: `SELECT DISTINCT table FROM system.columns
              WHERE database = currentDatabase() AND name = 'conversation_id'
                AND table IN (SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('MaterializedView', 'View'))`,
      format: 'JSONEachRow',
    })
    expect((await withConversation.json<{ table: string }>()).map((r) => r.table).sort()).toEqual(
      [...CONVERSATION_TABLES].sort(),
    )
  })
})
