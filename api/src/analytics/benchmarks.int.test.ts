import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerticalInsights, runJob } from '@luneo/pipelines'
import { chDateTime, newId } from '@luneo/warehouse'
import { as, createKey, signup, startTestApp, type TestApp } from '../testing/harness.js'
import { pipelineDeps } from '../wiring/pipelines.js'

// Vertical benchmarks on a hand-made fixture written straight into the marts the job reads
// (conversation_outcomes_v1, reply_signals_v1): five ecommerce organizations publish, four real
// estate ones do not (k-anonymity), and every number below is computed by hand. Contributors must
// be established (≥ 30 days old, ≥ 30 closed conversations in the period, an owner with a verified
// email): each fixture organization is 40 days old, its owner verified, and has its six
// conversations six times over (same rates).

const DAY = 24 * 3600 * 1000
const T = Date.now()
let t: TestApp

interface OrgFixture {
  resolved: number
  handedOff: number
  csat: number[]
  latencies: number[]
}
// Each organization: 5 closed conversations (resolved, handed off, the rest abandoned) + 1 open;
// intents: 4 × order_status, 2 × returns — repeated `times` (6 for an established organization).
const ECOMMERCE: OrgFixture[] = [
  { resolved: 1, handedOff: 3, csat: [2], latencies: [100, 200, 300] }, // E1
  { resolved: 2, handedOff: 2, csat: [3, 5], latencies: [400, 500, 600] }, // E2
  { resolved: 3, handedOff: 1, csat: [4], latencies: [50, 60, 70] }, // E3
  { resolved: 4, handedOff: 1, csat: [5, 4], latencies: [1000, 1000, 2000] }, // E4
  { resolved: 5, handedOff: 0, csat: [], latencies: [10, 20, 900] }, // E5
]

function outcomeRows(org: string, vertical: string, f: OrgFixture, times = 6) {
  return Array.from({ length: 6 * times }, (_, n) => {
    const i = n % 6
    const open = i === 5
    const resolved = !open && i < f.resolved
    const handed = !open && !resolved && i < f.resolved + f.handedOff
    return {
      organization_id: org,
      started_at: chDateTime(T - 3 * DAY + n * 60_000),
      conversation_id: newId(),
      agent_id: newId(),
      vertical,
      channel: 'api',
      intent: i < 4 ? 'order_status' : 'returns',
      last_activity_at: chDateTime(T - 3 * DAY + n * 60_000),
      status: open ? 'open' : resolved ? 'confirmed' : handed ? 'handed_off' : 'abandoned',
      closed: open ? 0 : 1,
      resolved: Number(resolved),
      confirmed: Number(resolved),
      handed_off: Number(handed),
      abandoned: Number(!open && !resolved && !handed),
      csat: f.csat[i] ?? null,
      computed_at: chDateTime(T),
    }
  })
}

function replyRows(org: string, vertical: string, f: OrgFixture) {
  return f.latencies.map((latency_ms, i) => ({
    organization_id: org,
    replied_at: chDateTime(T - 2 * DAY + i * 1000),
    reply_id: newId(),
    message_id: newId(),
    conversation_id: newId(),
    agent_id: newId(),
    vertical,
    channel: 'api',
    intent: 'order_status',
    question: 'q',
    latency_ms,
    computed_at: chDateTime(T),
  }))
}

const keys: string[] = []
const orgIds: string[] = []
let realEstateKey: string

/** Makes an organization `days` old (signup stamps it now). */
async function age(organizationId: string, days: number) {
  await sql`UPDATE organizations SET created_at = ${new Date(T - days * DAY)} WHERE id = ${organizationId}`.execute(
    t.deps.db,
  )
}

/**
 * Marks the owner's address proven, as following the emailed link does (the link itself is played
 * through a real SMTP server in api/src/routes/email-verification.int.test.ts).
 */
async function verifyOwner(userId: string) {
  await sql`UPDATE users SET email_verified_at = now() WHERE id = ${userId}`.execute(t.deps.db)
}

beforeAll(async () => {
  t = await startTestApp()
  const outcomes = []
  const replies = []
  for (const [i, f] of ECOMMERCE.entries()) {
    const owner = await signup(t.app, 'ecommerce', `E${i + 1}`)
    keys.push(await createKey(t.app, owner, ['analytics:read']))
    orgIds.push(owner.organizationId)
    await age(owner.organizationId, 40)
    await verifyOwner(owner.userId)
    outcomes.push(...outcomeRows(owner.organizationId, 'ecommerce', f))
    replies.push(...replyRows(owner.organizationId, 'ecommerce', f))
  }
  for (let i = 0; i < 4; i++) {
    const owner = await signup(t.app, 'real_estate', `R${i + 1}`)
    if (i === 0) realEstateKey = await createKey(t.app, owner, ['analytics:read'])
    await age(owner.organizationId, 40)
    await verifyOwner(owner.userId)
    outcomes.push(...outcomeRows(owner.organizationId, 'real_estate', ECOMMERCE[i]!))
    replies.push(...replyRows(owner.organizationId, 'real_estate', ECOMMERCE[i]!))
  }
  await t.deps.ch.insert({ table: 'conversation_outcomes_v1', values: outcomes, format: 'JSONEachRow' })
  await t.deps.ch.insert({ table: 'reply_signals_v1', values: replies, format: 'JSONEachRow' })
  const reports = await t.deps.pipelines.runAll({ only: 'vertical_insights' })
  expect(reports.map((r) => r.job)).toEqual(['vertical_insights_v1'])
})
afterAll(async () => t?.close())

const benchmarks = async (key: string) => {
  const r = await t.app.inject({ method: 'GET', url: '/api/v1/analytics/benchmarks', headers: as(key) })
  expect(r.statusCode, r.body).toBe(200)
  return r
}

describe('vertical benchmarks', () => {
  it('a 4-organization vertical publishes nothing', async () => {
    const r = (await benchmarks(realEstateKey)).json()
    expect(r).toEqual({ published: false, vertical: 'real_estate', reason: 'fewer than 5 organizations' })
    const stored = await t.deps.ch.query({
      query: `SELECT count() AS n FROM vertical_benchmarks_v1 FINAL
              WHERE vertical = 'real_estate' AND (median IS NOT NULL OR published = 1)`,
      format: 'JSONEachRow',
    })
    expect(Number((await stored.json<{ n: string }>())[0]!.n)).toBe(0)
  })

  it('5 organizations publish median and quartiles computed by hand, beside the caller’s own value', async () => {
    const res = await benchmarks(keys[2]!) // E3
    const r = res.json()
    expect(r.published).toBe(true)
    expect(r.organizations).toBe(5)
    const m = Object.fromEntries(r.metrics.map((x: { metric: string }) => [x.metric, x]))
    // resolution = resolved ÷ closed: 0.2, 0.4, 0.6, 0.8, 1.0
    expect(m.ai_resolution_rate).toMatchObject({ own: 0.6, published: true, organizations: 5 })
    expect(m.ai_resolution_rate.p25).toBeCloseTo(0.4, 12)
    expect(m.ai_resolution_rate.median).toBeCloseTo(0.6, 12)
    expect(m.ai_resolution_rate.p75).toBeCloseTo(0.8, 12)
    // escalation = handed off ÷ all 6 conversations: 3/6, 2/6, 1/6, 1/6, 0 → sorted 0, 1/6, 1/6, 2/6, 3/6
    expect(m.escalation_rate.own).toBeCloseTo(1 / 6, 12)
    expect(m.escalation_rate.p25).toBeCloseTo(1 / 6, 12)
    expect(m.escalation_rate.median).toBeCloseTo(1 / 6, 12)
    expect(m.escalation_rate.p75).toBeCloseTo(2 / 6, 12)
    // median latency per org: 200, 500, 60, 1000, 20 → sorted 20, 60, 200, 500, 1000
    expect(m.median_response_latency_ms).toMatchObject({ own: 60, p25: 60, median: 200, p75: 500 })
    // CSAT (each rating six times: same means): only 4 organizations have ratings (E5 none) → that metric alone is not published
    expect(m.csat).toMatchObject({ own: 4, published: false, median: null, p25: null, p75: null })
    // intents: 4/6 order_status and 2/6 returns everywhere
    expect(r.topIntents.map((i: { metric: string }) => i.metric)).toEqual(['order_status', 'returns'])
    expect(r.topIntents[0].median).toBeCloseTo(4 / 6, 12)
    expect(r.topIntents[0].own).toBeCloseTo(4 / 6, 12)
    // never another tenant's number or id: E4's median latency (1000) is no quartile, and no org id shows
    expect(res.body).not.toContain('1000')
    for (const id of orgIds) expect(res.body).not.toContain(id)
  })

  it('re-running the job changes nothing', async () => {
    const before = (await benchmarks(keys[0]!)).json()
    await t.deps.pipelines.runAll({ only: 'vertical_insights' })
    const after = (await benchmarks(keys[0]!)).json()
    // same numbers; only the period moved with the run's end
    expect({ ...after, period: null }).toEqual({ ...before, period: null })
    expect(after.metrics.find((x: { metric: string }) => x.metric === 'ai_resolution_rate').own).toBeCloseTo(
      0.2,
      12,
    )
  })
})

describe('vertical benchmarks against fake organizations (sybils)', () => {
  // The attack a review found: k = 5, and any signup with five closed conversations counted. An
  // attacker signs up four organizations in the accounting vertical, where one real firm works, and
  // gives two of them a resolution rate of 0 and two of 1: the vertical's median is then exactly
  // the real firm's figure.
  const TARGET: OrgFixture = { resolved: 3, handedOff: 1, csat: [4], latencies: [300, 300, 300] } // 0.6
  const LOW: OrgFixture = { resolved: 0, handedOff: 5, csat: [1], latencies: [1, 1, 1] }
  const HIGH: OrgFixture = { resolved: 5, handedOff: 0, csat: [5], latencies: [9, 9, 9] }
  let attackerKey: string
  const median = (r: { metrics?: { metric: string; median: number | null }[] }) =>
    r.metrics?.find((m) => m.metric === 'ai_resolution_rate')?.median

  beforeAll(async () => {
    const target = await signup(t.app, 'accounting', 'Real Firm')
    await age(target.organizationId, 400)
    await verifyOwner(target.userId)
    const rows = [...outcomeRows(target.organizationId, 'accounting', TARGET)]
    for (const [i, f] of [LOW, LOW, HIGH, HIGH].entries()) {
      const sybil = await signup(t.app, 'accounting', `Sybil ${i}`)
      if (i === 0) attackerKey = await createKey(t.app, sybil, ['analytics:read'])
      rows.push(...outcomeRows(sybil.organizationId, 'accounting', f, 1)) // five closed conversations
    }
    await t.deps.ch.insert({ table: 'conversation_outcomes_v1', values: rows, format: 'JSONEachRow' })
  })

  it('under the old rule (any signup, five conversations) the median is the real firm’s figure', async () => {
    const anyone = createVerticalInsights({ minClosed: 5, minAgeDays: 0, verifiedOwner: false })
    await runJob(pipelineDeps(t.deps), anyone, {})
    const r = (await benchmarks(attackerKey)).json()
    expect(r.published).toBe(true)
    expect(median(r)).toBeCloseTo(0.6, 12) // revealed
  })

  it('counts only established organizations: fresh sybils publish nothing, with volume or without', async () => {
    await t.deps.pipelines.runAll({ only: 'vertical_insights' })
    expect((await benchmarks(attackerKey)).json()).toEqual({
      published: false,
      vertical: 'accounting',
      reason: 'fewer than 5 organizations',
    })
    // Sybils that waited a month but stay small (five conversations each) still do not count.
    const old = await Promise.all(
      [LOW, LOW, HIGH, HIGH].map(async (f, i) => {
        const s = await signup(t.app, 'accounting', `Patient sybil ${i}`)
        await age(s.organizationId, 40)
        return outcomeRows(s.organizationId, 'accounting', f, 1)
      }),
    )
    await t.deps.ch.insert({ table: 'conversation_outcomes_v1', values: old.flat(), format: 'JSONEachRow' })
    await t.deps.pipelines.runAll({ only: 'vertical_insights' })
    expect((await benchmarks(attackerKey)).json().published).toBe(false)
  })

  it('counts only organizations with a verified owner: patient sybils with volume publish nothing', async () => {
    // Sybils that waited a month AND made 30 closed conversations each: age and volume no longer
    // stop them — without the verified-owner rule they reveal the real firm's figure again.
    const patient = await Promise.all(
      [LOW, LOW, HIGH, HIGH].map(async (f, i) => {
        const s = await signup(t.app, 'accounting', `Busy sybil ${i}`)
        await age(s.organizationId, 40)
        return outcomeRows(s.organizationId, 'accounting', f) // 6 × 5 = 30 closed conversations
      }),
    )
    await t.deps.ch.insert({
      table: 'conversation_outcomes_v1',
      values: patient.flat(),
      format: 'JSONEachRow',
    })
    await runJob(pipelineDeps(t.deps), createVerticalInsights({ verifiedOwner: false }), {})
    const without = (await benchmarks(attackerKey)).json()
    expect(without.published).toBe(true)
    expect(median(without)).toBeCloseTo(0.6, 12) // revealed
    // With the rule (the default): only the real firm's owner is verified, one organization of five.
    await t.deps.pipelines.runAll({ only: 'vertical_insights' })
    expect((await benchmarks(attackerKey)).json()).toEqual({
      published: false,
      vertical: 'accounting',
      reason: 'fewer than 5 organizations',
    })
  })
})
