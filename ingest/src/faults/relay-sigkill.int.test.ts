// The relay process SIGKILLed between publish and mark, ten times during one run. The relay runs
// as `luneo ingest relay` (a child, on a PostgreSQL server database: the relay needs one) and
// announces each batch once Kafka acknowledged it and before it marks the rows
// (LUNEO_RELAY_TRACE); at the batch the test picked it then stays in that window
// (LUNEO_FAULT_HOLD_AFTER_PUBLISH): the test kills it on that line and checks the batch really is on Kafka and still unmarked. The sink runs in this
// process on chDB. The next relay re-sends the batch; ClickHouse must still count each event once.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  migrateClickHouse,
  openClickHouse,
  type ClickHouseHandle,
  type PostgresHandle,
} from '@luneo/warehouse'
import { openServerTestPostgres, tempDir } from '@luneo/warehouse/testing'
import type { KafkaHandle, KafkaProducer } from '../kafka/kafka.js'
import { spawnLuneo } from './child.js'
import {
  brokers,
  expectExactlyOnce,
  freshTopic,
  openTestKafka,
  seedOutbox,
  uniqueEvents,
  waitFor,
} from './harness.js'
import { startPipeline } from './pipeline.js'

const serverUrl = process.env.LUNEO_TEST_DATABASE_URL || process.env.DATABASE_URL
if (!brokers || !serverUrl)
  console.warn('relay-sigkill.int.test: needs KAFKA_BROKERS and a PostgreSQL server (DATABASE_URL), skipping')

describe.skipIf(!brokers || !serverUrl)('relay SIGKILLed between publish and mark', () => {
  let pg: PostgresHandle & { url: string }
  const dir = tempDir('luneo-relay-kill-')
  let ch: ClickHouseHandle
  let kafka: KafkaHandle
  let producer: KafkaProducer

  beforeAll(async () => {
    pg = await openServerTestPostgres(serverUrl!)
    ch = await openClickHouse({ dataDir: dir.path })
    await migrateClickHouse(ch.ch)
    kafka = openTestKafka('relay-kill')
    producer = await kafka.producer()
  })
  afterAll(async () => {
    await kafka?.close()
    await ch?.close()
    await pg?.close()
    dir.remove()
  })

  it('ten kills during a 6k-event run: every event once in ClickHouse', { timeout: 240_000 }, async () => {
    const t0 = Date.now()
    const topic = await freshTopic(kafka, 'relay-kill')
    const total = 6_000
    const { organizations } = await seedOutbox(pg.db, { total, organizations: 3, conversationsPerOrg: 30 })
    const pipe = await startPipeline({ db: pg.db, ch: ch.ch, kafka, producer, topic, startRelay: false })
    const env = {
      DATABASE_URL: pg.url,
      KAFKA_BROKERS: brokers!,
      LUNEO_EVENTS_TOPIC: topic,
      LUNEO_RELAY_BATCH: '200',
      LUNEO_RELAY_TRACE: '1',
    }
    const unmarked = async (ids: string[]) => {
      const r = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM outbox WHERE id IN (${sql.join(ids)}) AND published_at IS NULL`.execute(
        pg.db,
      )
      return r.rows[0]!.n
    }
    let resent = 0
    const lives: number[] = []
    for (let kill = 0; kill < 10; kill++) {
      const born = Date.now()
      // Lives die at their 1st to 3rd batch, so the run moves; the earlier batches are marked.
      const nth = 1 + (kill % 3)
      const relay = spawnLuneo(['ingest', 'relay'], { ...env, LUNEO_FAULT_HOLD_AFTER_PUBLISH: String(nth) })
      let from = 0
      let hit: { line: string; index: number } | null = null
      for (let b = 0; b < nth; b++) {
        hit = await relay.nextLine(/^relay-published /, 60_000, from)
        from = hit.index + 1
      }
      await relay.kill()
      lives.push(Date.now() - born)
      expect((await relay.exited).signal).toBe('SIGKILL')
      const m = /n=(\d+) first=(\S+) last=(\S+)/.exec(hit!.line)!
      expect(await unmarked([m[2]!, m[3]!])).toBe(2)
      resent += Number(m[1])
    }
    const last = spawnLuneo(['ingest', 'relay'], env)
    await waitFor(async () => (await pipe.relay.backlog()) === 0, 120_000, 'outbox relayed')
    last.proc.kill('SIGTERM')
    expect((await last.exited).code).toBe(0)
    await waitFor(
      async () => (await uniqueEvents(ch.ch, organizations)) >= total,
      120_000,
      'every event in ClickHouse',
    )
    await waitFor(async () => (await kafka.admin.consumerLag(`sink-${topic}`, topic)) === 0, 60_000, 'lag 0')
    await pipe.stop()
    // The topic carries each killed batch twice: copies the sink had to drop by event id.
    const ends = await kafka.admin.endOffsets(topic)
    expect(ends.reduce((n, p) => n + Number(p.offset), 0)).toBe(total + resent)
    const counts = await expectExactlyOnce(pg.db, ch.ch, organizations)
    expect(Object.values(counts).reduce((n, c) => n + c.outbox, 0)).toBe(total)
    console.log(
      `relay SIGKILL ×10 between publish and mark: ${resent} events re-sent, counted once; ` +
        `lives ${lives.join('/')} ms; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    )
  })
})
