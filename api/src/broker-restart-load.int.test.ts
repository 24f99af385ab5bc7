// Server mode, every part a process of its own: the API (api/src/server.ts) on a PostgreSQL server
// database and a ClickHouse process, `luneo ingest relay` and `luneo ingest sink` on a Kafka broker
// of this test's own. The broker is restarted while clients keep writing over HTTP: the API must
// answer every write (it only writes the outbox, in the request's transaction), and every
// committed write must reach ClickHouse exactly once after the broker is back.
import { execFile, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClickHouse, type ClickHouseHandle, type PostgresHandle } from '@luneo/warehouse'
import {
  openServerTestPostgres,
  startClickHouseProcess,
  tempDir,
  type ClickHouseProcess,
} from '@luneo/warehouse/testing'
import { repoRoot, spawnLuneo, type LuneoChild } from '@luneo/ingest/testing'
import { api, exited, freePort, signupWithKey, startServer } from './testing/server-process.js'

const run = promisify(execFile)
const kafkaScript = join(repoRoot, 'infra/kafka/kafka.sh')
const serverUrl = process.env.LUNEO_TEST_DATABASE_URL || process.env.DATABASE_URL
// Only where the suite has a broker (it starts its own, with the same script) and a Postgres server.
const runnable = Boolean(process.env.KAFKA_BROKERS && serverUrl)
if (!runnable)
  console.warn(
    'broker-restart-load.int.test: needs KAFKA_BROKERS and DATABASE_URL (a PostgreSQL server), skipping',
  )

describe.skipIf(!runnable)('broker restarted while the API takes writes (server mode)', () => {
  const services = tempDir('luneo-kafka-api-')
  const dir = tempDir('luneo-api-load-')
  const kafkaEnv = { ...process.env, LUNEO_SERVICES_DIR: services.path }
  let brokers = ''
  let pg: PostgresHandle & { url: string }
  let chProcess: ClickHouseProcess
  let ch: ClickHouseHandle
  let server: ChildProcess | null = null
  const workers: LuneoChild[] = []

  beforeAll(async () => {
    const [started, pgHandle, chp] = await Promise.all([
      run(kafkaScript, ['start'], { env: kafkaEnv }),
      openServerTestPostgres(serverUrl!),
      startClickHouseProcess(join(dir.path, 'clickhouse')),
    ])
    brokers = /KAFKA_BROKERS=(\S+)/.exec(started.stdout)![1]!
    pg = pgHandle
    chProcess = chp
    ch = await openClickHouse({ url: chProcess.url })
  }, 180_000)
  afterAll(async () => {
    server?.kill('SIGKILL')
    for (const w of workers) await w.kill()
    await ch?.close()
    await chProcess?.kill()
    await pg?.close()
    await run(kafkaScript, ['stop'], { env: kafkaEnv }).catch((e: unknown) => console.error(e))
    services.remove()
    dir.remove()
  })

  it('zero 5xx, and ClickHouse ends with every committed write once', { timeout: 300_000 }, async () => {
    const t0 = Date.now()
    const port = await freePort()
    const stores = { DATABASE_URL: pg.url, CLICKHOUSE_URL: chProcess.url }
    // The relay moves the outbox, not the API's embedded drainer.
    server = await startServer(port, join(dir.path, 'api'), {
      ...stores,
      LUNEO_DRAINER: 'false',
      LUNEO_RATE_LIMIT_PER_MINUTE: '1000000',
    })
    const stream = { ...stores, KAFKA_BROKERS: brokers, LUNEO_KAFKA_SESSION_TIMEOUT_MS: '6000' }
    workers.push(spawnLuneo(['ingest', 'relay'], stream), spawnLuneo(['ingest', 'sink'], stream))
    const auth = await signupWithKey(port, 'load@example.com', ['admin'])
    const agentId = (await api(port, '/agents', { name: 'bot' }, auth)).json.id as string

    const statuses = new Map<number, number>()
    const ids: string[] = []
    const failures: string[] = []
    let stop = false
    const client = async () => {
      while (!stop) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/api/v1/conversations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth },
            body: JSON.stringify({ agentId, channel: 'api' }),
          })
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
          const body = (await r.json()) as { id?: string }
          if (r.status === 201) ids.push(body.id!)
        } catch (err) {
          failures.push(String(err))
        }
      }
    }
    const until = async (n: number, what: string) => {
      const deadline = Date.now() + 60_000
      while (ids.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    const load = Array.from({ length: 6 }, client)
    await until(150, '150 writes before the restart')
    const t1 = Date.now()
    const before = ids.length
    // While the broker is down the relay cannot publish: the outbox holds the writes back.
    let restarted = false
    let heldBack = 0
    const restart = run(kafkaScript, ['restart'], { env: kafkaEnv }).finally(() => (restarted = true))
    while (!restarted) {
      const r = await sql<{
        n: number
      }>`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`.execute(pg.db)
      heldBack = Math.max(heldBack, r.rows[0]!.n)
      await Promise.race([restart, new Promise((r) => setTimeout(r, 100))])
    }
    await restart
    const restartMs = Date.now() - t1
    const during = ids.length - before
    await until(ids.length + 150, '150 writes after the restart')
    stop = true
    await Promise.all(load)

    expect(failures).toEqual([])
    expect([...statuses.keys()]).toEqual([201])
    expect(during).toBeGreaterThan(0)
    expect(heldBack).toBeGreaterThan(0)

    const org = (
      await sql<{
        id: string
      }>`SELECT organization_id::text AS id FROM conversations WHERE id = ${ids[0]!}`.execute(pg.db)
    ).rows[0]!.id
    const outbox = async () =>
      (
        await sql<{ n: number; pending: number }>`
          SELECT count(*)::int AS n, count(*) FILTER (WHERE published_at IS NULL)::int AS pending
          FROM outbox WHERE organization_id = ${org}`.execute(pg.db)
      ).rows[0]!
    const inClickHouse = async () => {
      const rs = await ch.ch.query({
        query: `SELECT uniqExact(id) AS events, count() AS rows,
                  uniqExactIf(conversation_id, type = 'conversation.started') AS started
                FROM events FINAL WHERE organization_id = {org:UUID}`,
        query_params: { org },
        format: 'JSONEachRow',
      })
      return (await rs.json<{ events: number; rows: number; started: number }>())[0]!
    }
    const deadline = Date.now() + 120_000
    while ((await outbox()).pending > 0 || (await inClickHouse()).events < (await outbox()).n) {
      if (Date.now() > deadline) throw new Error('timed out waiting for ClickHouse to catch up')
      await new Promise((r) => setTimeout(r, 100))
    }
    const committed = await outbox()
    const got = await inClickHouse()
    expect(got).toEqual({ events: committed.n, rows: committed.n, started: ids.length })

    for (const w of workers) w.proc.kill('SIGTERM')
    for (const w of workers) expect((await w.exited).code).toBe(0)
    server.kill('SIGTERM')
    await exited(server)
    expect(server.exitCode).toBe(0)
    server = null
    console.log(
      `broker restart under load (server mode): ${ids.length} writes (${during} during the ${restartMs} ms ` +
        `restart, up to ${heldBack} held in the outbox), statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${committed.n} events in ` +
        `ClickHouse once each; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    )
  })
})
