import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai.js'
import { createLocalProvider } from './local-provider.js'
import { createOpenAIProvider } from './openai-provider.js'
import type { CompletionRequest } from './types.js'

const req: CompletionRequest = {
  model: 'gpt-4o-mini',
  system: 'You are the assistant of Shop.',
  messages: [{ role: 'user', content: 'How long do refunds take?' }],
  context: {
    chunks: [{ text: 'Refunds are issued within 5 business days.', score: 0.8, title: 'Refunds' }],
    tone: { greeting: 'Hi!' },
  },
}

describe('createOpenAIProvider against a fake OpenAI server', () => {
  let fake: FakeOpenAI
  beforeAll(async () => {
    fake = await startFakeOpenAI()
  })
  afterAll(async () => {
    await fake.close()
  })
  const provider = (extra: Partial<Parameters<typeof createOpenAIProvider>[0]> = {}) =>
    createOpenAIProvider({
      baseURL: fake.baseURL,
      apiKey: 'sk-test',
      timeoutMs: 2000,
      maxRetries: 2,
      backoffMs: 5,
      ...extra,
    })

  it('completes, sends context in the system message and reports usage', async () => {
    fake.requests.length = 0
    const r = await provider().complete(req)
    expect(r).toMatchObject({
      text: 'Fake answer to: How long do refunds take?',
      grounded: true,
      provider: 'openai',
      model: 'gpt-4o-mini',
    })
    expect(r.usage.promptTokens).toBeGreaterThan(0)
    expect(r.usage.completionTokens).toBeGreaterThan(0)
    const sent = fake.requests[0]!
    expect(sent.headers.authorization).toBe('Bearer sk-test')
    expect(sent.body.messages[0].content).toContain('[1] Refunds: Refunds are issued within 5 business days.')
    expect(sent.body.messages[1]).toEqual({ role: 'user', content: 'How long do refunds take?' })
  })

  it('accumulates a streamed answer with usage', async () => {
    fake.setReply(() => 'Refunds take up to five business days.')
    const r = await provider().complete({ ...req, stream: true, maxTokens: 50 })
    expect(r.text).toBe('Refunds take up to five business days.')
    expect(r.usage.completionTokens).toBeGreaterThan(0)
    expect(fake.requests.at(-1)?.body).toMatchObject({ stream: true, max_tokens: 50 })
    fake.setReply((b) => `Fake answer to: ${b.messages.at(-1).content}`)
  })

  it('is not grounded when retrieval was weak', async () => {
    const r = await provider().complete({ ...req, context: { chunks: [{ text: 'x', score: 0.1 }] } })
    expect(r.grounded).toBe(false)
  })

  it('retries 500 and 429 with backoff, then succeeds', async () => {
    const before = fake.requests.length
    fake.failNext(1, 500)
    fake.failNext(1, 429)
    const r = await provider().complete(req)
    expect(r.provider).toBe('openai')
    expect(fake.requests.length - before).toBe(3)
  })

  it('falls back to the local provider when the remote keeps failing', async () => {
    const before = fake.requests.length
    fake.failNext(3, 503)
    const r = await provider({ fallback: createLocalProvider() }).complete(req)
    expect(r.provider).toBe('local')
    expect(r.fallbackFrom?.error).toMatch(/^503/)
    expect(r.text).toContain('Refunds are issued within 5 business days.')
    expect(fake.requests.length - before).toBe(3)
  })

  it('throws without a fallback and does not retry 4xx', async () => {
    fake.failNext(3, 500)
    await expect(provider().complete(req)).rejects.toThrow()
    const before = fake.requests.length
    fake.failNext(1, 400)
    await expect(provider().complete(req)).rejects.toThrow()
    expect(fake.requests.length - before).toBe(1)
  })

  it('times out a hanging server, retries, and falls back when every attempt hangs', async () => {
    fake.hangNext(1)
    const t0 = Date.now()
    // 1 s, not 200 ms: the retry after the hang must be answered within it, even on a loaded CI.
    const ok = await provider({ timeoutMs: 1_000 }).complete(req)
    expect(ok.provider).toBe('openai')
    fake.hangNext(2)
    const r = await provider({ timeoutMs: 1_000, maxRetries: 1, fallback: createLocalProvider() }).complete(
      req,
    )
    expect(r.provider).toBe('local')
    expect(r.fallbackFrom?.error).toMatch(/time|abort/i)
    // ~3.5 s of timeouts and backoff; the bound only has to tell that from a 20 s default-timeout
    // hang, with room for a loaded CI.
    expect(Date.now() - t0).toBeLessThan(10_000)
  })
})
