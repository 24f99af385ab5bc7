// ClickHouse unreachable (its process SIGKILLed, not a setting) while poison messages arrive. The
// warehouse is a process of its own (startClickHouseProcess: chDB behind ClickHouse's HTTP
// interface; no ClickHouse server binary can be installed here, see ch/server-process.ts), the
// relay and sink run here on the real broker and reach it through CLICKHOUSE_URL's path. The
// poison is the first thing the sink reads after the kill, so the write that fails for the
// whole outage is the dead-letter write itself: it must be retried, not dropped nor committed.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClickHouseHandle, PostgresHandle } from '@luneo/warehouse'
import type { ClickHouseProcess } from '@luneo/warehouse/testing'
import { outboxBacklog } from '../drain/outbox-drainer.js'
import type { KafkaHandle, KafkaProducer } from '../kafka/kafka.js'
import { buildEvent } from '../outbox/writer.js'
import {
  brokers,
  deadLetterRecords,
  expectExactlyOnce,
  freshTopic,
  openProcessStores,
  readTopic,
  seedOutbox,
  uniqueEvents,
  waitFor,
  warnIfNoBroker,
  type ProcessStores,
} from './harness.js'
import { startPipeline } from './pipeline.js'

warnIfNoBroker('clickhouse-gone.int.test')

describe.skipIf(!brokers)('ClickHouse process gone, with poison messages', () => {
  let stores: ProcessStores
  let server: ClickHouseProcess
  let ch: ClickHouseHandle
  let pg: PostgresHandle
  let kafka: KafkaHandle
  let producer: KafkaProducer

  beforeAll(async () => {
    stores = await openProcessStores('ch-gone')
    ;({ server, ch, pg, kafka } = stores)
    producer = await kafka.producer()
  })
  afterAll(async () => stores?.close())

  it(
    'poison dead-lettered once it is back, the rest converges, nothing lost or doubled',
    { timeout: 180_000 },
    async () => {
      const t0 = Date.now()
      const topic = await freshTopic(kafka, 'ch-gone')
      const first = await seedOutbox(pg.db, { total: 2000, organizations: 2 })
      const orgs = first.organizations
      const pipe = await startPipeline({ db: pg.db, ch: ch.ch, kafka, producer, topic })
      await waitFor(async () => (await uniqueEvents(ch.ch, orgs)) >= 2000, 60_000, 'the first 2,000 events')
      await waitFor(
        async () => (await kafka.admin.consumerLag(`sink-${topic}`, topic)) === 0,
        30_000,
        'lag 0',
      )

      await server.kill()
      const killedAt = Date.now()
      const org = orgs[0]!
      const conv = first.events.find((e) => e.organizationId === org)!.conversationId
      const good = buildEvent(
        'conversation.started',
        { organizationId: org, vertical: 'ecommerce', correlationId: 'p', conversationId: conv },
        { channel: 'api', hasContact: false },
      )
      const poison = [
        { why: 'bad_json', value: '{"id": "not closed' },
        {
          why: 'unknown_type',
          value: JSON.stringify({ ...good, id: randomUUID(), type: 'order.teleported' }),
        },
        { why: 'unknown_version', value: JSON.stringify({ ...good, id: randomUUID(), version: 9 }) },
        {
          why: 'bad_payload',
          value: JSON.stringify({ ...good, id: randomUUID(), payload: { channel: 'fax' } }),
        },
      ]
      await producer.send(
        topic,
        poison.map((p) => ({ key: `${org}:${conv}`, value: p.value })),
      )
      // More events while it is gone, on the same organizations (and on the poisoned conversation's key).
      const second = await seedOutbox(pg.db, { total: 2000, organizations: 2 })
      const all = [...orgs, ...second.organizations]
      const retriesAtKill = pipe.sink.metrics().writeRetries
      await waitFor(
        async () => (await outboxBacklog(pg.db)) === 0,
        60_000,
        'relay done while ClickHouse is gone',
      )
      // The dead-letter write reached the DLQ topic and then failed on ClickHouse, again and again.
      await waitFor(() => pipe.sink.metrics().writeRetries >= retriesAtKill + 5, 30_000, 'refused writes')
      const dlqDuring = await readTopic(kafka, `${topic}.dlq`, 4)
      expect(pipe.sink.metrics().deadLettered).toBe(0)
      const lag = await kafka.admin.consumerLag(`sink-${topic}`, topic)
      expect(lag).toBeGreaterThanOrEqual(2000 + poison.length)

      const outageMs = Date.now() - killedAt
      await server.start()
      await waitFor(async () => (await uniqueEvents(ch.ch, all)) >= 4000, 60_000, 'catch-up after the return')
      await waitFor(
        async () => (await kafka.admin.consumerLag(`sink-${topic}`, topic)) === 0,
        30_000,
        'lag 0',
      )
      await pipe.stop()
      expect(pipe.sink.metrics().deadLettered).toBe(poison.length)

      // events_dlq: one row per poison message (the retried writes fold on their source offset).
      const rows = await deadLetterRecords(ch.ch, topic)
      expect(rows.map((r) => r.reason).sort()).toEqual(poison.map((p) => p.why).sort())
      // The DLQ topic: each retry re-sent the letters; one source offset per poison message.
      const dlq = await readTopic(kafka, `${topic}.dlq`, dlqDuring.length)
      const sources = new Set(dlq.map((m) => m.headers['luneo-source']))
      expect(sources.size).toBe(poison.length)
      expect(new Set(dlq.map((m) => m.value!.toString()))).toEqual(new Set(poison.map((p) => p.value)))
      await expectExactlyOnce(pg.db, ch.ch, all)
      console.log(
        `ClickHouse gone for ${(outageMs / 1000).toFixed(1)} s: ${pipe.sink.metrics().writeRetries} ` +
          `writes retried, lag ${lag} at worst, ${dlq.length} DLQ topic copies of ${poison.length} letters; ` +
          `${((Date.now() - t0) / 1000).toFixed(1)} s`,
      )
    },
  )
})
