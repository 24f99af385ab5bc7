import { mkdirSync } from 'node:fs'
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely'
import pg from 'pg'
import { pgliteDialect } from './pglite-dialect.js'
import { preparedName } from './queries/prepared.js'
import { pgMigrations } from './migrations/index.js'
import type { Database } from './schema.js'

export type Db = Kysely<Database>

export interface PostgresHandle {
  db: Db
  /** `pglite` when embedded in this process, `postgres` for a server reached by URL. */
  kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

export interface OpenPostgresOptions {
  /** A server URL (DATABASE_URL). When absent, PGlite runs embedded with its data in `dataDir`. */
  url?: string | undefined
  /** Where embedded PGlite keeps its files; `memory://` keeps nothing. */
  dataDir?: string | undefined
  /** Pool size for the server mode. */
  maxConnections?: number
}

const INT8_OID = 20

/**
 * pg's client, sending the statements marked `prepared(…)` as named ones (queries/prepared.ts).
 * Kysely calls `query(text, values)`; everything else passes through unchanged.
 */
class NamingClient extends pg.Client {
  override query(...args: any[]): any {
    const [text, values] = args
    const name = typeof text === 'string' ? preparedName(text) : undefined
    if (name === undefined) return (super.query as (...a: any[]) => any)(...args)
    return super.query({ name, text, values })
  }
}

/** Opens Postgres: a server when `url` is given, embedded PGlite otherwise. Same schema, same queries. */
export async function openPostgres(options: OpenPostgresOptions): Promise<PostgresHandle> {
  if (options.url) {
    // bigint columns (outbox.seq, counts) stay below 2^53: parse them as numbers in both modes.
    const types = {
      getTypeParser: (oid: number, format?: any) =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format),
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 20,
      types: types,
      Client: NamingClient,
    })
    // An idle client the server closes (restart, failover, DROP DATABASE … FORCE) emits 'error' on
    // the pool; unhandled, it would crash the process. The pool replaces the client on next use.
    pool.on('error', (err) => console.warn(`postgres: idle connection closed (${err.message})`))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const dataDir = options.dataDir ?? 'memory://'
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir, { parsers: { [INT8_OID]: (v: string) => Number(v) } })
  const db = new Kysely<Database>({ dialect: pgliteDialect(pglite) })
  return { db, kind: 'pglite', close: () => db.destroy() }
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => pgMigrations } })
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error)
    throw result.error instanceof Error
      ? result.error
      : new Error(`migration failed: ${JSON.stringify(result.error)}`)
  return result
}

/** Applies every pending migration (idempotent). */
export async function migratePostgres(db: Kysely<any>): Promise<MigrationResultSet> {
  return check(await migrator(db).migrateToLatest())
}

/** Migrates down until `target` is the last migration applied (its own down is not run), or to nothing when target is undefined. */
export async function migratePostgresDown(db: Kysely<any>, target?: string): Promise<MigrationResultSet> {
  const { NO_MIGRATIONS } = await import('kysely')
  return check(await migrator(db).migrateTo(target ?? NO_MIGRATIONS))
}
