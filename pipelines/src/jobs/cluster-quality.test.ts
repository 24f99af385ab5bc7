import { describe, expect, it } from 'vitest'
import { adjustedRandIndex, majorityLabel, purity, topGapAccuracy } from './cluster-quality.js'

describe('cluster quality against labels, by hand', () => {
  // Clusters {a a b} {b b} {c}: majorities 2 + 2 + 1 of 6.
  const clusters = [['a', 'a', 'b'], ['b', 'b'], ['c']]

  it('purity: items carrying their cluster’s majority label ÷ items', () => {
    expect(purity(clusters)).toBeCloseTo(5 / 6, 12)
    expect(purity([['a'], ['a']])).toBe(1)
    expect(purity([])).toBe(0)
  })

  it('adjusted Rand index (Hubert & Arabie): the contingency table worked out', () => {
    // cells: (a,1)=2 (b,1)=1 (b,2)=2 (c,3)=1 → Σ C(n_ij, 2) = 1 + 0 + 1 + 0 = 2
    // clusters 3, 2, 1 → Σ C(a_i, 2) = 3 + 1 + 0 = 4; labels a 2, b 3, c 1 → Σ C(b_j, 2) = 1 + 3 = 4
    // expected = 4 × 4 / C(6, 2) = 16 / 15; max = (4 + 4) / 2 = 4
    const expected = 16 / 15
    expect(adjustedRandIndex(clusters)).toBeCloseTo((2 - expected) / (4 - expected), 12)
    expect(
      adjustedRandIndex([
        ['a', 'a'],
        ['b', 'b', 'b'],
      ]),
    ).toBe(1)
    // everything in one cluster, two labels: no better than chance
    expect(adjustedRandIndex([['a', 'a', 'b', 'b']])).toBeCloseTo(0, 12)
  })

  it('top gaps: precision counts gaps on a missing topic, recall distinct missing topics', () => {
    const ranked = [
      ['m1', 'm1', 'k'],
      ['m1', 'm1'],
      ['k', 'k', 'm2'],
      ['m2', 'm2', 'm2'],
    ]
    // top 3: m1, m1, k → precision 2/3; distinct missing topics {m1} of {m1, m2, m3} → 1/3
    expect(topGapAccuracy(ranked, ['m1', 'm2', 'm3'], 3)).toEqual({ precision: 2 / 3, recall: 1 / 3 })
    expect(topGapAccuracy(ranked, ['m1', 'm2'], 4)).toEqual({ precision: 3 / 4, recall: 1 })
    expect(majorityLabel(['b', 'a', 'a', 'b'])).toBe('a')
  })
})
