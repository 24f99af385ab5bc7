import { describe, expect, it } from 'vitest'
import { normalCdf, normalProbabilityBest, probabilityBest, seededRandom } from './beta.js'
import { barFor, logBayesFactor, stopDecision } from './stop-rule.js'

const beta = (resolved: number, n: number) => ({ alpha: 1 + resolved, beta: 1 + n - resolved })
const rule = { bayesFactor: 20, priorSd: 0.1 }

describe('logBayesFactor', () => {
  it('is symmetric, below 0 for equal rates and grows with the evidence', () => {
    expect(logBayesFactor(beta(30, 60), beta(20, 60), 0.1)).toBeCloseTo(
      logBayesFactor(beta(20, 60), beta(30, 60), 0.1),
      12,
    )
    expect(logBayesFactor(beta(50, 100), beta(50, 100), 0.1)).toBeLessThan(0)
    // the same 0.6 vs 0.5 rates: more conversations, more evidence
    const at = (n: number) => logBayesFactor(beta(0.6 * n, n), beta(0.5 * n, n), 0.1)
    expect(at(100)).toBeLessThan(at(400))
    expect(at(400)).toBeLessThan(at(1600))
    expect(Math.exp(at(1600))).toBeGreaterThan(20)
  })

  it('matches the closed form log N(d; 0, V + τ²) − log N(d; 0, V)', () => {
    const a = beta(32, 40)
    const b = beta(12, 40)
    const m = (p: typeof a) => p.alpha / (p.alpha + p.beta)
    const v = (p: typeof a) => (p.alpha * p.beta) / ((p.alpha + p.beta) ** 2 * (p.alpha + p.beta + 1))
    const d = m(a) - m(b)
    const V = v(a) + v(b)
    const logN = (x: number, s2: number) => -0.5 * Math.log(2 * Math.PI * s2) - (x * x) / (2 * s2)
    expect(logBayesFactor(a, b, 0.1)).toBeCloseTo(logN(d, V + 0.01) - logN(d, V), 10)
  })
})

describe('stopDecision', () => {
  it('the leader wins only against every other arm; the bar grows with the pairs', () => {
    expect(barFor(rule, 2)).toBe(20)
    expect(barFor(rule, 3)).toBe(60)
    const arms = new Map([
      ['a', beta(320, 400)],
      ['b', beta(200, 400)],
      ['c', beta(310, 400)],
    ])
    // a beats b by far, but not c: no winner
    expect(stopDecision(arms, ['a', 'b', 'c'], rule).winner).toBeNull()
    arms.set('c', beta(240, 400))
    expect(stopDecision(arms, ['a', 'b', 'c'], rule).winner).toBe('a')
    // a guarded leader cannot win; the next one must beat it, which it does not
    expect(stopDecision(arms, ['b', 'c'], rule).winner).toBeNull()
  })
})

describe('normalProbabilityBest (the simulations’ traffic weights)', () => {
  it('is within 0.01 of 10k Monte Carlo draws from 30 conversations an arm', () => {
    for (const [a, b] of [
      [beta(15, 30), beta(18, 30)],
      [beta(21, 30), beta(12, 30)],
      [beta(180, 300), beta(170, 290)],
      [beta(40, 400), beta(10, 35)],
    ] as const) {
      const mc = probabilityBest([a, b], 10_000, seededRandom(7))
      expect(Math.abs(normalProbabilityBest([a, b])[0]! - mc[0]!)).toBeLessThan(0.01)
    }
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6)
  })
})
