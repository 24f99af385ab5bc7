// A consumer group of three sinks (`luneo ingest sink` children, one ClickHouse process that all
// three write to through CLICKHOUSE_URL), with a member SIGKILLed and a new one added five times
// while events flow. Each kill lands on a member between a batch's insert and its offset commit;
// the batch goes to whoever gets the partition, which must not count it twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClickHouseHandle, PostgresHandle } from '@luneo/warehouse'
import type { ClickHouseProcess } from '@luneo/warehouse/testing'
import type { KafkaHandle, KafkaProducer } from '../kafka/kafka.js'
import { createKafkaPublisher } from '../relay/kafka-publisher.js'
import { OutboxRelay } from '../relay/outbox-relay.js'
import { spawnLuneo, type LuneoChild } from './child.js'
import {
  batchRanges,
  brokers,
  expectExactlyOnce,
  freshTopic,
  openProcessStores,
  seedOutbox,
  uniqueEvents,
  waitFor,
  warnIfNoBroker,
  type ProcessStores,
} from './harness.js'

warnIfNoBroker('sink-group.int.test')

const batchLine = /^sink-batch /

/** Messages that more than one batch wrote (a batch redelivered after a kill or a rebalance). */
function writtenTwice(members: LuneoChild[]): number {
  const seen = new Map<string, number>()
  for (const m of members)
    for (const [p, first, last] of batchRanges(m.lines))
      for (let o = first; o <= last; o++) seen.set(`${p}:${o}`, (seen.get(`${p}:${o}`) ?? 0) + 1)
  return [...seen.values()].filter((c) => c > 1).length
}

describe.skipIf(!brokers)('consumer group of three sinks, members killed and added', () => {
  let stores: ProcessStores
  let server: ClickHouseProcess
  let ch: ClickHouseHandle
  let pg: PostgresHandle
  let kafka: KafkaHandle
  let producer: KafkaProducer

  beforeAll(async () => {
    stores = await openProcessStores('sink-group')
    ;({ server, ch, pg, kafka } = stores)
    producer = await kafka.producer()
  })
  afterAll(async () => stores?.close())

  it('five kills and five joins: no event lost, none doubled', { timeout: 240_000 }, async () => {
    const t0 = Date.now()
    const topic = await freshTopic(kafka, 'sink-group')
    const groupId = `sink-${topic}`
    const orgs: string[] = []
    let seeded = 0
    const seed = async (total: number) => {
      const s = await seedOutbox(pg.db, { total, organizations: 2, conversationsPerOrg: 30 })
      orgs.push(...s.organizations)
      seeded += total
      relay.nudge()
    }
    const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic), {
      batchSize: 200,
      idleMs: 20,
    })
    relay.start()
    const env = {
      KAFKA_BROKERS: brokers!,
      CLICKHOUSE_URL: server.url,
      LUNEO_EVENTS_TOPIC: topic,
      LUNEO_SINK_GROUP: groupId,
      LUNEO_KAFKA_SESSION_TIMEOUT_MS: '6000',
      // ~32 KiB ≈ 70 events per batch: many batches, so a kill lands between some of them.
      LUNEO_SINK_MAX_BYTES: '32768',
      LUNEO_SINK_TRACE: '1',
      // The window between a batch's insert and its offset commit, where the kills land.
      LUNEO_FAULT_PAUSE_AFTER_WRITE_MS: '100',
    }
    let n = 0
    const members: LuneoChild[] = []
    const add = () => {
      const child = spawnLuneo(['ingest', 'sink'], env, `sink #${++n}`)
      members.push(child)
      return child
    }
    const alive: LuneoChild[] = [add(), add(), add()]
    await seed(6000)
    let killedBatches = 0
    for (let round = 0; round < 5; round++) {
      // The oldest member, killed on the line of its next batch: that batch is in ClickHouse and
      // its offsets not yet committed (the sinks pause there), so the member that takes the
      // partition over writes it again. If the flow runs dry first (the others took it all
      // during a rebalance), more events are written.
      const victim = alive.shift()!
      let killed = false
      const kill = victim
        .nextLine(batchLine, 90_000, victim.lines.length)
        .then(() => victim.kill())
        .finally(() => (killed = true))
      await waitFor(
        async () => {
          if (killed) return true
          if ((await relay.backlog()) === 0 && (await kafka.admin.consumerLag(groupId, topic)) === 0)
            await seed(1000)
          return false
        },
        90_000,
        `a batch from sink #${n - alive.length}`,
      )
      await kill
      killedBatches += batchRanges(victim.lines).length
      alive.push(add())
    }
    await seed(2000)
    await waitFor(async () => (await relay.backlog()) === 0, 60_000, 'relay done')
    await waitFor(
      async () => (await kafka.admin.consumerLag(groupId, topic)) === 0,
      120_000,
      'group caught up',
    )
    await waitFor(
      async () => (await uniqueEvents(ch.ch, orgs)) >= seeded,
      60_000,
      'every event in ClickHouse',
    )
    for (const s of alive) s.proc.kill('SIGTERM')
    for (const s of alive) expect((await s.exited).code).toBe(0)
    await relay.stop()
    // Every kill left a written batch uncommitted: the group wrote those messages twice.
    const twice = writtenTwice(members)
    expect(twice).toBeGreaterThan(0)
    const counts = await expectExactlyOnce(pg.db, ch.ch, orgs)
    expect(Object.values(counts).reduce((sum, c) => sum + c.outbox, 0)).toBe(seeded)
    const lastBatches = alive.map((s) => batchRanges(s.lines).length)
    console.log(
      `sink group, 5 kills + 5 joins: ${seeded} events, ${killedBatches} batches by the killed members, ` +
        `${twice} messages written twice (redelivered), ` +
        `${lastBatches.join('/')} by the last three; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    )
  })
})
