import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertGap, newId } from '@luneo/warehouse'
import { replySignalRow } from '@luneo/warehouse/testing'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'
import { trendDays } from './gap-trend.js'

// A gap's trend (the list's sparkline): its member questions per UTC day over the last 14 days,
// counted by hand on a fixture — members today, 3 days ago and 20 days ago (outside), one member
// of another organization with the same reply id space, and a member never drained (absent).

const DAY = 24 * 3600 * 1000
let t: TestApp
let key: string
let gapId: string
/** When each member of the organization was sent (the fixture's clock). */
let sentAt: number[] = []

const reply = (org: string, replyId: string, at: number) =>
  replySignalRow(at, { organization_id: org, reply_id: replyId, unanswered: 1 })

beforeAll(async () => {
  t = await startTestApp()
  const owner = await signup(t.app, 'ecommerce')
  key = await createKey(t.app, owner, ['analytics:read'])
  const org = owner.organizationId
  const now = Date.now()
  const ids = Array.from({ length: 6 }, () => newId())
  sentAt = [now - 1_000, now - 2_000, now - 3 * DAY, now - 20 * DAY]
  await t.deps.ch.insert({
    table: 'reply_signals_v1',
    values: [
      reply(org, ids[0]!, now - 1_000), // today
      reply(org, ids[1]!, now - 2_000), // today
      reply(org, ids[2]!, now - 3 * DAY), // 3 days ago
      reply(org, ids[3]!, now - 20 * DAY), // before the window
      reply(newId(), ids[4]!, now - 1_000), // another organization's row with a member's id
      // ids[5]: still in the outbox, not in ClickHouse
    ],
    format: 'JSONEachRow',
  })
  gapId = newId()
  await insertGap(t.deps.db, {
    id: gapId,
    organization_id: org,
    label: 'Do you sell gift cards?',
    score: 1,
    volume: 6,
    escalations: 0,
    last_seen_at: new Date(now),
    centroid: [1, 0],
    embedder: 'test-space',
    examples: ['do you sell gift cards?'],
    member_ids: ids,
    drafted_answer: '[To complete] nothing near',
  })
})
afterAll(async () => t?.close())

describe('a gap’s trend', () => {
  it('counts its questions per UTC day over the last 14 days, in the list and the gap', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/analytics/knowledge-gaps?status=open',
      headers: as(key),
    })
    expect(list.statusCode, list.body).toBe(200)
    const trend = list.json().items.find((g: { id: string }) => g.id === gapId).trend as { day: string }[]
    // The window is the API's (its clock); the counts are the fixture's members bucketed by hand:
    // two today, one three days ago, the 20-day-old one outside, the other organization's and the
    // undrained one nowhere.
    expect(trend.map((p) => p.day)).toEqual(trendDays(Date.parse(`${trend.at(-1)!.day}T12:00:00Z`)))
    const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    const expected = trend.map(({ day }) => ({
      day,
      questions: sentAt.filter((ms) => dayOf(ms) === day).length,
    }))
    expect(expected.map((p) => p.questions).reduce((a, b) => a + b)).toBe(3)
    expect(trend).toEqual(expected)
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/analytics/knowledge-gaps/${gapId}`,
      headers: as(key),
    })
    expect(one.json().trend).toEqual(expected)
  })

  it('has 14 UTC days ending today', () => {
    const d = trendDays(Date.UTC(2026, 0, 3, 23, 59))
    expect(d).toHaveLength(14)
    expect(d[0]).toBe('2025-12-21')
    expect(d.at(-1)).toBe('2026-01-03')
  })
})
