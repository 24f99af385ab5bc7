// The embedded drainer tells a bad row from a bad day (ADR 0014), on a real Postgres and chDB:
// each test breaks its own ClickHouse for real (too many parts, a CHECK, a dropped table).
import { afterEach, describe, expect, it } from 'vitest'
import { newId } from '@luneo/warehouse'
import { classifyError, classifyKnownError, describeError } from '../errors/classify.js'
import {
  countByOrg,
  deadLetterRecords,
  openOwnStores,
  refuseEvent,
  seedOutbox,
  uniqueEvents,
  waitFor,
  type OwnStores,
} from '../faults/harness.js'
import { createClickHouseSink } from '../sink/clickhouse-sink.js'
import { createOutboxDeadLetterWriter, outboxDlqTopic } from './outbox-dead-letters.js'
import { OutboxDrainer, outboxBacklog } from './outbox-drainer.js'

let own: OwnStores | null = null
afterEach(async () => {
  await own?.close()
  own = null
})

function drainer(s: OwnStores, errors: unknown[], fatal: unknown[] = []) {
  return new OutboxDrainer(s.pg.db, createClickHouseSink(s.ch.ch), {
    batchSize: 100,
    idleMs: 20,
    backoffMs: 20,
    maxBackoffMs: 200,
    deadLetters: createOutboxDeadLetterWriter(s.ch.ch),
    onError: (e) => errors.push(e),
    onFatal: (e) => fatal.push(e),
  })
}

describe('embedded drainer error classes', { timeout: 120_000 }, () => {
  it('retry: ClickHouse refuses writes for a while (TOO_MANY_PARTS): backs off, then catches up', async () => {
    own = await openOwnStores('drain-retry')
    const s = own
    const first = await seedOutbox(s.pg.db, { total: 100, organizations: 1 })
    await drainer(s, []).drainAll()
    // A real refusal: with one part in the partition, parts_to_throw_insert = 1 refuses every insert.
    await s.ch.ch.command({ query: 'ALTER TABLE events MODIFY SETTING parts_to_throw_insert = 1' })
    const { organizations, events } = await seedOutbox(s.pg.db, { total: 400, organizations: 2 })
    const errors: unknown[] = []
    const d = drainer(s, errors)
    d.start()
    await waitFor(() => errors.length >= 3, 30_000, 'three refused writes')
    // Recognised as transient, not merely retried by default.
    expect(errors.map(classifyKnownError)).toEqual(errors.map(() => 'retry'))
    expect(describeError(errors[0])).toMatch(/^TOO_MANY_PARTS \(252\)/)
    expect(await outboxBacklog(s.pg.db)).toBe(events.length)
    await s.ch.ch.command({ query: 'ALTER TABLE events RESET SETTING parts_to_throw_insert' })
    await waitFor(async () => (await outboxBacklog(s.pg.db)) === 0, 60_000, 'catch-up')
    await d.stop()
    expect(d.deadLettered).toBe(0)
    for (const c of Object.values(await countByOrg(s.pg.db, s.ch.ch, organizations))) {
      expect([c.uniqExact, c.limit1ById]).toEqual([c.outbox, c.outbox])
    }
    expect(await uniqueEvents(s.ch.ch, [...organizations, ...first.organizations])).toBe(500)
  })

  it('dead letter: a row ClickHouse rejects and an envelope that does not parse are set aside', async () => {
    own = await openOwnStores('drain-dlq')
    const s = own
    const { organizations, events } = await seedOutbox(s.pg.db, { total: 600, organizations: 2 })
    const poison = events[250]!
    await refuseEvent(s.ch.ch, poison.correlationId)
    const broken = { ...events[0]!, id: newId(), type: 'order.teleported' }
    await s.pg.db
      .insertInto('outbox')
      .values({
        id: broken.id,
        organization_id: broken.organizationId,
        partition_key: 'k',
        type: broken.type,
        version: 1,
        envelope: JSON.stringify(broken),
      })
      .execute()
    const errors: unknown[] = []
    const d = drainer(s, errors)
    d.start()
    await waitFor(async () => (await outboxBacklog(s.pg.db)) === 0, 60_000, 'outbox drained')
    await d.stop()
    // Nothing retried: the bad rows were known bad at once, and every other row landed.
    expect(errors).toEqual([])
    expect([d.published, d.deadLettered]).toEqual([599, 2])
    expect(await uniqueEvents(s.ch.ch, organizations)).toBe(599)
    const dlq = await deadLetterRecords(s.ch.ch, outboxDlqTopic)
    expect(dlq.map((r) => [r.reason, r.event_id])).toEqual([
      ['store_rejected', poison.id],
      ['unknown_type', broken.id],
    ])
    expect(dlq[0]!.detail).toMatch(/^VIOLATED_CONSTRAINT \(469\): Constraint `refuse_one`/)
    const rows = await s.pg.db.selectFrom('outbox').select('published_at').execute()
    expect(rows.every((r) => r.published_at !== null)).toBe(true)
  })

  it('crash: the events table is missing: stops loudly, marks nothing, retries nothing', async () => {
    own = await openOwnStores('drain-crash')
    const s = own
    const { events } = await seedOutbox(s.pg.db, { total: 300, organizations: 1 })
    await s.ch.ch.command({ query: 'DROP TABLE events' })
    const errors: unknown[] = []
    const fatal: unknown[] = []
    const d = drainer(s, errors, fatal)
    d.start()
    const err = await d.crashed
    await d.stop()
    expect(classifyError(err)).toBe('crash')
    expect(String(err)).toMatch(/UNKNOWN_TABLE|events does not exist|Unknown table/)
    expect(fatal).toEqual([err])
    expect(errors).toEqual([])
    expect(await outboxBacklog(s.pg.db)).toBe(events.length)
    await expect(d.drainOnce()).rejects.toThrow(/events/)
  })
})
