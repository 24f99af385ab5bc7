import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '@luneo/warehouse'
import { createClickHouseSink, type EventEnvelope } from '@luneo/ingest'
import { as, createKey, signup, startTestApp, type Session, type TestApp } from '../testing/harness.js'

// "Data as of N seconds ago", by hand: events go straight into ClickHouse at known instants, the
// pipelines run with their clock pinned, and GET /analytics/freshness must name those instants —
// the oldest job watermark of the caller's organization, and its own newest event, never another's.

const HOUR = 3600_000
const T = Date.parse('2026-11-20T12:00:00.000Z')
let t: TestApp
let a: Session
let b: Session
let keyA: string

function started(org: string, at: number): EventEnvelope {
  return {
    id: newId(),
    type: 'conversation.started',
    version: 1,
    organizationId: org,
    occurredAt: new Date(at).toISOString(),
    conversationId: newId(),
    contactId: null,
    agentId: newId(),
    vertical: 'ecommerce',
    correlationId: 'fixture',
    payload: { channel: 'api', hasContact: false },
  }
}

const freshness = async (key: string) => {
  const r = await t.app.inject({ method: 'GET', url: '/api/v1/analytics/freshness', headers: as(key) })
  expect(r.statusCode, r.body).toBe(200)
  return r.json()
}

beforeAll(async () => {
  t = await startTestApp()
  a = await signup(t.app)
  b = await signup(t.app)
  keyA = await createKey(t.app, a, ['analytics:read'])
})
afterAll(async () => t?.close())

describe('GET /analytics/freshness', () => {
  it('before any run and any event: nothing to be fresh about, said as nulls', async () => {
    expect(await freshness(keyA)).toMatchObject({
      asOf: null,
      ageSeconds: null,
      newestEventAt: null,
      jobs: [],
    })
  })

  it('names the oldest watermark and the newest event of the caller’s organization only', async () => {
    // A's events at T − 2 h and T − 1 h; B's at T (newer: must not show in A's mark).
    await createClickHouseSink(t.deps.ch).publish([
      started(a.organizationId, T - 2 * HOUR),
      started(a.organizationId, T - HOUR),
      started(b.organizationId, T),
    ])
    const runA = new Date(T + 10 * 60_000) // A's pipelines ran at T + 10 min
    await t.deps.pipelines.runAll({ organizationId: a.organizationId, now: runA })
    // B's run later must not move A's mark.
    await t.deps.pipelines.runAll({ organizationId: b.organizationId, now: new Date(T + 20 * 60_000) })

    const f = await freshness(keyA)
    expect(f.asOf).toBe('2026-11-20T12:10:00.000Z')
    expect(f.newestEventAt).toBe('2026-11-20T11:00:00.000Z')
    expect(f.ageSeconds).toBe(Math.round((Date.parse(f.now) - runA.getTime()) / 1000))
    expect(f.jobs.length).toBeGreaterThan(3)
    expect(new Set(f.jobs.map((j: { watermark: string }) => j.watermark))).toEqual(
      new Set(['2026-11-20T12:10:00.000Z']),
    )
  })

  it('one job run again later: the screens are still only as fresh as the oldest job', async () => {
    await t.deps.pipelines.runAll({
      organizationId: a.organizationId,
      only: 'conversation_outcomes_v1',
      now: new Date(T + 30 * 60_000),
    })
    const f = await freshness(keyA)
    expect(f.asOf).toBe('2026-11-20T12:10:00.000Z')
    const outcomes = f.jobs.find((j: { job: string }) => j.job === 'conversation_outcomes_v1')
    expect(outcomes.watermark).toBe('2026-11-20T12:30:00.000Z')
  })
})
