import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateClickHouse, newId, openClickHouse, type ClickHouseHandle } from '@luneo/warehouse'
import { tempDir } from '@luneo/warehouse/testing'
import { createClickHouseSink } from '@luneo/ingest'
import { newestEventPart } from './pipelines.js'

const dir = tempDir('luneo-newest-part-')
let ch: ClickHouseHandle
beforeAll(async () => {
  ch = await openClickHouse({ dataDir: dir.path })
  await migrateClickHouse(ch.ch)
})
afterAll(async () => {
  await ch?.close()
  dir.remove()
})

describe('the newest-event mark the scheduler watches', () => {
  it('stays put while nothing arrives and changes when events reach ClickHouse', async () => {
    const before = await newestEventPart(ch.ch)
    expect(await newestEventPart(ch.ch)).toBe(before)
    await createClickHouseSink(ch.ch).publish([
      {
        id: newId(),
        type: 'organization.created',
        version: 1,
        organizationId: newId(),
        occurredAt: new Date().toISOString(),
        conversationId: null,
        contactId: null,
        agentId: null,
        vertical: 'ecommerce',
        correlationId: 'x',
        payload: { name: 'x', vertical: 'ecommerce' },
      },
    ])
    expect(await newestEventPart(ch.ch)).not.toBe(before)
  })
})
