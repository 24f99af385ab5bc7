import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { migratePostgres, openPostgres, type PostgresHandle } from './pg/db.js'
import { openClickHouse, type ClickHouseHandle } from './ch/client.js'
import { migrateClickHouse } from './ch/migrate.js'
import { martMigrations } from './ch/migrations/marts.js'

export { FIXTURE_TIME, outcomeRow, replySignalRow } from './ch/queries/fixture-rows.js'

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

export interface ClickHouseProcess {
  /** CLICKHOUSE_URL of the process (the same port across restarts). */
  url: string
  /** SIGKILL: ClickHouse is gone (connection refused) until `start`. */
  kill(): Promise<void>
  /** Starts it again on the same data dir and port; resolves once it answers. */
  start(): Promise<void>
}

/**
 * ClickHouse in a process of its own (chDB behind ClickHouse's HTTP interface, see
 * ch/server-process.ts), for tests that take ClickHouse away from a running sink. Resolves once
 * it listens; call `kill` when done.
 */
export async function startClickHouseProcess(dataDir: string): Promise<ClickHouseProcess> {
  const script = fileURLToPath(new URL('./ch/server-process.ts', import.meta.url))
  let child: ChildProcess | null = null
  let port = 0
  const spawnIt = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', script, dataDir, String(port)], {
        cwd: fileURLToPath(new URL('../', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child = proc
      let out = ''
      let err = ''
      proc.stderr.on('data', (c: Buffer) => void (err = (err + c.toString()).slice(-4000)))
      proc.stdout.on('data', (c: Buffer) => {
        out += c.toString()
        const m = /clickhouse-listening (\d+)/.exec(out)
        if (m) {
          port = Number(m[1])
          resolve()
        }
      })
      proc.on('exit', (code) =>
        reject(new Error(`ClickHouse process exited ${code} before listening:\n${err}`)),
      )
    })
  await spawnIt()
  return {
    url: `http://127.0.0.1:${port}`,
    async kill() {
      const proc = child
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
      const gone = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGKILL')
      await gone
    },
    start: spawnIt,
  }
}
