// Fault (a): the sink process is SIGKILLed in the middle of a batch, ten times during a 20k-event
// run. The sink runs as a child (`node --import tsx bin/luneo.ts ingest sink`) with its own chDB
// data dir; this process runs the relay and reads ClickHouse only after the last child exited
// (one process owns a chDB dir at a time).
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClickHouse, type PostgresHandle } from '@luneo/warehouse'
import { openTestPostgres, tempDir } from '@luneo/warehouse/testing'
import type { KafkaHandle } from '../kafka/kafka.js'
import { createKafkaPublisher } from '../relay/kafka-publisher.js'
import { OutboxRelay } from '../relay/outbox-relay.js'
import { spawnLuneo, type LuneoChild } from './child.js'
import {
  batchRanges,
  brokers,
  expectExactlyOnce,
  freshTopic,
  openTestKafka,
  seedOutbox,
  waitFor,
  warnIfNoBroker,
} from './harness.js'

warnIfNoBroker('sink-sigkill.int.test')

const batchLine = /^sink-batch /

/** Messages written to ClickHouse more than once: a batch redelivered after a kill. */
function redelivered(ranges: [number, number, number][]): number {
  const seen = new Map<number, number>()
  let again = 0
  for (const [p, first, last] of ranges) {
    const upTo = seen.get(p) ?? -1
    if (first <= upTo) again += Math.min(upTo, last) - first + 1
    seen.set(p, Math.max(upTo, last))
  }
  return again
}

/**
 * Resolves on the line of the child's `n`th batch (written, and the child paused before its
 * commit), so an even kill lands in that pause; or once the child has exited.
 */
async function afterBatches(child: LuneoChild, n: number): Promise<void> {
  const deadline = Date.now() + 60_000
  try {
    for (let k = 0, from = 0; k < n; k++)
      from = (await child.nextLine(batchLine, deadline - Date.now(), from)).index + 1
  } catch (err) {
    if (child.proc.exitCode === null && child.proc.signalCode === null) throw err
  }
}

describe.skipIf(!brokers)('(a) sink SIGKILLed mid-batch', () => {
  const dir = tempDir('luneo-sigkill-')
  let pg: PostgresHandle
  let kafka: KafkaHandle

  beforeAll(async () => {
    pg = await openTestPostgres()
    kafka = openTestKafka('sigkill')
  })
  afterAll(async () => {
    await kafka?.close()
    await pg?.close()
    dir.remove()
  })

  it('ten kills during a 20k-event run lose nothing and double nothing', { timeout: 240_000 }, async () => {
    const t0 = Date.now()
    const topic = await freshTopic(kafka, 'sigkill')
    const groupId = `sink-${topic}`
    const { organizations } = await seedOutbox(pg.db, {
      total: 20_000,
      organizations: 3,
      conversationsPerOrg: 40,
    })
    const producer = await kafka.producer()
    const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic), {
      batchSize: 500,
      idleMs: 20,
    })
    relay.start()
    const env = {
      KAFKA_BROKERS: brokers!,
      LUNEO_DATA_DIR: dir.path,
      LUNEO_EVENTS_TOPIC: topic,
      LUNEO_SINK_GROUP: groupId,
      LUNEO_KAFKA_SESSION_TIMEOUT_MS: '6000',
      // ~16 KiB ≈ 35 events per batch: many batches, so every kill lands inside one.
      LUNEO_SINK_MAX_BYTES: '16384',
      LUNEO_SINK_TRACE: '1',
      // Each batch waits 15 ms between its ClickHouse insert and its offset commit: the window in
      // which a kill forces redelivery of rows ClickHouse already has.
      LUNEO_FAULT_PAUSE_AFTER_WRITE_MS: '15',
    }
    // Every child's batches, in the order they were written (one child runs at a time).
    const ranges: [number, number, number][] = []
    let written = 0
    for (let kill = 0; kill < 10; kill++) {
      const child = spawnLuneo(['ingest', 'sink'], env, 'sink child')
      await afterBatches(child, 3 + ((kill * 7) % 9))
      // Even kills: right after a batch reached ClickHouse, before its commit. Odd kills: at a
      // random moment of the next batches (decode, insert or commit).
      if (kill % 2 === 1) await new Promise((r) => setTimeout(r, Math.random() * 150))
      await child.kill()
      const batches = batchRanges(child.lines)
      ranges.push(...batches)
      written += batches.length
    }
    const last = spawnLuneo(['ingest', 'sink'], env, 'sink child')
    await waitFor(async () => (await relay.backlog()) === 0, 120_000, 'relay done')
    await waitFor(
      async () => (await kafka.admin.consumerLag(groupId, topic)) === 0,
      120_000,
      'sink caught up',
    )
    last.proc.kill('SIGTERM')
    expect((await last.exited).code).toBe(0)
    await relay.stop()
    const lastBatches = batchRanges(last.lines)
    ranges.push(...lastBatches)
    console.log(
      `(a) 10 SIGKILLs: ${written} batches before the kills, ${lastBatches.length} after, ` +
        `${redelivered(ranges)} messages written twice by the sink; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    )
    // At least the even kills hit the insert→commit window: their batches came back.
    expect(redelivered(ranges)).toBeGreaterThan(0)

    const ch = await openClickHouse({ dataDir: join(dir.path, 'clickhouse') })
    try {
      const counts = await expectExactlyOnce(pg.db, ch.ch, organizations)
      expect(Object.values(counts).reduce((n, c) => n + c.outbox, 0)).toBe(20_000)
    } finally {
      await ch.close()
    }
  })
})
