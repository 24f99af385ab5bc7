import { describe, expect, it } from 'vitest'
import { betaSample, gamma, probabilityBest, seedOf, seededRandom } from './beta.js'

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const variance = (xs: number[]) => {
  const m = mean(xs)
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length
}

describe('Beta sampler (Marsaglia–Tsang gammas)', () => {
  it.each([
    [1, 1],
    [2, 5],
    [31, 11],
    [0.5, 0.5],
    [120, 80],
  ])('Beta(%d, %d): sample mean and variance match α/(α+β) and αβ/((α+β)²(α+β+1))', (a, b) => {
    const random = seededRandom(seedOf(`${a}:${b}`))
    const xs = Array.from({ length: 40_000 }, () => betaSample(a, b, random))
    const m = a / (a + b)
    const v = (a * b) / ((a + b) ** 2 * (a + b + 1))
    // standard error of the mean over 40k draws is sqrt(v / 40k) ≤ 0.0025: 4 SE tolerance
    expect(Math.abs(mean(xs) - m)).toBeLessThan(4 * Math.sqrt(v / 40_000) + 1e-9)
    expect(variance(xs) / v).toBeGreaterThan(0.95)
    expect(variance(xs) / v).toBeLessThan(1.05)
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThanOrEqual(1)
  })

  it('Gamma(k) has mean k', () => {
    const random = seededRandom(7)
    for (const k of [0.3, 1, 4.5, 50]) {
      const xs = Array.from({ length: 20_000 }, () => gamma(k, random))
      expect(mean(xs) / k).toBeCloseTo(1, 1)
    }
  })

  it('is deterministic for a seed', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    expect(Array.from({ length: 5 }, () => betaSample(3, 4, a))).toEqual(
      Array.from({ length: 5 }, () => betaSample(3, 4, b)),
    )
  })
})

describe('P(best) by Monte Carlo', () => {
  it('two equal arms split evenly; a clearly better arm wins', () => {
    const even = probabilityBest(
      [
        { alpha: 11, beta: 11 },
        { alpha: 11, beta: 11 },
      ],
      20_000,
      seededRandom(1),
    )
    expect(even[0]).toBeCloseTo(0.5, 1)
    expect(even[0]! + even[1]!).toBeCloseTo(1, 9)
    // 24/30 vs 9/30 resolved: P(A > B) is essentially 1
    const clear = probabilityBest(
      [
        { alpha: 25, beta: 7 },
        { alpha: 10, beta: 22 },
      ],
      10_000,
      seededRandom(2),
    )
    expect(clear[0]).toBeGreaterThan(0.999)
  })

  it('matches the closed form P(A > B) for Beta(2,1) vs Beta(1,1) = 2/3', () => {
    // P(X > Y), X ~ Beta(2,1) (density 2x), Y ~ U(0,1): ∫ 2x · x dx = 2/3
    const p = probabilityBest(
      [
        { alpha: 2, beta: 1 },
        { alpha: 1, beta: 1 },
      ],
      60_000,
      seededRandom(3),
    )
    expect(Math.abs(p[0]! - 2 / 3)).toBeLessThan(0.01)
  })
})
