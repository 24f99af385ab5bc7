import { describe, expect, it } from 'vitest'
import { createRng } from '../text/text-features.js'
import { fitLogistic, predictLogistic } from './logistic.js'

describe('fitLogistic', () => {
  it('recovers the direction of a separable rule and predicts calibrated probabilities', () => {
    const rng = createRng(7)
    const x = Array.from({ length: 2000 }, () => [rng(), rng() * 10])
    // P(y=1) = σ(8·(x0 − 0.5)): the second feature is noise on another scale.
    const y = x.map(([a]) => (rng() < 1 / (1 + Math.exp(-8 * (a! - 0.5))) ? 1 : 0))
    const m = fitLogistic(x, y)
    expect(m.weights[0]! / m.scale[0]!).toBeGreaterThan(6)
    expect(Math.abs(m.weights[1]! / m.scale[1]!)).toBeLessThan(0.2)
    expect(predictLogistic(m, [0.5, 5])).toBeCloseTo(0.5, 1)
    expect(predictLogistic(m, [0.9, 5])).toBeGreaterThan(0.9)
  })

  it('weighs rows: a class weighed up moves the boundary towards the other', () => {
    const x = [[0], [1], [2], [3]]
    const y = [0, 0, 1, 1]
    const plain = predictLogistic(fitLogistic(x, y), [1.5])
    const heavy = predictLogistic(fitLogistic(x, y, { rowWeights: [1, 1, 5, 5] }), [1.5])
    expect(heavy).toBeGreaterThan(plain)
    expect(() => fitLogistic([], [])).toThrow(/0 rows/)
  })
})
