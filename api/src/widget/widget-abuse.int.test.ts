import { startFakeOpenAI, type FakeOpenAI } from '@luneo/models/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, createKey, fakeOpenAIConfig, signup, startTestApp, type TestApp } from '../testing/harness.js'

// The widget's public key sits in the page and Origin can be forged by any script (a review): one
// client must not use up every real visitor's allowance, and nobody may spend past the key's
// daily LLM budget. A real remote-model path (the fake OpenAI server) so turns cost money.

const SHOP = 'https://shop.example.com'
const PER_CLIENT = 3
let fake: FakeOpenAI
let t: TestApp
let key: string
let agentId: string

beforeAll(async () => {
  fake = await startFakeOpenAI()
  t = await startTestApp({
    openai: fakeOpenAIConfig(fake.baseURL),
    widgetClientRateLimitPerMinute: PER_CLIENT,
  })
  const owner = await signup(t.app, 'ecommerce')
  key = await createKey(t.app, owner, ['admin'])
  const agent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: as(key),
    payload: { name: 'shop bot', knowledgeBaseIds: [] },
  })
  agentId = agent.json().id
})
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

async function widgetKey(dailySpendCapUsd?: number | null) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/widget-keys',
    headers: as(key),
    payload: {
      agentId,
      allowedOrigins: [SHOP],
      ...(dailySpendCapUsd !== undefined ? { dailySpendCapUsd } : {}),
    },
  })
  expect(r.statusCode, r.body).toBe(201)
  return r.json<{ id: string; publicKey: string; dailySpendCapUsd: number | null; spentTodayUsd: number }>()
}

async function visitor(publicKey: string, ip: string) {
  const opened = await t.app.inject({
    method: 'POST',
    url: '/widget/v1/conversations',
    remoteAddress: ip,
    headers: { 'x-luneo-widget-key': publicKey, origin: SHOP },
    payload: {},
  })
  const { conversationId, token } = opened.json()
  return (text: string) =>
    t.app.inject({
      method: 'POST',
      url: `/widget/v1/conversations/${conversationId}/messages`,
      remoteAddress: ip,
      headers: { 'x-luneo-widget-key': publicKey, origin: SHOP, 'x-luneo-widget-token': token },
      payload: { text },
    })
}

const customerMessages = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('role', '=', 'customer')
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('widget abuse', () => {
  it('one client address gets its own allowance; another visitor of the same key is still answered', async () => {
    const k = await widgetKey(null)
    // opening the conversation counted once for this client: PER_CLIENT − 1 messages left
    const flood = await visitor(k.publicKey, '198.51.100.66')
    const codes = []
    for (let i = 0; i < PER_CLIENT; i++) codes.push((await flood(`where is my order ${i}?`)).statusCode)
    expect(codes).toEqual([201, 201, 429])
    const real = await visitor(k.publicKey, '192.0.2.10')
    expect((await real('where is my order?')).statusCode).toBe(201)
  })

  it('a key past its daily spending cap is refused before the model is called, and writes nothing', async () => {
    const k = await widgetKey(0.000001) // a fraction of one turn's cost
    expect(k.dailySpendCapUsd).toBe(0.000001)
    const say = await visitor(k.publicKey, '192.0.2.20')
    const first = await say('where is my order?')
    expect(first.statusCode, first.body).toBe(201) // spent 0 < cap: answered, and paid
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/widget-keys/${k.id}`, headers: as(key) })
    expect(read.json().spentTodayUsd).toBeGreaterThan(0.000001)
    const calls = fake.requests.length
    const messages = await customerMessages()
    const refused = await say('and my refund?')
    expect(refused.statusCode, refused.body).toBe(429)
    expect(refused.json()).toMatchObject({
      code: 'rate_limited',
      detail: expect.stringMatching(/daily spending limit/),
    })
    const wait = Number(refused.headers['retry-after'])
    expect(wait).toBeGreaterThan(0)
    expect(wait).toBeLessThanOrEqual(24 * 3600)
    expect(fake.requests.length).toBe(calls) // the model was not called
    expect(await customerMessages()).toBe(messages) // nothing written

    // the owner raises the cap: answered again
    const raised = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/widget-keys/${k.id}`,
      headers: as(key),
      payload: { dailySpendCapUsd: 5 },
    })
    expect(raised.statusCode, raised.body).toBe(200)
    expect(raised.json()).toMatchObject({ dailySpendCapUsd: 5 })
    // (a new visitor: the first one used its per-client allowance of 3 a minute)
    const next = await visitor(k.publicKey, '192.0.2.21')
    expect((await next('and my refund?')).statusCode).toBe(201)
  })

  it('a new key is capped at 10 USD a day unless the owner says otherwise', async () => {
    expect((await widgetKey()).dailySpendCapUsd).toBe(10)
  })
})
