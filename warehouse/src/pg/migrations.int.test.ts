import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migratePostgres, migratePostgresDown, type PostgresHandle } from './db.js'
import { openTestPostgres } from '../testing.js'

let pg: PostgresHandle & { label: string }
beforeAll(async () => {
  pg = await openTestPostgres()
})
afterAll(async () => pg?.close())

async function tables(): Promise<string[]> {
  const r = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name`.execute(pg.db)
  return r.rows.map((row) => row.table_name)
}

describe('postgres migrations', () => {
  it('migrate up, down, up leaves the same schema', async () => {
    const first = await tables()
    expect(first).toContain('outbox')
    expect(first).toContain('audit_log')
    await migratePostgresDown(pg.db)
    expect(await tables()).toEqual([])
    await migratePostgres(pg.db)
    expect(await tables()).toEqual(first)
  })

  it('every tenant-owned table has organization_id and an (organization_id, created_at) index', async () => {
    const cols = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'organization_id'`.execute(pg.db)
    const owned = new Set(cols.rows.map((r) => r.table_name))
    for (const t of await tables())
      if (t !== 'organizations' && t !== 'users') expect(owned.has(t), t).toBe(true)
    const idx = await sql<{ tablename: string; indexdef: string }>`
      SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`.execute(pg.db)
    for (const t of owned) {
      const has = idx.rows.some(
        (r) => r.tablename === t && /\(organization_id, created_at\)/.test(r.indexdef),
      )
      expect(has, `${t} index on (organization_id, created_at)`).toBe(true)
    }
  })

  it('migrating twice is a no-op', async () => {
    const r = await migratePostgres(pg.db)
    expect(r.results).toEqual([])
  })
})
