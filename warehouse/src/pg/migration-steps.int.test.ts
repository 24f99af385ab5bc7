import { Migrator, NO_MIGRATIONS, sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestPostgres } from '../testing.js'
import type { PostgresHandle } from './db.js'
import { pgMigrations } from './migrations/index.js'

// Each migration, one step at a time on a database that holds data: seed every table that exists
// at step k (every column filled, foreign keys pointing at real rows), take the schema and a
// fingerprint of every table, migrate one step down and up again, then demand the same schema
// (columns with types, nullability and defaults; indexes; constraints) and the same rows in every
// column that the step did not itself create. A down that forgets an index, leaves a constraint
// behind or destroys data it did not add fails here.

const ROWS = 3
const names = Object.keys(pgMigrations).sort()

let pg: PostgresHandle
let migrator: Migrator
beforeAll(async () => {
  pg = await openTestPostgres()
  migrator = new Migrator({ db: pg.db, provider: { getMigrations: async () => pgMigrations } })
})
afterAll(async () => pg?.close())

/** Migrates up or down until `target` is the last applied (NO_MIGRATIONS: none). */
async function to(target: string | typeof NO_MIGRATIONS) {
  const r = await migrator.migrateTo(target)
  if (r.error) throw r.error instanceof Error ? r.error : new Error(JSON.stringify(r.error))
}

interface Column {
  table: string
  column: string
  type: string
  nullable: boolean
  default: string | null
  identity: boolean
}

async function columns(db: Kysely<any>): Promise<Column[]> {
  const r = await sql<Column>`
    SELECT table_name AS table, column_name AS column, udt_name AS type, is_nullable = 'YES' AS nullable,
      column_default AS default,
      (is_identity = 'YES' OR is_generated = 'ALWAYS' OR column_default LIKE 'nextval(%') AS identity
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'
    ORDER BY table_name, column_name`.execute(db)
  return r.rows
}

/** The schema as sorted lines: columns, indexes, constraints (names and definitions). */
async function schema(db: Kysely<any>): Promise<string[]> {
  const cols = (await columns(db)).map(
    (c) => `column ${c.table}.${c.column} ${c.type} ${c.nullable ? 'null' : 'not null'} ${c.default ?? ''}`,
  )
  const idx = await sql<{ line: string }>`
    SELECT 'index ' || tablename || ' ' || indexname || ' ' || indexdef AS line FROM pg_indexes
    WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'`.execute(db)
  const cons = await sql<{ line: string }>`
    SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      AND conrelid::regclass::text NOT LIKE 'kysely_%'`.execute(db)
  return [...cols, ...idx.rows.map((r) => r.line), ...cons.rows.map((r) => r.line)].sort()
}

/** Per table: row count and an md5 over its rows, reading only the given columns. */
async function fingerprints(db: Kysely<any>, cols: Column[]): Promise<Record<string, string>> {
  const byTable = new Map<string, Column[]>()
  for (const c of cols) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c])
  const out: Record<string, string> = {}
  for (const [table, cs] of byTable) {
    const list = sql.join(cs.map((c) => sql.ref(c.column)))
    const r = await sql<{ n: number; h: string }>`
      SELECT count(*)::int AS n, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS h
      FROM (SELECT ${list} FROM ${sql.table(table)}) r`.execute(db)
    out[table] = `${r.rows[0]!.n} rows ${r.rows[0]!.h}`
  }
  return out
}

/** Single-column foreign keys: table.column → referenced table (always its id). */
async function foreignKeys(db: Kysely<any>): Promise<Map<string, string>> {
  const r = await sql<{ t: string; col: string; ref: string }>`
    SELECT c.conrelid::regclass::text AS t, a.attname AS col, c.confrelid::regclass::text AS ref
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`.execute(db)
  return new Map(r.rows.map((f) => [`${f.t}.${f.col}`, f.ref]))
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
/** A stable UUID per (step, table, row): the same seed gives the same fingerprints. */
const idOf = (step: number, table: string, row: number) =>
  `00000000-${hex(step, 4)}-4000-8000-${hex(
    [...table].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7),
    8,
  )}${hex(row, 4)}`

function valueFor(c: Column, step: number, row: number, fk: string | undefined): unknown {
  if (fk) return idOf(step, fk, row)
  const n = step * 10 + row
  switch (c.type) {
    case 'uuid':
      return c.column === 'id' ? idOf(step, c.table, row) : idOf(step, `${c.table}.${c.column}`, row)
    case 'text':
    case 'varchar':
      return `${c.table}.${c.column} #${step}.${row}`
    case 'int2':
    case 'int4':
    case 'int8':
      return n + 1
    case 'float8':
      return (n + 1) * 1.25
    case 'bool':
      return row % 2 === 0
    case 'timestamptz':
      return new Date(Date.UTC(2026, step % 12, row + 1, 10, 30))
    case 'date':
      return `2026-${String((step % 12) + 1).padStart(2, '0')}-${row + 10}`
    case 'jsonb':
      return JSON.stringify({ step, row, note: `seeded ${c.table}` })
    case '_text':
      return [`${c.column} a${row}`, `${c.column} b${step}`]
    default:
      throw new Error(`no seed value for ${c.table}.${c.column} (${c.type}): add one`)
  }
}

/** ROWS rows in every table that exists now, parents before children. */
async function seed(db: Kysely<any>, step: number): Promise<void> {
  const cols = await columns(db)
  const fks = await foreignKeys(db)
  const tables = [...new Set(cols.map((c) => c.table))]
  const done = new Set<string>()
  while (done.size < tables.length) {
    const ready = tables.filter(
      (t) =>
        !done.has(t) &&
        cols.every(
          (c) => c.table !== t || !fks.has(`${t}.${c.column}`) || done.has(fks.get(`${t}.${c.column}`)!),
        ),
    )
    if (ready.length === 0) throw new Error('foreign keys form a cycle')
    for (const t of ready) {
      const cs = cols.filter((c) => c.table === t && !c.identity)
      for (let row = 0; row < ROWS; row++) {
        const values = cs.map((c) => valueFor(c, step, row, fks.get(`${t}.${c.column}`)))
        await sql`INSERT INTO ${sql.table(t)} (${sql.join(cs.map((c) => sql.ref(c.column)))})
          VALUES (${sql.join(values)})`.execute(db)
      }
      done.add(t)
    }
  }
}

describe('postgres migrations step by step, down and up, on a database holding data', () => {
  it('each step restores the schema exactly and keeps every row of the columns it did not add', async () => {
    await to(NO_MIGRATIONS)
    let before: string[] = await schema(pg.db)
    expect(before).toEqual([])
    for (const [i, name] of names.entries()) {
      await to(name)
      await seed(pg.db, i + 1)
      const after = await schema(pg.db)
      const cols = await columns(pg.db)
      // The columns the step did not add: their rows must come back unchanged.
      const kept = cols.filter((c) => before.some((l) => l.startsWith(`column ${c.table}.${c.column} `)))
      const data = await fingerprints(pg.db, kept)

      await to(i === 0 ? NO_MIGRATIONS : names[i - 1]!)
      expect(await schema(pg.db), `${name} down`).toEqual(before)
      await to(name)
      expect(await schema(pg.db), `${name} down then up`).toEqual(after)
      expect(await fingerprints(pg.db, kept), `${name}: rows of columns it did not add`).toEqual(data)
      before = after
    }
  })
})
