import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.js'
import { as, createKey, signup, startTestApp, type Session, type TestApp } from '../testing/harness.js'

// POST /analytics/refresh covers every event committed before the call (issue 12), in embedded
// mode: the embedded drainer marks an outbox row only after ClickHouse took it.
//
// Two apps on the same stores: `writer` takes the conversations and runs with no drainer nudge, so
// nothing moves the outbox on its own; the drainer starts only when the refresh, waiting for its
// mark, nudges it through `t.app`'s onEventsCommitted. A refresh that ran the jobs without waiting
// would therefore find none of the owed conversations in ClickHouse: the test cannot pass by luck.

let t: TestApp
let writer: FastifyInstance
let owner: Session
let key: string
let agentId: string
let drainerStarted = false

beforeAll(async () => {
  t = await startTestApp(
    {},
    {
      onEventsCommitted: () => {
        if (!drainerStarted) t.drainer.start()
        drainerStarted = true
        t.drainer.nudge()
      },
    },
  )
  writer = await buildApp({
    ...t.deps,
    onEventsCommitted: undefined,
    config: { ...t.deps.config, refreshWaitMs: 300 },
  })
  await writer.ready()
  owner = await signup(t.app, 'ecommerce')
  key = await createKey(t.app, owner, ['admin', 'conversations:write'])
  const agent = await writer.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: as(key),
    payload: { name: 'Helper', knowledgeBaseIds: [] },
  })
  expect(agent.statusCode, agent.body).toBe(201)
  agentId = agent.json<{ id: string }>().id
})
afterAll(async () => {
  await t?.drainer.stop()
  await writer?.close()
  await t?.close()
})

const committed: string[] = []
async function openConversation(): Promise<void> {
  const r = await writer.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: as(key),
    payload: { agentId, channel: 'api' },
  })
  expect(r.statusCode, r.body).toBe(201)
  committed.push(r.json<{ id: string }>().id)
}

interface RefreshAnswer {
  coverage: { complete: boolean; waitingOn: string | null; pendingEvents: number; committedBefore: string }
  jobs: { job: string }[]
}
const refreshVia = async (app: FastifyInstance) => {
  const r = await app.inject({ method: 'POST', url: '/api/v1/analytics/refresh', headers: as(key) })
  expect(r.statusCode, r.body).toBe(200)
  return r.json<RefreshAnswer>()
}

async function countedConversations(): Promise<Set<string>> {
  const rs = await t.deps.ch.query({
    query:
      'SELECT DISTINCT toString(conversation_id) AS c FROM conversation_outcomes_v1 FINAL WHERE organization_id = {org:UUID}',
    query_params: { org: owner.organizationId },
    format: 'JSONEachRow',
  })
  return new Set((await rs.json<{ c: string }>()).map((r) => r.c))
}

describe('POST /analytics/refresh waits for the events committed before it', () => {
  it('runs anyway past the bound and says what was still in the outbox', async () => {
    for (let i = 0; i < 5; i++) await openConversation()
    const inOutbox = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM outbox WHERE organization_id = ${owner.organizationId} AND published_at IS NULL`.execute(
      t.deps.db,
    )
    const r = await refreshVia(writer) // bound 300 ms, and nothing nudges the drainer
    expect(r.coverage).toMatchObject({ complete: false, waitingOn: 'outbox' })
    expect(r.coverage.pendingEvents).toBe(inOutbox.rows[0]!.n)
    expect(r.coverage.pendingEvents).toBeGreaterThanOrEqual(5)
    expect(r.jobs.map((j) => j.job)).toContain('conversation_outcomes_v1')
    expect(drainerStarted).toBe(false)
    expect(await countedConversations()).toEqual(new Set())
  })

  it('counts every conversation committed before the call while writes go on', async () => {
    let writing = true
    const writers = Array.from({ length: 3 }, async () => {
      while (writing) await openConversation()
    })
    while (committed.length < 40) await openConversation()
    const owed = [...committed]
    const answer = await refreshVia(t.app)
    const writtenDuring = committed.length - owed.length
    writing = false
    await Promise.all(writers)

    expect(answer.coverage).toMatchObject({ complete: true, waitingOn: null, pendingEvents: 0 })
    expect(drainerStarted).toBe(true)
    const counted = await countedConversations()
    expect(owed.filter((id) => !counted.has(id))).toEqual([])
    // The writes really overlapped the refresh (else this is the quiet case again).
    expect(writtenDuring).toBeGreaterThan(0)

    const q = await t.app.inject({
      method: 'GET',
      url: '/api/v1/analytics/query?measures=conversations',
      headers: as(key),
    })
    expect(q.statusCode, q.body).toBe(200)
    const total = q.json<{ rows: { conversations: number }[] }>().rows[0]!.conversations
    expect(total).toBeGreaterThanOrEqual(owed.length)
    expect(total).toBe(counted.size)
  })
})
