import { describe, expect, it } from 'vitest'
import { VARIANT_DEFAULTS, scoreVariants, weightsChanged, type VariantStats } from './variant-scoring.js'

const v = (
  variantId: string,
  n: number,
  resolved: number,
  handedOff = 0,
  csat: number | null = null,
  csatCount = 0,
): VariantStats => ({
  variantId,
  n,
  resolved,
  handedOff,
  csat,
  csatCount,
})

describe('variant scoring', () => {
  it('posteriors are Beta(1 + resolved, 1 + not resolved)', () => {
    const d = scoreVariants('e', [v('a', 40, 30), v('b', 40, 10)])
    expect(d.posteriors.a).toMatchObject({ alpha: 31, beta: 11, n: 40 })
    expect(d.posteriors.a!.mean).toBeCloseTo(31 / 42, 12)
    expect(d.posteriors.b).toMatchObject({ alpha: 11, beta: 31 })
  })

  it('waits for the minimum sample of every variant: no weights', () => {
    const d = scoreVariants('e', [v('a', 40, 30), v('b', 29, 5)])
    expect(d.weights).toBeNull()
    expect(d.reason).toContain('29/30')
  })

  it('Thompson weights = P(best) when no variant is sure yet, deterministic for the same data', () => {
    const o = { ...VARIANT_DEFAULTS, minSamplePerVariant: 10 }
    const d = scoreVariants('e', [v('a', 12, 7), v('b', 12, 5)], o)
    expect(d.winner).toBeNull()
    expect(d.weights!.a! + d.weights!.b!).toBeCloseTo(1, 3)
    expect(d.weights!.a).toBeGreaterThan(0.6)
    expect(d.weights!.a).toBeLessThan(0.95)
    expect(scoreVariants('e', [v('a', 12, 7), v('b', 12, 5)], o).weights).toEqual(d.weights)
  })

  it('stop rule: a Bayes factor ≥ 20 against every other variant declares the winner with weight 1', () => {
    const d = scoreVariants('e', [v('a', 40, 32), v('b', 40, 12)])
    expect(d.winner).toBe('a')
    expect(d.weights).toEqual({ a: 1, b: 0 })
    expect(d.reason).toContain('winner')
    // …unless stopping is left to a person; the worse variant keeps the exploration floor (10 %)
    const manual = scoreVariants('e', [v('a', 40, 32), v('b', 40, 12)], { ...VARIANT_DEFAULTS, stop: null })
    expect(manual.winner).toBeNull()
    expect(manual.weights!.a).toBeGreaterThan(0.89)
    expect(manual.weights!.b).toBeCloseTo(0.1, 3)
  })

  it('stop rule: P(best) ≥ 0.95 alone is not enough, nor is a guard on the other variant', () => {
    // 28/40 vs 20/40: P(best) ≈ 0.97, Bayes factor ≈ 1.3
    const close = scoreVariants('e', [v('a', 40, 28), v('b', 40, 20)])
    expect(close.posteriors.a!.pBest).toBeGreaterThan(0.95)
    expect(close.winner).toBeNull()
    // b is cut off for escalating (40 % vs 10 %), but on resolution the two are alike
    const guarded = scoreVariants('e', [v('a', 200, 100, 20), v('b', 200, 100, 80)])
    expect(guarded.posteriors.b!.guard).toContain('escalation')
    expect(guarded.winner).toBeNull()
    expect(guarded.weights).toEqual({ a: 1, b: 0 })
  })

  it('escalation guard: > 1.5× the best rate (and 5+ points above) gets weight 0', () => {
    // b resolves more, but escalates 36/120 = 30 % vs a's 12/120 = 10 % (ADR 0017: the counts must
    // make the difference plain, Bayes factor ≥ 20; 4/40 vs 12/40 no longer does)
    const d = scoreVariants('e', [v('a', 120, 60, 12), v('b', 120, 72, 36)], {
      ...VARIANT_DEFAULTS,
      stop: null,
    })
    expect(d.posteriors.b!.guard).toContain('escalation')
    expect(d.weights).toEqual({ a: 1, b: 0 })
    const early = scoreVariants('e', [v('a', 40, 20, 4), v('b', 40, 24, 12)], {
      ...VARIANT_DEFAULTS,
      stop: null,
    })
    expect(early.posteriors.b!.guard).toBeNull()
    // 0 % vs 2.5 %: 1 escalation is under the 5-point margin, no guard
    const small = scoreVariants('e', [v('a', 40, 20, 0), v('b', 40, 20, 1)], {
      ...VARIANT_DEFAULTS,
      stop: null,
    })
    expect(small.posteriors.b!.guard).toBeNull()
  })

  it('CSAT guard: a full point below the best with 10+ ratings each gets weight 0', () => {
    const d = scoreVariants('e', [v('a', 40, 20, 0, 4.5, 12), v('b', 40, 22, 0, 3.4, 12)], {
      ...VARIANT_DEFAULTS,
      stop: null,
    })
    expect(d.posteriors.b!.guard).toContain('CSAT')
    expect(d.weights!.b).toBe(0)
  })

  it('weights change only beyond the tolerance', () => {
    expect(weightsChanged({ a: 0.5, b: 0.5 }, { a: 0.5, b: 0.5 })).toBe(false)
    expect(weightsChanged({ a: 0.5 }, { a: 0.5, b: 0.5 })).toBe(true)
    expect(weightsChanged({ a: 0.5, b: 0.5 }, { a: 0.6, b: 0.4 })).toBe(true)
  })
})
