import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, createKey, signup, startTestApp, type TestApp } from './testing/harness.js'

// The outbox promise, under fire: a write request either commits its domain row, its one event and
// its audit row together, or none of them. Faults are thrown at the named points the services call
// between the domain insert and the outbox insert (and between the outbox and audit inserts).

const REQUESTS = 1000
const SEED = Number(process.env.LUNEO_TEST_SEED ?? 20_240_611)
const FAULT_MESSAGE = 'injected fault: secret internals must not leak'

type Kind = 'conversation' | 'feedback' | 'outcome'
const POINTS: Record<Kind, string[]> = {
  conversation: ['conversation.before_outbox', 'conversation.before_audit'],
  feedback: ['feedback.before_outbox'],
  outcome: ['outcome.before_outbox'],
}
const ALL_POINTS = Object.values(POINTS).flat()

/** mulberry32: a tiny seeded PRNG, so a failing run replays exactly with LUNEO_TEST_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let r = Math.imul(a ^ (a >>> 15), 1 | a)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296
  }
}

// Requests run one at a time: the armed point is the one the request in flight may hit. (Running
// them concurrently would need the point to travel with the request, and the seam gets no request.)
let armed: string | null = null
const faultPoint = (point: string) => {
  if (armed === point) throw new Error(`${FAULT_MESSAGE} (${point})`)
}

let t: TestApp
let key: string
let orgId: string
let agentId: string
beforeAll(async () => {
  t = await startTestApp({}, { faultPoint })
  const owner = await signup(t.app)
  orgId = owner.organizationId
  key = await createKey(t.app, owner, ['admin', 'conversations:write'])
  const agent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: as(key),
    payload: { name: 'Bot' },
  })
  agentId = agent.json().id
})
afterAll(async () => t?.close())

interface Planned {
  kind: Kind
  point: string | null
  shouldFail: boolean
  pick: number
  variant: number
}

function plan(random: () => number): Planned[] {
  const kinds: Kind[] = ['conversation', 'feedback', 'outcome']
  return Array.from({ length: REQUESTS }, () => {
    const kind = kinds[Math.floor(random() * 3)]!
    // ~40% armed; a third of those at a point another kind owns, which must not fire here.
    const roll = random()
    const point =
      roll < 0.6
        ? null
        : roll < 0.87
          ? POINTS[kind][Math.floor(random() * POINTS[kind].length)]!
          : ALL_POINTS[Math.floor(random() * ALL_POINTS.length)]!
    return {
      kind,
      point,
      shouldFail: point !== null && POINTS[kind].includes(point),
      pick: random(),
      variant: Math.floor(random() * 4),
    }
  })
}

describe(`1,000 writes with faults injected inside their transactions (seed ${SEED})`, () => {
  it('leave every domain row with exactly one event and audit row, and nothing for the failures', async () => {
    const conversations: string[] = []
    const failedRequestIds: string[] = []
    const outcomes = { ok: 0, failed: 0 }
    // Seed conversations with no fault, so feedback and outcomes have targets from the start.
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: as(key),
        payload: { agentId, channel: 'api' },
      })
      expect(res.statusCode, res.body).toBe(201)
      conversations.push(res.json().id)
    }

    const requests = plan(prng(SEED))
    const send = async (p: Planned) => {
      const conv = conversations[Math.floor(p.pick * conversations.length)]!
      const [url, payload] =
        p.kind === 'conversation'
          ? [
              '/api/v1/conversations',
              {
                agentId,
                channel: (['api', 'widget', 'email'] as const)[p.variant % 3],
                ...(p.variant === 3 ? { contact: { email: `c${p.pick}@example.com` } } : {}),
              },
            ]
          : p.kind === 'feedback'
            ? [
                `/api/v1/conversations/${conv}/feedback`,
                { rating: p.variant % 2 ? 'positive' : 'negative', csat: p.variant + 1 },
              ]
            : [
                `/api/v1/conversations/${conv}/outcome`,
                {
                  type: (['resolved', 'handoff', 'purchase', 'lead'] as const)[p.variant],
                  amount: p.variant === 2 ? 42.5 : undefined,
                },
              ]
      armed = p.point
      const res = await t.app.inject({ method: 'POST', url, headers: as(key), payload }).finally(() => {
        armed = null
      })
      if (p.shouldFail) {
        expect(res.statusCode, res.body).toBe(500)
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
        const problem = res.json()
        expect(problem).toMatchObject({
          type: 'https://luneo.dev/problems/internal',
          status: 500,
          code: 'internal',
        })
        for (const field of ['title', 'detail'] as const) expect(typeof problem[field]).toBe('string')
        expect(res.body).not.toContain('injected')
        expect(res.body).not.toContain(p.point)
        failedRequestIds.push(String(res.headers['x-request-id']))
        outcomes.failed += 1
      } else {
        expect(res.statusCode, res.body).toBe(201)
        if (p.kind === 'conversation') conversations.push(res.json().id)
        outcomes.ok += 1
      }
    }
    for (const p of requests) await send(p)
    expect(outcomes.ok + outcomes.failed).toBe(REQUESTS)
    // The plan really exercised both paths and every point.
    expect(outcomes.failed).toBeGreaterThan(REQUESTS / 5)
    for (const point of ALL_POINTS)
      expect(
        requests.some((r) => r.shouldFail && r.point === point),
        point,
      ).toBe(true)

    await expectOneEventPerRow(failedRequestIds)
    const rows = await domainCounts()
    const planned = (k: Kind) => requests.filter((r) => r.kind === k && !r.shouldFail).length
    expect(rows).toEqual({
      conversations: planned('conversation') + 5,
      feedback: planned('feedback'),
      outcomes: planned('outcome'),
    })
  })
})

async function domainCounts() {
  const q = (table: 'conversations' | 'feedback' | 'outcomes') =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE organization_id = ${orgId}`
      .execute(t.deps.db)
      .then((r) => Number(r.rows[0]?.n))
  return {
    conversations: await q('conversations'),
    feedback: await q('feedback'),
    outcomes: await q('outcomes'),
  }
}

/** Every domain row ↔ exactly one outbox event and one audit row; failed requests left no trace. */
async function expectOneEventPerRow(failedRequestIds: string[]) {
  const db = t.deps.db
  const pairs: { table: string; type: string; ref: ReturnType<typeof sql>; action: string }[] = [
    {
      table: 'conversations',
      type: 'conversation.started',
      ref: sql`o.envelope->>'conversationId'`,
      action: 'conversation.created',
    },
    {
      table: 'feedback',
      type: 'feedback.submitted',
      ref: sql`o.envelope->'payload'->>'feedbackId'`,
      action: 'feedback.created',
    },
    {
      table: 'outcomes',
      type: 'outcome.recorded',
      ref: sql`o.envelope->'payload'->>'outcomeId'`,
      action: 'outcome.recorded',
    },
  ]
  for (const p of pairs) {
    // Rows whose event count is not exactly one.
    const orphans = await sql<{ id: string; n: number }>`
      SELECT d.id, count(o.id)::int AS n
      FROM ${sql.table(p.table)} d
      LEFT JOIN outbox o ON o.type = ${p.type} AND ${p.ref} = d.id::text
      WHERE d.organization_id = ${orgId}
      GROUP BY d.id HAVING count(o.id) <> 1`.execute(db)
    expect(orphans.rows, `${p.table} rows without exactly one ${p.type}`).toEqual([])
    // Events whose row does not exist.
    const ghosts = await sql<{ id: string }>`
      SELECT o.id FROM outbox o
      WHERE o.organization_id = ${orgId} AND o.type = ${p.type}
        AND NOT EXISTS (SELECT 1 FROM ${sql.table(p.table)} d WHERE d.id::text = ${p.ref})`.execute(db)
    expect(ghosts.rows, `${p.type} events without their ${p.table} row`).toEqual([])
    // The audit row commits with them too (the before_audit point fails after the outbox insert).
    const unaudited = await sql<{ id: string }>`
      SELECT d.id FROM ${sql.table(p.table)} d
      WHERE d.organization_id = ${orgId}
        AND (SELECT count(*) FROM audit_log a WHERE a.action = ${p.action} AND a.resource_id = d.id::text) <> 1`.execute(
      db,
    )
    expect(unaudited.rows, `${p.table} rows without exactly one ${p.action} audit entry`).toEqual([])
  }
  // Nothing a failed request did survived: no event or audit row carries its request id.
  const leaked = await sql<{ n: number }>`
    SELECT (SELECT count(*) FROM outbox WHERE envelope->>'correlationId' = ANY(${failedRequestIds}))::int
         + (SELECT count(*) FROM audit_log WHERE request_id = ANY(${failedRequestIds}))::int AS n`.execute(db)
  expect(Number(leaked.rows[0]?.n)).toBe(0)
}
