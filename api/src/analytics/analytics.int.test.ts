import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '@luneo/warehouse'
import { createClickHouseSink, type EventEnvelope } from '@luneo/ingest'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'

// Every measure computed by hand on a five-conversation fixture (docs/metrics.md). Events go
// straight into ClickHouse (the real store), the pipelines run through POST /analytics/refresh,
// and the API must answer exactly the numbers written below.

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
let t: TestApp
let key: string
let orgId: string
const T = Date.now()

function fixture(org: string): EventEnvelope[] {
  const out: EventEnvelope[] = []
  const conv = (
    at: number,
    channel: string,
    steps: (c: string, msg: string, rep: string) => [string, number, Record<string, unknown>][],
  ) => {
    const c = newId()
    const msg = newId()
    const rep = newId()
    out.push(env(org, c, 'conversation.started', at, { channel, hasContact: false }))
    for (const [type, offset, payload] of steps(c, msg, rep))
      out.push(env(org, c, type, at + offset, payload))
  }
  const turn = (
    msg: string,
    rep: string,
    grounded: boolean,
    cost: number,
  ): [string, number, Record<string, unknown>][] => [
    ['message.received', 1000, { messageId: msg, channel: 'api', text: 'question', piiRedacted: 0 }],
    ['reply.sent', 2000, reply(msg, rep, grounded, cost)],
  ]
  // A: confirmed (positive feedback, csat 5) with a 100 purchase
  conv(T - 5 * DAY, 'api', (_c, m, r) => [
    ...turn(m, r, true, 0.002),
    ['feedback.submitted', 3000, { feedbackId: newId(), rating: 'positive', csat: 5 }],
    ['outcome.recorded', 4000, { outcomeId: newId(), type: 'purchase', amount: 100, currency: 'USD' }],
  ])
  // B: assumed (grounded, silent for days)
  conv(T - 4 * DAY, 'widget', (_c, m, r) => turn(m, r, true, 0.001))
  // C: handed off (asked), csat 2
  conv(T - 3 * DAY, 'api', (_c, m, r) => [
    ...turn(m, r, false, 0.001),
    ['conversation.escalated', 2000, { reason: 'asked', messageId: r }],
    ['feedback.submitted', 5000, { feedbackId: newId(), rating: 'negative', csat: 2 }],
  ])
  // D: abandoned (unanswered, silent)
  conv(T - 2 * DAY, 'api', (_c, m, r) => turn(m, r, false, 0.001))
  // E: open (grounded an hour ago; the 24 h window has not closed)
  conv(T - HOUR, 'api', (_c, m, r) => turn(m, r, true, 0.001))
  return out
}

function reply(msg: string, rep: string, grounded: boolean, cost: number) {
  return {
    messageId: rep,
    replyToId: msg,
    intent: 'order_status',
    intentConfidence: 0.9,
    grounded,
    topScore: grounded ? 0.8 : 0.1,
    retrievalScores: [],
    sourceDocumentIds: [],
    experimentId: null,
    variantId: null,
    provider: 'local',
    model: 'local',
    fallback: false,
    promptTokens: 10,
    completionTokens: 5,
    costUsd: cost,
    latencyMs: 40,
    escalated: false,
  }
}

function env(
  org: string,
  conversationId: string,
  type: string,
  at: number,
  payload: Record<string, unknown>,
): EventEnvelope {
  return {
    id: newId(),
    type,
    version: 1,
    organizationId: org,
    occurredAt: new Date(at).toISOString(),
    conversationId,
    contactId: null,
    agentId: newId(),
    vertical: 'ecommerce',
    correlationId: 'fixture',
    payload,
  }
}

const get = async (url: string) => {
  const r = await t.app.inject({ method: 'GET', url, headers: as(key) })
  expect(r.statusCode, r.body).toBe(200)
  return r
}
const range = `from=${new Date(T - 30 * DAY).toISOString()}&to=${new Date(T).toISOString()}`

beforeAll(async () => {
  t = await startTestApp()
  const owner = await signup(t.app)
  orgId = owner.organizationId
  key = await createKey(t.app, owner, ['admin', 'analytics:read'])
  const patch = await t.app.inject({
    method: 'PATCH',
    url: '/api/v1/organization/roi-assumptions',
    headers: as(key),
    payload: { minutesPerConversation: 6, hourlyCost: 30, subscriptionMonthly: 90 },
  })
  expect(patch.statusCode, patch.body).toBe(200)
  await createClickHouseSink(t.deps.ch).publish(fixture(orgId))
  const refresh = await t.app.inject({ method: 'POST', url: '/api/v1/analytics/refresh', headers: as(key) })
  expect(refresh.statusCode, refresh.body).toBe(200)
})
afterAll(async () => t?.close())

describe('measures on the fixture, by hand', () => {
  it('outcome measures', async () => {
    const ms =
      'conversations,closed_conversations,ai_resolved,ai_resolution_rate,confirmed_resolution_rate,assumed_resolution_rate,durable_resolution_rate,escalation_rate,abandonment_rate,csat,csat_ai,csat_human,human_hours_saved,attributed_revenue,qualified_leads,llm_cost,platform_cost,net_roi,avg_response_latency_ms'
    const r = (await get(`/api/v1/analytics/query?measures=${ms}&${range}`)).json()
    expect(r.rows).toHaveLength(1)
    const row = r.rows[0]
    // A confirmed, B assumed, C handed off, D abandoned, E open
    expect(row).toMatchObject({ conversations: 5, closed_conversations: 4, ai_resolved: 2 })
    expect(row.ai_resolution_rate).toBeCloseTo(2 / 4, 6)
    expect(row.confirmed_resolution_rate).toBeCloseTo(1 / 4, 6)
    expect(row.assumed_resolution_rate).toBeCloseTo(1 / 4, 6)
    expect(row.durable_resolution_rate).toBe(0) // A resolved 5 days ago: the 7-day window is still open
    expect(row.escalation_rate).toBeCloseTo(1 / 5, 6)
    expect(row.abandonment_rate).toBeCloseTo(1 / 4, 6)
    expect(row.csat).toBeCloseTo((5 + 2) / 2, 6)
    expect(row.csat_ai).toBeCloseTo(5, 6)
    expect(row.csat_human).toBeCloseTo(2, 6)
    expect(row.human_hours_saved).toBeCloseTo((2 * 6) / 60, 6)
    expect(row.attributed_revenue).toBeCloseTo(100, 6)
    expect(row.qualified_leads).toBe(0)
    expect(row.llm_cost).toBeCloseTo(0.002 + 4 * 0.001, 6)
    // subscription 90/month over a 30-day range = 90, plus the LLM cost
    expect(row.platform_cost).toBeCloseTo(90 + 0.006, 4)
    expect(row.net_roi).toBeCloseTo((0.2 * 30 + 100 - 90.006) / 90.006, 4)
    expect(row.avg_response_latency_ms).toBeCloseTo(40, 6)
  })

  it('verified resolution is null without a judge (the local provider cannot judge), never a guess', async () => {
    const r = (
      await get(`/api/v1/analytics/query?measures=judged_conversations,verified_resolution_rate&${range}`)
    ).json()
    expect(r.rows).toEqual([{ judged_conversations: 0, verified_resolution_rate: null }])
  })

  it('ROI without a judge: verified is null beside the three other definitions', async () => {
    const roi = (await get(`/api/v1/analytics/roi?${range}`)).json()
    expect(roi.totals).toMatchObject({ judged_conversations: 0, verified_resolution_rate: null })
    expect(roi.totals.confirmed_resolution_rate).toBeCloseTo(1 / 4, 6)
  })

  it('the organization formats its numbers in its locale: en-US until an admin sets another', async () => {
    const org = (await get('/api/v1/organization')).json()
    expect(org.locale).toBe('en-US')
    const patch = (payload: object) =>
      t.app.inject({
        method: 'PATCH',
        url: '/api/v1/organization/roi-assumptions',
        headers: as(key),
        payload,
      })
    const fr = await patch({ locale: 'fr-FR', currency: 'EUR' })
    expect(fr.statusCode, fr.body).toBe(200)
    expect(fr.json()).toMatchObject({ locale: 'fr-FR', roiAssumptions: { currency: 'EUR' } })
    const bad = await patch({ locale: 'not a locale' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('validation_failed')
    expect((await get('/api/v1/organization')).json().locale).toBe('fr-FR') // the refused patch wrote nothing
    await patch({ locale: 'en-US', currency: 'USD' })
  })

  it('signal measures', async () => {
    const r = (await get(`/api/v1/analytics/signals?${range}`)).json()
    expect(r.totals.replies).toBe(5)
    expect(r.totals.unanswered_rate).toBeCloseTo(2 / 5, 6) // C, D
    expect(r.totals.escalation_after_reply_rate).toBeCloseTo(1 / 5, 6) // C
    expect(r.totals.negative_feedback_rate).toBeCloseTo(1 / 5, 6) // C's negative rating follows its reply
    expect(r.totals.reply_abandonment_rate).toBeCloseTo(1 / 5, 6) // D
    expect(r.totals.rephrase_rate).toBe(0)
  })

  it('by dimension: channel', async () => {
    const r = (
      await get(
        `/api/v1/analytics/query?measures=conversations,ai_resolution_rate,unanswered_rate&dimensions=channel&${range}`,
      )
    ).json()
    expect(r.rows).toEqual(
      [
        { channel: 'api', conversations: 4, ai_resolution_rate: 1 / 3, unanswered_rate: 0.5 },
        { channel: 'widget', conversations: 1, ai_resolution_rate: 1, unanswered_rate: 0 },
      ].map((x) => ({ ...x, ai_resolution_rate: Math.round(x.ai_resolution_rate * 1e6) / 1e6 })),
    )
  })

  it('ROI follows an edited assumption at once', async () => {
    const before = (await get(`/api/v1/analytics/roi?${range}`)).json()
    expect(before.totals.net_roi).toBeCloseTo((0.2 * 30 + 100 - 90.006) / 90.006, 4)
    expect(before.assumptions).toMatchObject({
      minutesPerConversation: 6,
      hourlyCost: 30,
      subscriptionMonthly: 90,
    })
    await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/organization/roi-assumptions',
      headers: as(key),
      payload: { hourlyCost: 60 },
    })
    const after = (await get(`/api/v1/analytics/roi?${range}`)).json()
    expect(after.totals.net_roi).toBeCloseTo((0.2 * 60 + 100 - 90.006) / 90.006, 4)
    await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/organization/roi-assumptions',
      headers: as(key),
      payload: { hourlyCost: 30 },
    })
  })

  it('the tenant report and its CSV carry the same numbers', async () => {
    const page = (await get(`/api/v1/analytics/conversations/resolved?${range}&limit=2`)).json()
    expect(page.items).toHaveLength(2)
    expect(page.nextCursor).not.toBeNull()
    const rest = (
      await get(`/api/v1/analytics/conversations/resolved?${range}&limit=10&cursor=${page.nextCursor}`)
    ).json()
    const all = [...page.items, ...rest.items]
    expect(all.map((r: { status: string }) => r.status)).toEqual([
      'open',
      'abandoned',
      'handed_off',
      'assumed',
      'confirmed',
    ])
    const csv = await get(`/api/v1/analytics/conversations/resolved/export.csv?${range}`)
    expect(csv.headers['content-type']).toContain('text/csv')
    const lines = csv.body.trim().split('\r\n')
    expect(lines).toHaveLength(6)
    const header = lines[0]!.split(',')
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])))
    for (const [i, r] of all.entries()) {
      expect(rows[i]).toMatchObject({
        conversationId: r.conversationId,
        status: r.status,
        csat: r.csat === null ? '' : String(r.csat),
        purchaseAmount: String(r.purchaseAmount),
      })
    }
    const confirmed = await get(`/api/v1/analytics/conversations/resolved?${range}&status=confirmed`)
    expect(confirmed.json().items).toHaveLength(1)
  })

  it('another organization sees none of these numbers', async () => {
    const other = await signup(t.app)
    const otherKey = await createKey(t.app, other, ['analytics:read'])
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/analytics/query?measures=conversations,replies&${range}`,
      headers: as(otherKey),
    })
    expect(r.json().rows).toEqual([{ conversations: 0, replies: 0 }])
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/analytics/conversations/resolved?${range}`,
      headers: as(otherKey),
    })
    expect(list.json().items).toEqual([])
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/analytics/conversations/resolved/export.csv?${range}`,
      headers: as(otherKey),
    })
    expect(csv.body.trim().split('\r\n')).toHaveLength(1)
  })

  it('re-running the pipelines changes nothing (idempotent)', async () => {
    const before = (
      await get(`/api/v1/analytics/query?measures=conversations,ai_resolution_rate,replies&${range}`)
    ).json()
    await t.app.inject({ method: 'POST', url: '/api/v1/analytics/refresh', headers: as(key) })
    await t.deps.pipelines.runAll({ full: true, organizationId: orgId })
    const after = (
      await get(`/api/v1/analytics/query?measures=conversations,ai_resolution_rate,replies&${range}`)
    ).json()
    expect(after.rows).toEqual(before.rows)
  })
})

describe('bad report parameters are 400s, never 500s', () => {
  it('a forged cursor, a year outside 2000–2099', async () => {
    const forged = Buffer.from('{"startedAt":"x","id":"y"}').toString('base64url')
    const a = await t.app.inject({
      method: 'GET',
      url: `/api/v1/analytics/conversations/resolved?cursor=${forged}`,
      headers: as(key),
    })
    expect(a.statusCode).toBe(400)
    expect(a.json().code).toBe('validation_failed')
    const garbage = await t.app.inject({
      method: 'GET',
      url: '/api/v1/analytics/conversations/resolved?cursor=R8zJqkY',
      headers: as(key),
    })
    expect(garbage.statusCode).toBe(400)
    const year20 = await t.app.inject({
      method: 'GET',
      url: '/api/v1/analytics/conversations/resolved?from=0020-02-29T00:00:00Z',
      headers: as(key),
    })
    expect(year20.statusCode).toBe(400)
  })
})
