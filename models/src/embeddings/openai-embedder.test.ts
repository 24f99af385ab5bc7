import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai.js'
import { createOpenAIEmbedder } from './openai-embedder.js'

describe('createOpenAIEmbedder against a fake OpenAI server', () => {
  let fake: FakeOpenAI
  beforeAll(async () => {
    fake = await startFakeOpenAI({ embeddingDimension: 16 })
  })
  afterAll(async () => {
    await fake.close()
  })

  it('embeds in batches, in input order', async () => {
    const embedder = createOpenAIEmbedder({
      baseURL: fake.baseURL,
      apiKey: 'k',
      model: 'text-embedding-3-small',
      dimension: 16,
      batchSize: 2,
      timeoutMs: 2000,
    })
    const before = fake.requests.length
    const vecs = await embedder.embed(['a refund', 'shipping', 'a refund'])
    expect(vecs).toHaveLength(3)
    expect(vecs[0]).toHaveLength(16)
    expect(vecs[0]).toEqual(vecs[2])
    expect(fake.requests.length - before).toBe(2)
    expect(fake.requests.at(-1)?.body).toMatchObject({
      model: 'text-embedding-3-small',
      encoding_format: 'float',
    })
    expect(embedder.id).toBe('openai:text-embedding-3-small')
  })

  it('retries a 500 through the SDK', async () => {
    fake.failNext(1, 500)
    const embedder = createOpenAIEmbedder({
      baseURL: fake.baseURL,
      apiKey: 'k',
      model: 'm',
      timeoutMs: 2000,
      maxRetries: 1,
    })
    expect(await embedder.embed(['x'])).toHaveLength(1)
  })

  it('times out on a hanging server', async () => {
    fake.hangNext(1)
    const embedder = createOpenAIEmbedder({
      baseURL: fake.baseURL,
      apiKey: 'k',
      model: 'm',
      timeoutMs: 150,
      maxRetries: 0,
    })
    await expect(embedder.embed(['x'])).rejects.toThrow(/timed out|timeout/i)
  })
})
