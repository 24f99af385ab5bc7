import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, createKey, signup, startTestApp, type TestApp } from './testing/harness.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

async function eventsInClickHouse(orgId: string) {
  const rs = await t.deps.ch.query({
    query:
      'SELECT type, toString(id) AS id FROM events WHERE organization_id = {org:UUID} ORDER BY id LIMIT 1 BY id',
    query_params: { org: orgId },
    format: 'JSONEachRow',
  })
  return rs.json<{ type: string; id: string }>()
}

describe('signup → API key → agent → conversation → feedback → outcome', () => {
  it('ends with the matching events in ClickHouse exactly once', async () => {
    const owner = await signup(t.app)
    const key = await createKey(t.app, owner, ['conversations:write', 'admin'])
    expect(key).toMatch(/^lk_/)
    const agent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: as(key),
      payload: { name: 'Shop bot' },
    })
    expect(agent.statusCode).toBe(201)
    const conv = await t.app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: as(key),
      payload: {
        agentId: agent.json().id,
        channel: 'api',
        contact: { email: 'Jane@Example.com', name: 'Jane' },
      },
    })
    expect(conv.statusCode).toBe(201)
    const id = conv.json().id
    const fb = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/feedback`,
      headers: as(key),
      payload: { rating: 'positive', csat: 5 },
    })
    expect(fb.statusCode).toBe(201)
    const out = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/outcome`,
      headers: as(key),
      payload: { type: 'purchase', amount: 120.5 },
    })
    expect(out.statusCode).toBe(201)
    expect(out.json()).toMatchObject({ type: 'purchase', amount: 120.5, currency: 'USD' })

    await t.drainer.drainAll()
    await t.drainer.drainAll() // a second drain finds nothing more to move
    const events = await eventsInClickHouse(owner.organizationId)
    expect(events.map((e) => e.type).sort()).toEqual(
      [
        'agent.created',
        'conversation.started',
        'feedback.submitted',
        'organization.created',
        'outcome.recorded',
      ].sort(),
    )
    const rs = await t.deps.ch.query({
      query: 'SELECT count() AS n, uniqExact(id) AS u FROM events WHERE organization_id = {org:UUID}',
      query_params: { org: owner.organizationId },
      format: 'JSONEachRow',
    })
    expect(await rs.json()).toEqual([{ n: 5, u: 5 }])

    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: as(key) })
    expect(detail.json()).toMatchObject({
      id,
      status: 'open',
      contact: { email: 'jane@example.com', name: 'Jane' },
    })
  })
})

describe('API keys', () => {
  it('a revoked key stops working at once, though recent principals are cached', async () => {
    const owner = await signup(t.app)
    const key = await createKey(t.app, owner, ['admin'])
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: as(key) })).statusCode).toBe(
      200,
    )
    const keys = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: as(owner) })
    const id = keys.json().items.find((k: { prefix: string }) => key.startsWith(k.prefix)).id
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: as(owner) }))
        .statusCode,
    ).toBe(204)
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: as(key) })
    expect(after.statusCode).toBe(401)
  })
})
