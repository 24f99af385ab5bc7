import { costUsd, priceTable } from '@luneo/models'
import { describe, expect, it } from 'vitest'
import { loadConfig, pricesFor } from './config.js'

const env = (extra: Record<string, string> = {}) => ({ NODE_ENV: 'test', ...extra }) as NodeJS.ProcessEnv

describe('LUNEO_PRICES', () => {
  it('defaults to the built-in list prices', () => {
    const prices = pricesFor(loadConfig(env()))
    expect(prices['gpt-4o-mini']).toEqual(priceTable['gpt-4o-mini'])
    expect(prices.local).toEqual({ input: 0, output: 0 })
  })

  it('lays the operator’s entries over the defaults: a contract price, a self-hosted model and "*"', () => {
    const config = loadConfig(
      env({
        LUNEO_PRICES: JSON.stringify({
          'gpt-4o-mini': { input: 0.1, output: 0.4 },
          'llama-3.1-70b': { input: 0.6, output: 0.6 },
          '*': { input: 1, output: 2 },
        }),
      }),
    )
    const prices = pricesFor(config)
    expect(prices['gpt-4o-mini']).toEqual({ input: 0.1, output: 0.4 })
    expect(prices['gpt-4o']).toEqual(priceTable['gpt-4o']) // untouched entries stay
    const usage = { promptTokens: 1_000_000, completionTokens: 500_000 }
    expect(costUsd('gpt-4o-mini-2024-07-18', usage, prices)).toBeCloseTo(0.3)
    expect(costUsd('llama-3.1-70b', usage, prices)).toBeCloseTo(0.9)
    expect(costUsd('some-new-model', usage, prices)).toBeCloseTo(2) // the "*" entry
  })

  it('refuses a malformed table at start rather than pricing turns wrongly', () => {
    expect(() => loadConfig(env({ LUNEO_PRICES: '{not json' }))).toThrow(/JSON object/)
    expect(() => loadConfig(env({ LUNEO_PRICES: '{"m":{"input":-1,"output":1}}' }))).toThrow()
    expect(() => loadConfig(env({ LUNEO_PRICES: '{"m":{"input":1}}' }))).toThrow()
    expect(() => loadConfig(env({ LUNEO_PRICES: '[1,2]' }))).toThrow()
  })
  it('refuses at start a configured remote model that has no price (never a silent cost of 0)', () => {
    const remote = { OPENAI_API_KEY: 'sk-test', LUNEO_OPENAI_MODEL: 'my-fine-tune' }
    expect(() => loadConfig(env(remote))).toThrow(/"my-fine-tune" has no price/)
    const priced = loadConfig(env({ ...remote, LUNEO_PRICES: '{"my-fine-tune":{"input":1,"output":2}}' }))
    expect(priced.openai?.model).toBe('my-fine-tune')
    expect(() => loadConfig(env({ ...remote, LUNEO_PRICES: '{"*":{"input":1,"output":2}}' }))).not.toThrow()
    const embeddings = {
      OPENAI_API_KEY: 'sk-test',
      LUNEO_EMBEDDINGS: 'openai',
      LUNEO_OPENAI_EMBEDDING_MODEL: 'emb-x',
    }
    expect(() => loadConfig(env(embeddings))).toThrow(/"emb-x" has no price/)
    expect(() => loadConfig(env({ LUNEO_OPENAI_MODEL: 'my-fine-tune' }))).not.toThrow() // local provider: unused
  })
})

describe('the refresh wait (issue 12)', () => {
  it('waits 30 s by default, on the outbox only when no broker is named', () => {
    const config = loadConfig(env())
    expect(config.refreshWaitMs).toBe(30_000)
    expect(config.stream).toBeUndefined()
  })

  it('also waits on the Kafka sink group when KAFKA_BROKERS is set', () => {
    const config = loadConfig(
      env({ KAFKA_BROKERS: 'k1:9092, k2:9092', LUNEO_SINK_GROUP: 'sink-eu', LUNEO_REFRESH_WAIT_MS: '5000' }),
    )
    expect(config.refreshWaitMs).toBe(5_000)
    expect(config.stream).toEqual({
      brokers: ['k1:9092', 'k2:9092'],
      topic: 'luneo.events',
      sinkGroup: 'sink-eu',
    })
  })
})
