import { describe, expect, it } from 'vitest'
import { chooseVariant } from './variants.js'

const v = (id: string, weight: number | null) => ({
  experiment_id: 'e',
  variant_id: id,
  label: id,
  template: 't',
  style: id === 'b' ? { maxSentences: 1 } : null,
  weight,
})

describe('chooseVariant', () => {
  it('splits traffic equally before the pipelines decide', () => {
    const counts = { a: 0, b: 0 }
    let x = 0
    const rnd = () => ((x = (x * 9301 + 49297) % 233280), x / 233280)
    for (let i = 0; i < 10_000; i++)
      counts[chooseVariant([v('a', null), v('b', null)], rnd)!.variantId as 'a' | 'b']++
    expect(counts.a / 10_000).toBeGreaterThan(0.45)
    expect(counts.a / 10_000).toBeLessThan(0.55)
  })
  it('follows the weights once written', () => {
    expect(chooseVariant([v('a', 0.9), v('b', 0.1)], () => 0.85)!.variantId).toBe('a')
    expect(chooseVariant([v('a', 0.9), v('b', 0.1)], () => 0.95)!.variantId).toBe('b')
    expect(chooseVariant([v('a', 0), v('b', 1)], () => 0)!.variantId).toBe('b')
  })
  it('carries the variant’s reply style', () => {
    expect(chooseVariant([v('a', 0), v('b', 1)], () => 0)!.style).toEqual({ maxSentences: 1 })
    expect(chooseVariant([v('a', 1), v('b', 0)], () => 0)!.style).toBeUndefined()
  })
  it('no experiment, no variant', () => expect(chooseVariant([])).toBeNull())
})
