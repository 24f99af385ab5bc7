import { describe, expect, it } from 'vitest'
import { costUsd, findPrice, priceTable } from './pricing.js'

describe('costUsd', () => {
  it('prices by the million tokens, hand-computed', () => {
    // gpt-4o-mini: 1000 × 0.15 / 1e6 + 500 × 0.60 / 1e6 = 0.00015 + 0.0003
    expect(costUsd('gpt-4o-mini', { promptTokens: 1000, completionTokens: 500 })).toBeCloseTo(0.00045, 10)
  })
  it('matches dated snapshots by longest prefix and local models cost nothing', () => {
    expect(findPrice('gpt-4o-mini-2024-07-18')).toEqual(priceTable['gpt-4o-mini'])
    expect(findPrice('gpt-4o-2024-08-06')).toEqual(priceTable['gpt-4o'])
    expect(costUsd('local-extractive-v1', { promptTokens: 1e6, completionTokens: 1e6 })).toBe(0)
  })
  it('takes a custom table, with "*" as catch-all, and refuses unknown models otherwise', () => {
    const table = { 'llama-3.1-8b': { input: 0.05, output: 0.08 }, '*': { input: 1, output: 1 } }
    expect(costUsd('llama-3.1-8b', { promptTokens: 2e6, completionTokens: 1e6 }, table)).toBeCloseTo(0.18, 10)
    expect(costUsd('mystery', { promptTokens: 1e6, completionTokens: 0 }, table)).toBe(1)
    expect(() => costUsd('mystery', { promptTokens: 1, completionTokens: 1 })).toThrow(/no price/)
  })
})
