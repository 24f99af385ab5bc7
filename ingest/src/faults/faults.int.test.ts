// Faults on the real broker, with relay and sink in this process (chDB is embedded: the process
// that owns its data dir must do the writing and the reading). The SIGKILL and broker-restart
// faults have their own files. After each fault: ClickHouse per-organization counts equal the
// outbox, no id twice in a deduplicated read, per-conversation order kept.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  migrateClickHouse,
  openClickHouse,
  type ClickHouseHandle,
  type PostgresHandle,
} from '@luneo/warehouse'
import { openTestPostgres, tempDir } from '@luneo/warehouse/testing'
import { outboxBacklog } from '../drain/outbox-drainer.js'
import { buildEvent } from '../outbox/writer.js'
import type { KafkaHandle, KafkaProducer } from '../kafka/kafka.js'
import { createKafkaPublisher } from '../relay/kafka-publisher.js'
import { OutboxRelay } from '../relay/outbox-relay.js'
import { createClickHouseSink } from '../sink/clickhouse-sink.js'
import { createDeadLetterWriter } from '../sink/dead-letters.js'
import { replayEvents } from '../sink/replay.js'
import { generateEvents } from '../testing.js'
import {
  brokers,
  expectExactlyOnce as expectExactlyOnceIn,
  freshTopic,
  openTestKafka,
  readTopic,
  seedOutbox,
  uniqueEvents,
  waitFor,
  warnIfNoBroker,
} from './harness.js'
import { startPipeline } from './pipeline.js'

warnIfNoBroker('faults.int.test')

// Each fault runs ~15–25 s alone; under a full parallel suite on 2 cores it may take 3× that.
const slow = { timeout: 180_000 }

describe.skipIf(!brokers)('event stream faults (in-process relay and sink, real broker)', slow, () => {
  const dir = tempDir('luneo-faults-')
  let pg: PostgresHandle
  let ch: ClickHouseHandle
  let kafka: KafkaHandle
  let producer: KafkaProducer

  beforeAll(async () => {
    pg = await openTestPostgres()
    ch = await openClickHouse({ dataDir: dir.path })
    await migrateClickHouse(ch.ch)
    kafka = openTestKafka('faults')
    producer = await kafka.producer()
  })
  afterAll(async () => {
    await kafka?.close()
    await ch?.close()
    await pg?.close()
    dir.remove()
  })

  const uniqueIn = (orgs: string[]) => uniqueEvents(ch.ch, orgs)

  const expectExactlyOnce = (orgs: string[]) => expectExactlyOnceIn(pg.db, ch.ch, orgs)

  it('(b) relay killed between publish and mark: re-published, counted once', async () => {
    const topic = await freshTopic(kafka, 'relay-kill')
    const { organizations, events } = await seedOutbox(pg.db, { total: 3000, organizations: 2 })
    const pipe = await startPipeline({ db: pg.db, ch: ch.ch, kafka, producer, topic, startRelay: false })
    // Three relay "processes" die right after Kafka acknowledged their 3rd batch, before marking it.
    for (let life = 0; life < 3; life++) {
      let batches = 0
      const doomed = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic), {
        batchSize: 200,
        afterPublish: async () => {
          if (++batches === 3) throw new Error('relay killed after publish, before mark')
        },
      })
      await expect(doomed.drainAll()).rejects.toThrow('relay killed')
    }
    expect(await outboxBacklog(pg.db)).toBe(3000 - 3 * 2 * 200)
    pipe.relay.start()
    await waitFor(
      async () => (await uniqueIn(organizations)) >= events.length,
      60_000,
      'all events in ClickHouse',
    )
    await pipe.stop()
    const ends = await kafka.admin.endOffsets(topic)
    // The topic really carries the three re-sent batches: 600 copies the sink had to drop.
    expect(ends.reduce((n, p) => n + Number(p.offset), 0)).toBe(3000 + 3 * 200)
    await expectExactlyOnce(organizations)
  })

  it('(d) ClickHouse refuses writes for a while: backpressure, then catch-up', async () => {
    const topic = await freshTopic(kafka, 'ch-refuses')
    const { organizations, events } = await seedOutbox(pg.db, { total: 4000, organizations: 2 })
    const pipe = await startPipeline({ db: pg.db, ch: ch.ch, kafka, producer, topic })
    await waitFor(async () => (await uniqueIn(organizations)) > 0, 30_000, 'first events')
    // A real refusal: with parts_to_throw_insert = 1 ClickHouse answers TOO_MANY_PARTS to every insert.
    await ch.ch.command({ query: 'ALTER TABLE events MODIFY SETTING parts_to_throw_insert = 1' })
    await waitFor(() => pipe.sink.metrics().writeRetries >= 3, 30_000, 'refused writes')
    const during = await uniqueIn(organizations)
    await waitFor(async () => (await outboxBacklog(pg.db)) === 0, 60_000, 'relay done despite ClickHouse')
    // Not a sleep: wait until the sink tried (and was refused) twice more with everything published.
    const refused = pipe.sink.metrics().writeRetries
    await waitFor(() => pipe.sink.metrics().writeRetries >= refused + 2, 30_000, 'two more refused writes')
    expect(await uniqueIn(organizations)).toBe(during)
    const lag = await kafka.admin.consumerLag(`sink-${topic}`, topic)
    expect(lag).toBeGreaterThan(0)
    expect(during).toBeLessThan(events.length)
    await ch.ch.command({ query: 'ALTER TABLE events RESET SETTING parts_to_throw_insert' })
    await waitFor(async () => (await uniqueIn(organizations)) >= events.length, 60_000, 'catch-up')
    await waitFor(async () => (await kafka.admin.consumerLag(`sink-${topic}`, topic)) === 0, 30_000, 'lag 0')
    await pipe.stop()
    console.log(`(d) refused ${pipe.sink.metrics().writeRetries} writes; lag at most ${lag} while refusing`)
    await expectExactlyOnce(organizations)
  })

  it('(e) poison messages land in the DLQ topic and events_dlq; the rest flows', async () => {
    const topic = await freshTopic(kafka, 'poison')
    const { organizations, events } = await seedOutbox(pg.db, { total: 1000, organizations: 1 })
    const org = organizations[0]!
    const conv = events[0]!.conversationId
    const good = buildEvent(
      'conversation.started',
      { organizationId: org, vertical: 'ecommerce', correlationId: 'p', conversationId: conv },
      { channel: 'api', hasContact: false },
    )
    const poison = [
      { why: 'bad_json', value: '{"id": "not closed' },
      { why: 'unknown_type', value: JSON.stringify({ ...good, id: randomUUID(), type: 'order.teleported' }) },
      { why: 'unknown_version', value: JSON.stringify({ ...good, id: randomUUID(), version: 9 }) },
      {
        why: 'bad_payload',
        value: JSON.stringify({ ...good, id: randomUUID(), payload: { channel: 'fax' } }),
      },
    ]
    // Straight to the topic, on the same key as a live conversation, before the relay starts.
    await producer.send(
      topic,
      poison.map((p) => ({ key: `${org}:${conv}`, value: p.value })),
    )
    const pipe = await startPipeline({ db: pg.db, ch: ch.ch, kafka, producer, topic })
    await waitFor(async () => (await uniqueIn(organizations)) >= events.length, 60_000, 'valid events')
    await pipe.stop()
    expect(pipe.sink.metrics().deadLettered).toBe(4)

    const dlq = await readTopic(kafka, `${topic}.dlq`, 4)
    expect(dlq.map((m) => m.headers['luneo-dlq-reason']).sort()).toEqual(poison.map((p) => p.why).sort())
    expect(dlq.map((m) => m.value!.toString()).sort()).toEqual(poison.map((p) => p.value).sort())
    const rs = await ch.ch.query({
      query: 'SELECT reason, raw FROM events_dlq FINAL WHERE topic = {topic:String} ORDER BY offset',
      query_params: { topic },
      format: 'JSONEachRow',
    })
    expect(await rs.json()).toEqual(poison.map((p) => ({ reason: p.why, raw: p.value })))
    await expectExactlyOnce(organizations)
  })

  it('replay --from re-reads the topic into ClickHouse without duplicates, and rebuilds lost rows', async () => {
    const topic = await freshTopic(kafka, 'replay')
    const { organizations, events } = await seedOutbox(pg.db, { total: 2000, organizations: 2 })
    const pipe = await startPipeline({ db: pg.db, ch: ch.ch, kafka, producer, topic })
    await waitFor(async () => (await uniqueIn(organizations)) >= events.length, 60_000, 'events')
    await pipe.stop()
    const writer = createClickHouseSink(ch.ch)
    const dlq = createDeadLetterWriter(ch.ch, producer, `${topic}.dlq`)

    const again = await replayEvents(kafka, writer, dlq, { from: new Date(Date.now() - 3_600_000), topic })
    expect(again.messages).toBe(2000)
    expect(writer.insertedTotal()).toBe(0)

    // Lose one organization's rows, then rebuild them from the topic.
    await ch.ch.command({
      query: 'ALTER TABLE events DELETE WHERE organization_id = {org:UUID}',
      query_params: { org: organizations[0]! },
      clickhouse_settings: { mutations_sync: '1' },
    })
    expect(await uniqueIn([organizations[0]!])).toBe(0)
    await replayEvents(kafka, writer, dlq, { from: new Date(0), topic })
    expect(writer.insertedTotal()).toBe(events.filter((e) => e.organizationId === organizations[0]).length)

    const future = await replayEvents(kafka, writer, dlq, { from: new Date(Date.now() + 60_000), topic })
    expect(future.messages).toBe(0)
    await expectExactlyOnce(organizations)
  })

  it('typed tables follow events (materialized views), deduplicated by id', async () => {
    const { events } = generateEvents({ total: 500, organizations: 1 })
    const writer = createClickHouseSink(ch.ch)
    await writer.publish(events)
    await writer.publish(events.slice(0, 100))
    const org = events[0]!.organizationId
    const count = async (table: string) => {
      const rs = await ch.ch.query({
        query: `SELECT count() AS n FROM ${table} FINAL WHERE organization_id = {org:UUID}`,
        query_params: { org },
        format: 'JSONEachRow',
      })
      return (await rs.json<{ n: number }>())[0]!.n
    }
    const want = (type: string) => events.filter((e) => e.type === type).length
    expect(await count('messages_v1')).toBe(want('message.received'))
    expect(await count('replies_v1')).toBe(want('reply.sent'))
    expect(await count('outcomes_v1')).toBe(want('outcome.recorded'))
    expect(await count('feedback_v1')).toBe(want('feedback.submitted'))
    expect(await count('escalations_v1')).toBe(want('conversation.escalated'))
  })
})
