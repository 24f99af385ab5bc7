import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  newId,
  openClickHouse,
  migrateClickHouse,
  type ClickHouseHandle,
  type PostgresHandle,
} from '@luneo/warehouse'
import { openTestPostgres, tempDir } from '@luneo/warehouse/testing'
import { OutboxDrainer } from '../drain/outbox-drainer.js'
import { waitFor } from '../faults/harness.js'
import { createClickHouseSink } from '../sink/clickhouse-sink.js'
import { createOutboxPruner, pruneOutbox } from './prune.js'

// Published outbox rows are deleted past their age; unpublished ones never. Hand-computed:
// keep 7 days at 2026-03-10T12:00Z, so rows published before 2026-03-03T12:00Z go.

const NOW = new Date('2026-03-10T12:00:00Z')
const KEEP_MS = 7 * 86_400_000
const dir = tempDir('luneo-prune-')
let pg: PostgresHandle
let ch: ClickHouseHandle
const org = newId()

async function row(published: string | null, created = '2026-01-01T00:00:00Z') {
  const id = newId()
  await pg.db
    .insertInto('outbox')
    .values({
      id,
      organization_id: org,
      partition_key: `${org}:-`,
      type: 'conversation.started',
      version: 1,
      envelope: '{}',
      created_at: new Date(created),
      published_at: published ? new Date(published) : null,
    })
    .execute()
  return id
}

const left = async () =>
  (await pg.db.selectFrom('outbox').select('id').orderBy('seq').execute()).map((r) => r.id)

beforeAll(async () => {
  pg = await openTestPostgres()
  ch = await openClickHouse({ url: process.env.LUNEO_TEST_CLICKHOUSE_URL, dataDir: dir.path })
  await migrateClickHouse(ch.ch)
})
afterAll(async () => {
  await ch?.close()
  await pg?.close()
  dir.remove()
})

describe('pruning the outbox', () => {
  it('deletes published rows older than the age kept, in batches, and never an unpublished one', async () => {
    await row('2026-02-01T00:00:00Z') // goes
    await row('2026-03-03T11:59:59.999Z') // goes: 1 ms before the cutoff
    const atCutoff = await row('2026-03-03T12:00:00Z') // stays
    const unpublished = await row(null) // created long ago, never published: stays
    expect(await pruneOutbox(pg.db, new Date(NOW.getTime() - KEEP_MS), 1)).toBe(2)
    expect(await left()).toEqual([atCutoff, unpublished])
    expect(await pruneOutbox(pg.db, new Date(NOW.getTime() - KEEP_MS), 1)).toBe(0) // idempotent
    await pg.db.deleteFrom('outbox').execute()
  })

  it('prunes at most once per interval', async () => {
    let now = NOW
    const pruner = createOutboxPruner(pg.db, { keepMs: KEEP_MS, everyMs: 60_000, now: () => now })
    await row('2026-03-01T00:00:00Z')
    expect(await pruner.maybePrune()).toBe(1)
    await row('2026-03-01T00:00:00Z')
    now = new Date(NOW.getTime() + 59_999)
    expect(await pruner.maybePrune()).toBe(0) // too soon
    now = new Date(NOW.getTime() + 60_000)
    expect(await pruner.maybePrune()).toBe(1)
  })

  it('is done by the drainer when a poll finds nothing to move', async () => {
    const old = await row('2026-02-01T00:00:00Z')
    const drainer = new OutboxDrainer(pg.db, createClickHouseSink(ch.ch), {
      idleMs: 10,
      prune: { keepMs: KEEP_MS, everyMs: 0, now: () => NOW },
    })
    drainer.start()
    try {
      await waitFor(async () => !(await left()).includes(old), 10_000, 'the drainer to prune')
    } finally {
      await drainer.stop()
    }
    expect(await left()).toEqual([])
  })
})
