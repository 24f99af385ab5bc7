import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { migratePostgres, openPostgres, type PostgresHandle } from './pg/db.js'
import { openClickHouse, type ClickHouseHandle } from './ch/client.js'
import { migrateClickHouse } from './ch/migrate.js'
import { martMigrations } from './ch/migrations/marts.js'

/**
 * Test fixture: a fresh, migrated Postgres. With LUNEO_TEST_DATABASE_URL set (make test's second
 * pass) it creates a throwaway database on that server; otherwise an in-memory PGlite.
 * Never a mock: the same migrations and queries run on both.
 */
export async function openTestPostgres(): Promise<PostgresHandle & { label: string }> {
  const serverUrl = process.env.LUNEO_TEST_DATABASE_URL
  if (!serverUrl) {
    const handle = await openPostgres({ dataDir: 'memory://' })
    await migratePostgres(handle.db)
    return { ...handle, label: 'pglite' }
  }
  return openServerTestPostgres(serverUrl)
}

/**
 * A throwaway, migrated database on a PostgreSQL server, with its URL: for tests whose other
 * processes (a relay child, …) must reach the same database. Dropped by `close`.
 */
export async function openServerTestPostgres(
  serverUrl: string,
): Promise<PostgresHandle & { label: string; url: string }> {
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = await openPostgres({ url: url.toString(), maxConnections: 10 })
  await migratePostgres(handle.db)
  return {
    ...handle,
    label: 'postgres',
    url: url.toString(),
    close: async () => {
      await handle.close()
      await dropDatabase(serverUrl, name)
    },
  }
}

/**
 * DROP … WITH (FORCE) ends the database's other sessions, but a role without superuser (the tests'
 * role, as in production) may not end an autovacuum worker's: the drop then fails with
 * insufficient_privilege (42501) until the worker is done, moments later. Wait for that, bounded.
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      return
    } catch (err) {
      if ((err as { code?: string }).code !== '42501' || Date.now() > deadline) throw err
    } finally {
      await client.end()
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** A temporary directory removed by the returned function. */
export function tempDir(prefix = 'luneo-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/**
 * Test fixture: a fresh ClickHouse with every table (events and the pipelines' marts). chDB in a
 * temp dir, or the server at LUNEO_TEST_CLICKHOUSE_URL. `close` also removes the temp dir.
 */
export async function openTestClickHouse(): Promise<ClickHouseHandle> {
  const dir = tempDir('luneo-ch-')
  const handle = await openClickHouse({ url: process.env.LUNEO_TEST_CLICKHOUSE_URL, dataDir: dir.path })
  try {
    await migrateClickHouse(handle.ch)
    await migrateClickHouse(handle.ch, martMigrations)
  } catch (err) {
    await handle.close()
    dir.remove()
    throw err
  }
  return {
    ...handle,
    close: async () => {
      await handle.close()
      dir.remove()
    },
  }
}
