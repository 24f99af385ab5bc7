// A refresh's wait in server mode (issue 12): outbox → relay → Kafka → sink → ClickHouse, on a real
// broker, PGlite and chDB. The sink is started only when the waiter, done with the outbox, reads
// the topic's end offsets: so nothing is in ClickHouse before the stream stage begins, and a wait
// that returned without the sink's commits would find the owed events missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KafkaHandle, KafkaProducer } from '../kafka/kafka.js'
import {
  brokers,
  freshTopic,
  openOwnStores,
  openTestKafka,
  seedOutbox,
  warnIfNoBroker,
  type OwnStores,
} from '../faults/harness.js'
import { createKafkaPublisher } from '../relay/kafka-publisher.js'
import { OutboxRelay } from '../relay/outbox-relay.js'
import { createClickHouseSink } from '../sink/clickhouse-sink.js'
import { createDeadLetterWriter } from '../sink/dead-letters.js'
import { KafkaSink } from '../sink/kafka-sink.js'
import { kafkaStreamProgress, outboxMark, waitForCoverage, type StreamProgress } from './coverage.js'

warnIfNoBroker('coverage.int.test')

describe.skipIf(!brokers)('refresh coverage through the Kafka relay and sink', () => {
  let stores: OwnStores
  let kafka: KafkaHandle
  let producer: KafkaProducer
  const running: { stop(): Promise<void> }[] = []

  beforeAll(async () => {
    stores = await openOwnStores('coverage')
    kafka = openTestKafka('coverage-int')
    producer = await kafka.producer()
  })
  afterAll(async () => {
    for (const r of running) await r.stop()
    await kafka?.close()
    await stores?.close()
  })

  const wire = (topic: string) => {
    const relay = new OutboxRelay(stores.pg.db, createKafkaPublisher(producer, topic), {
      batchSize: 200,
      idleMs: 20,
    })
    const groupId = `sink-${topic}`
    const sink = new KafkaSink(
      kafka,
      createClickHouseSink(stores.ch.ch),
      createDeadLetterWriter(stores.ch.ch, producer, `${topic}.dlq`),
      {
        topic,
        groupId,
        sessionTimeoutMs: 6_000,
        maxBytesPerPartition: 64 * 1024,
      },
    )
    running.push(relay, sink)
    return { relay, sink, stream: kafkaStreamProgress(kafka.admin, topic, groupId) }
  }

  it('returns once the sink has written every event committed before the mark', async () => {
    const topic = await freshTopic(kafka, 'coverage')
    const { organizations, events } = await seedOutbox(stores.pg.db, {
      total: 600,
      organizations: 2,
      conversationsPerOrg: 10,
    })
    const org = organizations[0]!
    const mark = await outboxMark(stores.pg.db)
    await seedOutbox(stores.pg.db, { total: 100, organizations: 1 }) // after the mark: not owed
    const { relay, sink, stream } = wire(topic)
    let sinkStarted = false
    const startingSink: StreamProgress = {
      ...stream,
      endOffsets: async () => {
        const ends = await stream.endOffsets()
        if (!sinkStarted) await sink.start()
        sinkStarted = true
        return ends
      },
    }
    const coverage = await waitForCoverage(stores.pg.db, org, mark, {
      deadline: Date.now() + 90_000,
      nudge: () => {
        relay.start()
        relay.nudge()
      },
      stream: startingSink,
    })
    expect(coverage).toMatchObject({ complete: true, waitingOn: null, pendingEvents: 0 })
    expect(sinkStarted).toBe(true)
    const owed = events.filter((e) => e.organizationId === org).map((e) => e.id)
    const rs = await stores.ch.ch.query({
      query:
        'SELECT uniqExact(id) AS n FROM events WHERE organization_id = {org:UUID} AND id IN {ids:Array(UUID)}',
      query_params: { org, ids: owed },
      format: 'JSONEachRow',
    })
    expect(Number((await rs.json<{ n: number | string }>())[0]!.n)).toBe(owed.length)
  })

  it('says the stream is behind when the sink has not caught up by the deadline', async () => {
    // The first case's relay still polls the same outbox: left running, it could publish this
    // case's rows to its own topic first, leaving this topic empty (and so "caught up").
    for (const r of running.splice(0)) await r.stop()
    const topic = await freshTopic(kafka, 'coverage-late')
    const { organizations } = await seedOutbox(stores.pg.db, { total: 50, organizations: 1 })
    const mark = await outboxMark(stores.pg.db)
    const { relay, stream } = wire(topic)
    await relay.drainAll() // published to Kafka; no sink runs
    const coverage = await waitForCoverage(stores.pg.db, organizations[0]!, mark, {
      deadline: Date.now() + 1_500,
      stream,
    })
    expect(coverage).toMatchObject({ complete: false, waitingOn: 'stream', pendingEvents: 0 })
  })
})
