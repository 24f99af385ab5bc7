// Runs against the real broker in KAFKA_BROKERS (started by `infra/services.sh up kafka`).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kafkaClients, openKafka, parseBrokers, type KafkaHandle, type ReceivedMessage } from './kafka.js'
import { DLQ_RETENTION_MS, EVENTS_RETENTION_MS, ensureEventTopics } from './topics.js'

const brokers = process.env.KAFKA_BROKERS
if (!brokers)
  console.warn('kafka.int.test: KAFKA_BROKERS unset, skipping (start one with infra/services.sh up kafka)')

/** Resolves when `done()` is true, polling every 50 ms; fails after `ms`. */
async function waitFor(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function deferred<T = void>() {
  let resolve!: (v: T) => void
  let reject!: (e: Error) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

// Every client behind the seam passes the same tests (LUNEO_KAFKA_CLIENT picks one per process).
describe.skipIf(!brokers).each(kafkaClients)('kafka seam (%s) against a real broker', (client) => {
  let kafka: KafkaHandle
  const run = `${client.slice(0, 4)}-${randomUUID().slice(0, 8)}`

  beforeAll(() => {
    // 'nothing': kafkajs logs retriable states (coordinator loading) and the simulated crash
    // below at ERROR; real failures still reach the tests as thrown errors.
    kafka = openKafka({
      brokers: parseBrokers(brokers ?? ''),
      clientId: `kafka-int-${run}`,
      logLevel: 'nothing',
      client,
    })
  })
  afterAll(async () => {
    await kafka?.close()
  })

  it('creates the event topics with explicit retention, and sets it back when changed', async () => {
    const topic = `kafka-int-retention-${run}`
    expect(await ensureEventTopics(kafka, topic, 2)).toEqual({
      eventsRetentionMs: EVENTS_RETENTION_MS,
      dlqRetentionMs: DLQ_RETENTION_MS,
    })
    // The broker says so (not only our return value): 7 days and 30 days.
    expect(await kafka.admin.topicRetentionMs(topic)).toBe(604_800_000)
    expect(await kafka.admin.topicRetentionMs(`${topic}.dlq`)).toBe(2_592_000_000)
    // An operator (or an older version of this code) changed it: the next start puts it back.
    expect(await kafka.admin.ensureRetention(topic, 3_600_000)).toBe(3_600_000)
    expect(await ensureEventTopics(kafka, topic, 2)).toMatchObject({ eventsRetentionMs: EVENTS_RETENTION_MS })
    expect(await kafka.admin.topicRetentionMs(topic)).toBe(EVENTS_RETENTION_MS)
  })

  it('delivers 1,000 keyed messages exactly once to a group, in order per key', async () => {
    const topic = `kafka-int-order-${run}`
    const groupId = `g-order-${run}`
    expect(await kafka.admin.ensureTopic(topic, 6)).toEqual({ created: true, partitions: 6 })
    expect(await kafka.admin.ensureTopic(topic, 6)).toEqual({ created: false, partitions: 6 })

    const producer = await kafka.producer({ idempotent: true })
    const keys = 40
    const total = 1000
    for (let i = 0; i < total; i += 100) {
      const messages = Array.from({ length: 100 }, (_, j) => {
        const n = i + j
        return {
          key: `k${n % keys}`,
          value: JSON.stringify({ n, seq: Math.floor(n / keys) }),
          headers: { 'x-run': run },
        }
      })
      await producer.send(topic, messages)
    }
    await producer.disconnect()

    const received: ReceivedMessage[] = []
    const consumer = await kafka.consumer({ groupId })
    await consumer.subscribe([topic])
    await consumer.runBatches(async (batch) => {
      received.push(...batch.messages)
    })
    await waitFor(() => received.length >= total, 30_000, `${total} messages`)
    // stop() waits for the batch in flight, including its commit.
    await consumer.stop()

    expect(received).toHaveLength(total)
    const ns = received.map((m) => (JSON.parse(m.value!.toString()) as { n: number }).n)
    expect(new Set(ns).size).toBe(total)
    const lastSeq = new Map<string, number>()
    const partitionOfKey = new Map<string, number>()
    for (const m of received) {
      const key = m.key!
      const { seq } = JSON.parse(m.value!.toString()) as { seq: number }
      expect(seq).toBeGreaterThan(lastSeq.get(key) ?? -1)
      lastSeq.set(key, seq)
      expect(partitionOfKey.get(key) ?? m.partition).toBe(m.partition)
      partitionOfKey.set(key, m.partition)
      expect(m.headers['x-run']).toBe(run)
    }
    expect(new Set(partitionOfKey.values()).size).toBeGreaterThan(1)
    expect(await kafka.admin.consumerLag(groupId, topic)).toBe(0)
  })

  it('redelivers a batch whose handler did not finish when the consumer restarts', async () => {
    const topic = `kafka-int-redeliver-${run}`
    const groupId = `g-redeliver-${run}`
    await kafka.admin.ensureTopic(topic, 1)
    const producer = await kafka.producer()
    // Ten sends → ten record batches, so a small fetch size yields several handler batches.
    for (let i = 0; i < 200; i += 20) {
      await producer.send(
        topic,
        Array.from({ length: 20 }, (_, j) => ({ key: 'one', value: String(i + j) })),
      )
    }
    await producer.disconnect()

    // First consumer: commits batch 1, then "crashes" inside batch 2 (stopped, handler throws).
    const first: string[][] = []
    const inSecond = deferred()
    const release = deferred()
    const a = await kafka.consumer({ groupId, maxBytesPerPartition: 1024 })
    await a.subscribe([topic])
    await a.runBatches(async (batch) => {
      first.push(batch.messages.map((m) => m.offset))
      if (first.length === 2) {
        inSecond.resolve()
        await release.promise
      }
    })
    await inSecond.promise
    const stopping = a.stop()
    release.reject(new Error('simulated crash in the middle of batch 2'))
    await stopping

    const [committedBatch, lostBatch] = first
    expect(committedBatch!.length).toBeGreaterThan(0)
    expect(committedBatch!.length).toBeLessThan(200)
    expect(await kafka.admin.consumerLag(groupId, topic)).toBe(200 - committedBatch!.length)

    // Restarted consumer in the same group: resumes exactly after batch 1, so batch 2 comes again.
    const second: ReceivedMessage[] = []
    const b = await kafka.consumer({ groupId })
    await b.subscribe([topic])
    await b.runBatches(async (batch) => {
      second.push(...batch.messages)
    })
    await waitFor(() => second.length >= 200 - committedBatch!.length, 30_000, 'redelivery')
    await b.stop()

    const offsets = second.map((m) => m.offset)
    expect(offsets[0]).toBe(lostBatch![0])
    expect(offsets.slice(0, lostBatch!.length)).toEqual(lostBatch)
    expect(offsets).toHaveLength(200 - committedBatch!.length)
    expect(offsets.some((o) => committedBatch!.includes(o))).toBe(false)
    expect(await kafka.admin.consumerLag(groupId, topic)).toBe(0)
  })
})

describe.skipIf(!brokers)('switching the Kafka client', () => {
  it('keeps every key on its partition, and each client reads what the other wrote', async () => {
    const run = randomUUID().slice(0, 8)
    const open = (client: (typeof kafkaClients)[number]) =>
      openKafka({
        brokers: parseBrokers(brokers ?? ''),
        clientId: `switch-${run}`,
        logLevel: 'nothing',
        client,
      })
    const [a, b] = [open('kafkajs'), open('platformatic')]
    try {
      const topic = `kafka-int-switch-${run}`
      await a.admin.ensureTopic(topic, 6)
      const keys = Array.from({ length: 60 }, (_, i) => `org-${i}:conversation-${i * 7}`)
      for (const [name, k] of [
        ['kafkajs', a],
        ['platformatic', b],
      ] as const) {
        const producer = await k.producer()
        await producer.send(
          topic,
          keys.map((key) => ({ key, value: name })),
        )
        await producer.disconnect()
      }
      const partitionsSeenBy = async (k: KafkaHandle) => {
        const got: ReceivedMessage[] = []
        const consumer = await k.consumer({ groupId: `g-switch-${run}-${randomUUID().slice(0, 8)}` })
        await consumer.subscribe([topic])
        await consumer.runBatches(async (batch) => {
          got.push(...batch.messages)
        })
        await waitFor(() => got.length >= 2 * keys.length, 30_000, 'both producers’ messages')
        await consumer.stop()
        return got
      }
      for (const got of [await partitionsSeenBy(a), await partitionsSeenBy(b)]) {
        expect(got).toHaveLength(2 * keys.length)
        const by = (writer: string) =>
          new Map(got.filter((m) => m.value!.toString() === writer).map((m) => [m.key, m.partition]))
        const fromKafkajs = by('kafkajs')
        expect(fromKafkajs.size).toBe(keys.length)
        expect(by('platformatic')).toEqual(fromKafkajs)
        expect(new Set(fromKafkajs.values()).size).toBeGreaterThan(1)
      }
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })
})
