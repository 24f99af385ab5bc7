// The relay against a real broker and a real Postgres (PGlite here; the PostgreSQL server in
// make test's second pass, where the concurrent relays really contend for rows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestPostgres } from '@luneo/warehouse/testing'
import type { PostgresHandle } from '@luneo/warehouse'
import { outboxBacklog } from '../drain/outbox-drainer.js'
import type { KafkaHandle, KafkaProducer } from '../kafka/kafka.js'
import { partitionKey } from '../events/envelope.js'
import {
  brokers,
  freshTopic,
  openTestKafka,
  parseEvent,
  readTopic,
  seedOutbox,
  warnIfNoBroker,
} from '../faults/harness.js'
import { createKafkaPublisher } from './kafka-publisher.js'
import { OutboxRelay } from './outbox-relay.js'
import { outboxRow } from '../outbox/writer.js'
import { generateEvents } from '../testing.js'
import { waitFor } from '../faults/harness.js'

warnIfNoBroker('outbox-relay.int.test')

describe.skipIf(!brokers)('outbox relay', () => {
  let pg: PostgresHandle & { label: string }
  let kafka: KafkaHandle
  let producer: KafkaProducer

  beforeAll(async () => {
    pg = await openTestPostgres()
    kafka = openTestKafka('relay-int')
    producer = await kafka.producer()
  })
  afterAll(async () => {
    await kafka?.close()
    await pg?.close()
  })

  it('publishes in seq order, keyed by conversation, and marks rows sent', async () => {
    const topic = await freshTopic(kafka, 'relay')
    const { events } = await seedOutbox(pg.db, { total: 1200, organizations: 2, conversationsPerOrg: 10 })
    const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic), { batchSize: 250 })
    expect(await relay.backlog()).toBe(1200)
    expect(await relay.drainAll()).toBe(1200)
    expect(await outboxBacklog(pg.db)).toBe(0)
    const m = relay.metrics()
    expect(m.published).toBe(1200)
    expect(m.publishMs.count).toBe(m.batches)
    expect(m.publishMs.p99).toBeGreaterThan(0)

    const got = await readTopic(kafka, topic, 1200)
    expect(got).toHaveLength(1200)
    const byKey = new Map<string, string[]>()
    for (const msg of got) {
      const e = parseEvent(msg)
      expect(msg.key).toBe(partitionKey(e))
      byKey.set(msg.key!, [...(byKey.get(msg.key!) ?? []), e.id])
    }
    for (const [key, ids] of byKey) {
      const want = events.filter((e) => partitionKey(e) === key).map((e) => e.id)
      expect(ids).toEqual(want)
    }
  })

  it('several relays at once never send a row twice and keep per-conversation order', async () => {
    const topic = await freshTopic(kafka, 'relays')
    const { events } = await seedOutbox(pg.db, { total: 3000, organizations: 3, conversationsPerOrg: 20 })
    const publisher = createKafkaPublisher(producer, topic)
    // Four slots per claim: the relays must share the 16 slots rather than one taking all.
    const relays = [1, 2, 3].map(
      () => new OutboxRelay(pg.db, publisher, { batchSize: 100, slotsPerClaim: 4, idleMs: 10 }),
    )
    const moved = await Promise.all(relays.map((r) => r.drainAll()))
    // A relay that found every slot busy stops early: sweep what is left with one more pass.
    const rest = await relays[0]!.drainAll()
    expect(moved.reduce((a, b) => a + b, 0) + rest).toBe(3000)
    expect(await outboxBacklog(pg.db)).toBe(0)

    const got = await readTopic(kafka, topic, 3000)
    const ids = got.map((m) => parseEvent(m).id)
    expect(new Set(ids).size).toBe(3000)
    expect(ids).toHaveLength(3000)
    const byKey = new Map<string, string[]>()
    for (const msg of got) byKey.set(msg.key!, [...(byKey.get(msg.key!) ?? []), parseEvent(msg).id])
    for (const [key, seen] of byKey) {
      expect(seen).toEqual(events.filter((e) => partitionKey(e) === key).map((e) => e.id))
    }
    if (pg.label === 'postgres') expect(moved.filter((n) => n > 0).length).toBeGreaterThan(1)
  })

  it('two claims in flight in one relay: every row once, per-conversation order kept', async () => {
    const topic = await freshTopic(kafka, 'relay-claims')
    await pg.db.deleteFrom('outbox').execute()
    const { events } = await seedOutbox(pg.db, { total: 2000, organizations: 2, conversationsPerOrg: 20 })
    const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic), { batchSize: 100, claims: 2 })
    expect(await relay.drainAll()).toBe(2000)
    expect(await outboxBacklog(pg.db)).toBe(0)
    const got = await readTopic(kafka, topic, 2000)
    const ids = got.map((m) => parseEvent(m).id)
    expect(new Set(ids).size).toBe(2000)
    const byKey = new Map<string, string[]>()
    for (const msg of got) byKey.set(msg.key!, [...(byKey.get(msg.key!) ?? []), parseEvent(msg).id])
    for (const [key, seen] of byKey) {
      expect(seen).toEqual(events.filter((e) => partitionKey(e) === key).map((e) => e.id))
    }
  })

  // The relay sends each row's envelope text as Postgres keeps it, keyed by its partition_key
  // column: a row whose envelope the sink would refuse, or whose columns are not its envelope's
  // (outboxRow writes both from one envelope), stops it before anything is sent.
  describe('refuses a row written around outboxRow: nothing sent, nothing marked', () => {
    const refused = async (row: ReturnType<typeof outboxRow>, error: RegExp) => {
      const topic = await freshTopic(kafka, 'relay-refuses')
      await pg.db.deleteFrom('outbox').execute()
      await pg.db.insertInto('outbox').values(row).execute()
      const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic))
      await expect(relay.drainOnce()).rejects.toThrow(error)
      expect(await outboxBacklog(pg.db)).toBe(1)
      const ends = await kafka.admin.endOffsets(topic)
      expect(ends.reduce((n, p) => n + Number(p.offset), 0)).toBe(0)
      await pg.db.deleteFrom('outbox').execute()
    }
    const event = () => generateEvents({ total: 1, organizations: 1 }).events[0]!

    it('an envelope that fails the envelope check', async () => {
      const e = event()
      await refused(outboxRow({ ...e, occurredAt: 'yesterday' }), /occurredAt/)
    })

    it("a partition_key that is not the envelope's", async () => {
      const e = event()
      const other = partitionKey({ organizationId: e.organizationId, conversationId: null })
      await refused({ ...outboxRow(e), partition_key: other }, /columns are not its envelope's/)
    })

    it("a type that is not the envelope's", async () => {
      await refused({ ...outboxRow(event()), type: 'conversation.ended' }, /columns are not its envelope's/)
    })
  })

  it('prunes published rows past the age kept once it has nothing to move', async () => {
    const topic = await freshTopic(kafka, 'relay-prune')
    await pg.db.deleteFrom('outbox').execute()
    await seedOutbox(pg.db, { total: 20, organizations: 1, conversationsPerOrg: 2 })
    const now = Date.now()
    // Published rows are marked with now(): the pruner's clock runs 8 days ahead, keeping 7.
    const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic), {
      idleMs: 10,
      prune: { keepMs: 7 * 86_400_000, everyMs: 0, now: () => new Date(now + 8 * 86_400_000) },
    })
    relay.start()
    try {
      await waitFor(
        async () => (await pg.db.selectFrom('outbox').select('seq').execute()).length === 0,
        20_000,
        'the relay to publish then prune',
      )
    } finally {
      await relay.stop()
    }
    expect(relay.published).toBe(20)
    expect((await readTopic(kafka, topic, 20)).length).toBe(20)
  })
})
