import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertGap, newId } from '@luneo/warehouse'
import { outcomeRow, replySignalRow } from '@luneo/warehouse/testing'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'

// The conversations behind a gap's numbers, by hand on a fixture written straight into the marts:
//
//   member reply  conversation  started        in the outcome mart
//   r1, r2        A             5 days ago     yes
//   r3            B             2 days ago     yes
//   r4            C             1 day ago      no (its outcome not computed yet)
//   r5            —             —              no (still in the outbox)
//   conversation D (1 day ago) is the organization's but holds no member; another organization has
//   a reply with r1's id in its conversation E. Expected: 2 conversations (A, B), the first started
//   5 days ago; the report filtered by the gap lists A and B, its CSV the same two rows.

const DAY = 24 * 3600 * 1000
const T = Date.now()
let t: TestApp
let key: string
let otherKey: string
let gapId: string
const conv = { A: newId(), B: newId(), C: newId(), D: newId(), E: newId() }
const started = { A: T - 5 * DAY, B: T - 2 * DAY, C: T - DAY, D: T - DAY, E: T - DAY }

const reply = (org: string, replyId: string, conversationId: string, at: number) =>
  replySignalRow(at, {
    organization_id: org,
    reply_id: replyId,
    conversation_id: conversationId,
    intent: 'gift_cards',
    question: 'gift card?',
    unanswered: 1,
  })

const outcome = (org: string, conversationId: string, at: number) =>
  outcomeRow(at, {
    organization_id: org,
    conversation_id: conversationId,
    intent: 'gift_cards',
    abandoned: 1,
    replies: 1,
    unanswered_replies: 1,
  })

beforeAll(async () => {
  t = await startTestApp()
  const owner = await signup(t.app, 'ecommerce')
  const other = await signup(t.app, 'ecommerce')
  key = await createKey(t.app, owner, ['analytics:read'])
  otherKey = await createKey(t.app, other, ['analytics:read'])
  const org = owner.organizationId
  const r = Array.from({ length: 5 }, () => newId())
  await t.deps.ch.insert({
    table: 'reply_signals_v1',
    values: [
      reply(org, r[0]!, conv.A, started.A + 1_000),
      reply(org, r[1]!, conv.A, started.A + 2_000),
      reply(org, r[2]!, conv.B, started.B + 1_000),
      reply(org, r[3]!, conv.C, started.C + 1_000),
      reply(org, newId(), conv.D, started.D + 1_000),
      reply(other.organizationId, r[0]!, conv.E, started.E + 1_000),
    ],
    format: 'JSONEachRow',
  })
  await t.deps.ch.insert({
    table: 'conversation_outcomes_v1',
    values: [
      outcome(org, conv.A, started.A),
      outcome(org, conv.B, started.B),
      outcome(org, conv.D, started.D),
      outcome(other.organizationId, conv.E, started.E),
    ],
    format: 'JSONEachRow',
  })
  gapId = newId()
  await insertGap(t.deps.db, {
    id: gapId,
    organization_id: org,
    label: 'Do you sell gift cards?',
    score: 1,
    volume: 5,
    escalations: 0,
    last_seen_at: new Date(T),
    centroid: [1, 0],
    embedder: 'test-space',
    examples: ['do you sell gift cards?'],
    member_ids: r,
    drafted_answer: '[To complete] nothing near',
  })
})
afterAll(async () => t?.close())

const get = (url: string, k = key) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(k) })
const period = () => `from=${new Date(started.A - DAY).toISOString()}&to=${new Date(T + DAY).toISOString()}`

describe('the conversations behind a gap', () => {
  it('are counted on the gap, with when the first started', async () => {
    const one = await get(`/analytics/knowledge-gaps/${gapId}`)
    expect(one.statusCode, one.body).toBe(200)
    expect(one.json()).toMatchObject({
      conversations: 2,
      firstConversationAt: new Date(started.A).toISOString(),
    })
    const list = await get('/analytics/knowledge-gaps?status=open')
    const row = list.json().items.find((g: { id: string }) => g.id === gapId)
    expect(row).toMatchObject({ conversations: 2, firstConversationAt: new Date(started.A).toISOString() })
  })

  it('are what the report filtered by the gap lists, and its CSV holds', async () => {
    const all = await get(`/analytics/conversations/resolved?${period()}`)
    expect(
      all
        .json()
        .items.map((c: { conversationId: string }) => c.conversationId)
        .sort(),
    ).toEqual([conv.A, conv.B, conv.D].sort())
    const gap = await get(`/analytics/conversations/resolved?${period()}&gapId=${gapId}`)
    expect(gap.statusCode, gap.body).toBe(200)
    // Newest first: B started after A.
    expect(gap.json().items.map((c: { conversationId: string }) => c.conversationId)).toEqual([
      conv.B,
      conv.A,
    ])
    const csv = await get(`/analytics/conversations/resolved/export.csv?${period()}&gapId=${gapId}`)
    expect(csv.statusCode, csv.body).toBe(200)
    const lines = csv.body.trim().split('\r\n').slice(1)
    expect(lines.map((l) => l.split(',')[0])).toEqual([conv.B, conv.A])
  })

  it('of another organization are the same 404 as a missing gap', async () => {
    const foreign = await get(`/analytics/conversations/resolved?${period()}&gapId=${gapId}`, otherKey)
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json().code).toBe('not_found')
    const missing = await get(`/analytics/conversations/resolved?${period()}&gapId=${newId()}`, otherKey)
    expect(missing.statusCode).toBe(404)
    const csv = await get(`/analytics/conversations/resolved/export.csv?${period()}&gapId=${gapId}`, otherKey)
    expect(csv.statusCode).toBe(404)
  })
})
