// The Kafka sink tells a bad row from a bad day (ADR 0014), on the real broker and chDB. The
// retry class (ClickHouse refusing writes with TOO_MANY_PARTS) is fault (d) in faults.int.test.ts.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { outboxBacklog } from '../drain/outbox-drainer.js'
import type { KafkaHandle, KafkaProducer } from '../kafka/kafka.js'
import { createKafkaPublisher } from '../relay/kafka-publisher.js'
import { createClickHouseSink } from '../sink/clickhouse-sink.js'
import { createDeadLetterWriter } from '../sink/dead-letters.js'
import { replayEvents } from '../sink/replay.js'
import { OutboxRelay } from '../relay/outbox-relay.js'
import {
  brokers,
  deadLetterRecords,
  freshTopic,
  openOwnStores,
  openTestKafka,
  readTopic,
  refuseEvent,
  seedOutbox,
  uniqueEvents,
  waitFor,
  warnIfNoBroker,
  type OwnStores,
} from './harness.js'
import { startPipeline } from './pipeline.js'

warnIfNoBroker('sink-error-classes.int.test')
const root = fileURLToPath(new URL('../../../', import.meta.url))
const run = promisify(execFile)

describe.skipIf(!brokers)('Kafka sink error classes', { timeout: 180_000 }, () => {
  let kafka: KafkaHandle
  let producer: KafkaProducer
  let own: OwnStores | null = null

  beforeAll(async () => {
    kafka = openTestKafka('sink-errors')
    producer = await kafka.producer()
  })
  afterEach(async () => {
    await own?.close()
    own = null
  })
  afterAll(async () => {
    await kafka?.close()
  })

  it('dead letter: the row ClickHouse rejects goes to the DLQ with its reason; the partition moves on', async () => {
    own = await openOwnStores('sink-dlq')
    const s = own
    const topic = await freshTopic(kafka, 'sink-dlq')
    const { organizations, events } = await seedOutbox(s.pg.db, { total: 2000, organizations: 2 })
    const poison = events[700]!
    await refuseEvent(s.ch.ch, poison.correlationId)
    const pipe = await startPipeline({ db: s.pg.db, ch: s.ch.ch, kafka, producer, topic })
    await waitFor(async () => (await uniqueEvents(s.ch.ch, organizations)) >= 1999, 60_000, 'valid events')
    await waitFor(async () => (await kafka.admin.consumerLag(`sink-${topic}`, topic)) === 0, 30_000, 'lag 0')
    await pipe.stop()
    expect(pipe.errors).toEqual([])
    expect(pipe.sink.metrics().deadLettered).toBe(1)
    expect(await uniqueEvents(s.ch.ch, organizations)).toBe(1999)
    const dlq = await readTopic(kafka, `${topic}.dlq`, 1)
    expect(dlq.map((m) => m.headers['luneo-dlq-reason'])).toEqual(['store_rejected'])
    expect(JSON.parse(dlq[0]!.value!.toString())).toMatchObject({ id: poison.id })
    const rows = await deadLetterRecords(s.ch.ch, topic)
    expect(rows.map((r) => [r.reason, r.event_id])).toEqual([['store_rejected', poison.id]])
    expect(rows[0]!.detail).toMatch(/^VIOLATED_CONSTRAINT \(469\): Constraint `refuse_one`/)
  })

  it('crash: the events table is missing: the sink stops, commits nothing, and says why', async () => {
    own = await openOwnStores('sink-crash')
    const s = own
    const topic = await freshTopic(kafka, 'sink-crash')
    await seedOutbox(s.pg.db, { total: 500, organizations: 1 })
    await s.ch.ch.command({ query: 'DROP TABLE events' })
    const pipe = await startPipeline({ db: s.pg.db, ch: s.ch.ch, kafka, producer, topic })
    const err = await pipe.sink.crashed
    // The relay goes on; once all 500 are on the topic, a lag of 500 means nothing was committed.
    await waitFor(async () => (await outboxBacklog(s.pg.db)) === 0, 60_000, 'relay done')
    await pipe.stop()
    expect(err.message).toMatch(/^UNKNOWN_TABLE \(60\): /)
    const m = pipe.sink.metrics()
    expect([m.batches, m.writeRetries, m.deadLettered]).toEqual([0, 0, 0])
    expect(await kafka.admin.consumerLag(`sink-${topic}`, topic)).toBe(500)
    // A replay through the same sink fails with the reason instead of waiting for `done` forever.
    const dlq = createDeadLetterWriter(s.ch.ch, producer, `${topic}.dlq`)
    await expect(
      replayEvents(kafka, createClickHouseSink(s.ch.ch), dlq, { from: new Date(0), topic }),
    ).rejects.toThrow(/^UNKNOWN_TABLE \(60\)/)
  })

  it('crash, as a process: `luneo ingest sink` exits 1 with the reason', { timeout: 120_000 }, async () => {
    own = await openOwnStores('sink-exit')
    const s = own
    const topic = await freshTopic(kafka, 'sink-exit')
    await seedOutbox(s.pg.db, { total: 300, organizations: 1 })
    await new OutboxRelay(s.pg.db, createKafkaPublisher(producer, topic)).drainAll()
    await s.ch.ch.command({ query: 'DROP TABLE events' })
    // One process owns a chDB dir: hand it to the child.
    await s.ch.close()
    const env = {
      ...process.env,
      KAFKA_BROKERS: brokers!,
      LUNEO_DATA_DIR: s.dataDir,
      LUNEO_EVENTS_TOPIC: topic,
      LUNEO_SINK_GROUP: `sink-${topic}`,
      LUNEO_KAFKA_SESSION_TIMEOUT_MS: '6000',
    }
    const exit = await run(process.execPath, ['--import', 'tsx', 'bin/luneo.ts', 'ingest', 'sink'], {
      cwd: root,
      env,
      timeout: 100_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    )
    expect(exit.code, exit.stderr).toBe(1)
    expect(exit.stderr).toContain('sink: stopped for good: UNKNOWN_TABLE (60): ')
    expect(await kafka.admin.consumerLag(`sink-${topic}`, topic)).toBe(300)
  })
})
