import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { estimateTokens, priceTable } from '@luneo/models'
import { startFakeOpenAI, type FakeOpenAI } from '@luneo/models/testing'
import { failedQuestions } from '@luneo/warehouse'
import { as, createKey, fakeOpenAIConfig, signup, startTestApp, type TestApp } from '../testing/harness.js'

// The OpenAI-compatible provider through the whole engine, against a real HTTP server speaking
// the OpenAI API: the reply, its tokens and cost, what leaves the building, and the fallback.

let fake: FakeOpenAI
let t: TestApp
let key: string
let agentId: string
let orgId: string
beforeAll(async () => {
  fake = await startFakeOpenAI()
  t = await startTestApp({
    openai: fakeOpenAIConfig(fake.baseURL),
  })
  const owner = await signup(t.app, 'ecommerce')
  orgId = owner.organizationId
  key = await createKey(t.app, owner, ['admin', 'conversations:write'])
  const agent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: as(key),
    payload: { name: 'shop bot' },
  })
  expect(agent.statusCode, agent.body).toBe(201)
  agentId = agent.json().id
})
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

async function conversation(): Promise<string> {
  const c = await t.app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: as(key),
    payload: { agentId, channel: 'api' },
  })
  return c.json().id
}

async function send(conversationId: string, text: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    headers: as(key),
    payload: { text },
  })
  expect(r.statusCode, r.body).toBe(201)
  return r.json()
}

const chatRequests = () => fake.requests.filter((r) => r.path === '/v1/chat/completions')

async function replySent(replyId: string) {
  const rows = await t.deps.db
    .selectFrom('outbox')
    .select('envelope')
    .where('type', '=', 'reply.sent')
    .execute()
  const found = rows
    .map((r) => r.envelope as { payload: Record<string, unknown> })
    .find((e) => e.payload.messageId === replyId)
  expect(found, `reply.sent for ${replyId}`).toBeDefined()
  return found!.payload
}

describe('the engine on an OpenAI-compatible server', () => {
  it('answers from the remote model, with its tokens priced from the table', async () => {
    const id = await conversation()
    const before = chatRequests().length
    const r = await send(id, 'How long does standard delivery take?')
    expect(chatRequests()).toHaveLength(before + 1)
    const sent = chatRequests().at(-1)!.body
    expect(sent.model).toBe('gpt-4o-mini')
    expect(sent.messages[0].role).toBe('system')
    // The retrieved knowledge travels in the system message for the model to ground on.
    expect(sent.messages[0].content).toContain('Context:')

    expect(r.reply).toMatch(/^Fake answer to: How long does standard delivery take\?/)
    expect(r.usage).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' })
    // The fake counts tokens like this; the engine must carry its numbers, not estimate its own.
    const promptText = sent.messages.map((m: { content: string }) => m.content).join('\n')
    const lastUser = sent.messages.at(-1).content as string
    expect(r.usage.promptTokens).toBe(estimateTokens(promptText))
    expect(r.usage.completionTokens).toBe(estimateTokens(`Fake answer to: ${lastUser}`))
    expect(r.usage.tokens).toBe(r.usage.promptTokens + r.usage.completionTokens)
    const price = priceTable['gpt-4o-mini']!
    expect(r.usage.costUsd).toBeCloseTo(
      (r.usage.promptTokens * price.input + r.usage.completionTokens * price.output) / 1_000_000,
      12,
    )
    expect(r.usage.costUsd).toBeGreaterThan(0)

    const event = await replySent(r.replyId)
    expect(event).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      fallback: false,
      promptTokens: r.usage.promptTokens,
      completionTokens: r.usage.completionTokens,
      costUsd: r.usage.costUsd,
    })
  })

  it('sends the model no raw PII: this turn and the history arrive redacted', async () => {
    const id = await conversation()
    const pii = 'My card 4111 1111 1111 1111 was charged twice, write to jane.doe@example.com'
    const first = await send(id, pii)
    await send(id, 'Any news on that refund?')
    const [turn1, turn2] = chatRequests()
      .slice(-2)
      .map((r) => JSON.stringify(r.body))
    for (const body of [turn1!, turn2!]) {
      expect(body).toContain('[EMAIL]')
      expect(body).toContain('[CARD]')
      expect(body).not.toContain('jane.doe@example.com')
      expect(body).not.toMatch(/4111[ -]?1111/)
    }
    expect(first.reply).toContain('[EMAIL]') // the fake echoes what it was sent
    // …while the conversation in Postgres keeps what the customer wrote.
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: as(key) })
    expect(detail.json().messages[0].text).toContain('jane.doe@example.com')
  })

  it('keeps the contact’s name and new PII kinds out of the remote prompt unless the organization allows names', async () => {
    const named = async () => {
      const id = await conversation()
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/messages`,
        headers: as(key),
        payload: {
          text: 'I was born on 12/03/1985, SSN 123-45-6789, I live at 221B Baker Street',
          contact: { name: 'Jeanne Martin', email: 'jeanne@example.com' },
        },
      })
      expect(r.statusCode, r.body).toBe(201)
      // the contact is known from the conversation's second turn on
      await send(id, 'And when does my order arrive?')
      return chatRequests()
        .slice(-2)
        .map((q) => JSON.stringify(q.body))
        .join('\n')
    }
    const closed = await named()
    expect(closed).not.toContain('Jeanne')
    expect(closed).toContain('[BIRTH_DATE]')
    expect(closed).toContain('[NATIONAL_ID]')
    expect(closed).toContain('[ADDRESS]')
    expect(closed).not.toMatch(/123-45-6789|Baker Street|12\/03\/1985/)

    const allow = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/organization/privacy',
      headers: as(key),
      payload: { namesToRemoteModels: true },
    })
    expect(allow.statusCode, allow.body).toBe(200)
    expect(allow.json().privacy).toEqual({ namesToRemoteModels: true })
    expect(await named()).toContain('Jeanne Martin')
    const back = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/organization/privacy',
      headers: as(key),
      payload: { namesToRemoteModels: false },
    })
    expect(back.json().privacy).toEqual({ namesToRemoteModels: false })
    expect(await named()).not.toContain('Jeanne')
  })

  it('reads the prompt version’s reply style in the system prompt (the local provider applies it)', async () => {
    const inject = (method: 'POST' | 'PATCH', url: string, payload: object) =>
      t.app.inject({ method, url: `/api/v1${url}`, headers: as(key), payload })
    const template = 'You are the assistant of {{business_name}}. Be {{tone_style}}.'
    const style = { maxSentences: 1, greeting: false, citeSources: true }
    const version = await inject('POST', '/prompt-versions', { name: 'brief', template, style })
    const agent = await inject('POST', '/agents', { name: 'styled bot' })
    const patched = await inject('PATCH', `/agents/${agent.json().id}`, {
      promptVersionId: version.json().id,
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const c = await inject('POST', '/conversations', { agentId: agent.json().id, channel: 'api' })
    await send(c.json().id, 'How long does standard delivery take?')
    const system = chatRequests().at(-1)!.body.messages[0].content as string
    expect(system).toMatch(
      /^You are the assistant of .+\nReply style: Answer in at most 1 sentence\. Do not greet/,
    )
    expect(system).toContain('(Source: <title>)')
  })

  it('counts a reply that abstains as unanswered, however well retrieval scored', async () => {
    const question = 'How long does standard delivery take?'
    const answered = await send(await conversation(), question)
    expect(answered.usage.provider).toBe('openai')
    expect(answered.grounded).toBe(true) // the same retrieval, an answer: grounded
    const since = new Date(Date.now() - 60_000)
    fake.setReply(() => "I'm sorry, I don't have that information. Please contact our support team.")
    const r = await send(await conversation(), question).finally(() =>
      fake.setReply((body) => `Fake answer to: ${body.messages.at(-1).content}`),
    )
    expect(r.reply).toMatch(/^I'm sorry, I don't have that information/)
    expect(r.grounded).toBe(false)
    const event = await replySent(r.replyId)
    expect(event).toMatchObject({ grounded: false, provider: 'openai' })
    expect(event.topScore as number).toBeGreaterThanOrEqual(t.deps.ai.minGroundingScore)

    // The pipelines read it as unanswered: a learning signal, and a failed question for the gaps.
    await t.drainer.drainAll()
    await t.deps.pipelines.runAll({ organizationId: orgId, only: 'learning_signals' })
    const rows = await t.deps.ch.query({
      query: 'SELECT unanswered FROM reply_signals_v1 FINAL WHERE reply_id = {id:UUID}',
      query_params: { id: r.replyId },
      format: 'JSONEachRow',
    })
    expect(await rows.json<{ unanswered: number }>()).toEqual([{ unanswered: 1 }])
    const failed = await failedQuestions(t.deps.ch, {
      organizationId: orgId,
      from: since,
      to: new Date(Date.now() + 60_000),
      limit: 10,
    })
    expect(failed.map((f) => f.reply_id)).toContain(r.replyId)
    expect(failed.map((f) => f.reply_id)).not.toContain(answered.replyId)
  })

  it('falls back to the local provider when every remote request fails', async () => {
    const id = await conversation()
    const before = chatRequests().length
    fake.failNext(1_000, 500)
    const r = await send(id, 'How long does standard delivery take?')
    expect(chatRequests().length).toBeGreaterThan(before + 1) // it retried before giving up
    expect(r.reply).not.toMatch(/^Fake answer/)
    expect(r.reply.length).toBeGreaterThan(20)
    expect(r.usage.provider).toBe('local')
    // Not asserted: usage.costUsd. The local provider echoes the requested model, so today a
    // fallback turn is priced at gpt-4o-mini rates (reported to the engine's owner).
    expect(await replySent(r.replyId)).toMatchObject({ provider: 'local', fallback: true })
  })
})
