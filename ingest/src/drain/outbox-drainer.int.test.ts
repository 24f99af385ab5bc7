import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateClickHouse, newId, openClickHouse, type ClickHouseHandle } from '@luneo/warehouse'
import { openTestPostgres, tempDir } from '@luneo/warehouse/testing'
import type { PostgresHandle } from '@luneo/warehouse'
import { appendToOutbox, buildEvent } from '../outbox/writer.js'
import { waitFor } from '../faults/harness.js'
import { createClickHouseSink, type EventPublisher } from '../sink/clickhouse-sink.js'
import { OutboxDrainer, outboxBacklog } from './outbox-drainer.js'

const dir = tempDir('luneo-drain-')
let pg: PostgresHandle
let ch: ClickHouseHandle
const org = newId()

beforeAll(async () => {
  pg = await openTestPostgres()
  ch = await openClickHouse({ url: process.env.LUNEO_TEST_CLICKHOUSE_URL, dataDir: dir.path })
  await migrateClickHouse(ch.ch)
  await pg.db
    .insertInto('organizations')
    .values({ id: org, name: 'o', vertical: 'ecommerce', settings: '{}' })
    .execute()
})
afterAll(async () => {
  await ch?.close()
  await pg?.close()
  dir.remove()
})

async function writeEvents(n: number) {
  const conversationId = newId()
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, () =>
      buildEvent(
        'conversation.started',
        { organizationId: org, vertical: 'ecommerce', correlationId: 'test', conversationId },
        { channel: 'api', hasContact: false },
      ),
    )
    await appendToOutbox(pg.db, batch)
  }
}

async function counts() {
  const rs = await ch.ch.query({
    query: 'SELECT count() AS n, uniqExact(id) AS u FROM events WHERE organization_id = {org:UUID}',
    query_params: { org },
    format: 'JSONEachRow',
  })
  return (await rs.json<{ n: number; u: number }>())[0]!
}

describe('outbox drainer', () => {
  it('a crash between publish and mark re-publishes without double counting', async () => {
    await writeEvents(250)
    const sink = createClickHouseSink(ch.ch)
    let crashes = 0
    // Publishes for real, then "dies" before the drainer can mark the rows: the worst moment.
    const crashing: EventPublisher = {
      async publish(events) {
        await sink.publish(events)
        crashes += 1
        throw new Error('process died after publish')
      },
    }
    await expect(new OutboxDrainer(pg.db, crashing, { batchSize: 100 }).drainOnce()).rejects.toThrow('died')
    expect(crashes).toBe(1)
    expect(await outboxBacklog(pg.db)).toBe(250)
    expect(await counts()).toEqual({ n: 100, u: 100 })

    const moved = await new OutboxDrainer(pg.db, sink, { batchSize: 100 }).drainAll()
    expect(moved).toBe(250)
    expect(await outboxBacklog(pg.db)).toBe(0)
    expect(await counts()).toEqual({ n: 250, u: 250 })
  })

  it('runs in the background, backs off while ClickHouse refuses, then catches up', async () => {
    const before = (await counts()).u
    await writeEvents(120)
    const sink = createClickHouseSink(ch.ch)
    let refuse = 3
    const flaky: EventPublisher = {
      async publish(events) {
        if (refuse-- > 0) throw new Error('ClickHouse refuses writes')
        await sink.publish(events)
      },
    }
    const errors: unknown[] = []
    const drainer = new OutboxDrainer(pg.db, flaky, {
      batchSize: 50,
      idleMs: 20,
      backoffMs: 10,
      onError: (e) => errors.push(e),
    })
    drainer.start()
    await waitFor(async () => (await outboxBacklog(pg.db)) === 0, 60_000, 'outbox drained')
    await drainer.stop()
    expect(errors).toHaveLength(3)
    expect(await outboxBacklog(pg.db)).toBe(0)
    expect(await counts()).toEqual({ n: before + 120, u: before + 120 })
  })
})
