import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, newestEventPart } from '@luneo/warehouse'
import { createClickHouseSink } from '@luneo/ingest'
import { startTestApp, type TestApp } from '../testing/harness.js'
import { PipelineScheduler, type PipelineRunner } from './pipelines.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

describe('the in-process pipeline scheduler', () => {
  it('runs when events arrive, and skips ticks when nothing is new', async () => {
    let runs = 0
    const runner = { runAll: async () => (runs++, []), refresh: async () => [] } as unknown as PipelineRunner
    const s = new PipelineScheduler(
      runner,
      20,
      (e) => console.error(e),
      () => newestEventPart(t.deps.ch),
      60_000,
    )
    s.start()
    const waitFor = async (n: number) => {
      for (let i = 0; i < 200 && runs < n; i++) await new Promise((r) => setTimeout(r, 10))
    }
    await waitFor(1)
    expect(runs).toBe(1) // first tick: never ran before
    await new Promise((r) => setTimeout(r, 200)) // ~10 ticks with nothing new
    expect(runs).toBe(1)
    const org = newId()
    await createClickHouseSink(t.deps.ch).publish([
      {
        id: newId(),
        type: 'organization.created',
        version: 1,
        organizationId: org,
        occurredAt: new Date().toISOString(),
        conversationId: null,
        contactId: null,
        agentId: null,
        vertical: 'ecommerce',
        correlationId: 'x',
        payload: { name: 'x', vertical: 'ecommerce' },
      },
    ])
    await waitFor(2)
    expect(runs).toBe(2)
    await s.stop()
  })
})
