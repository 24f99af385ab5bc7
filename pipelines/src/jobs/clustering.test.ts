import { describe, expect, it } from 'vitest'
import { averageLinkageMerges, centroid, clusterByThreshold, cosineSimilarity } from './clustering.js'

// Points on the unit circle at these angles (degrees): cosine distance = 1 − cos(Δangle).
const at = (deg: number) => [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)]
const dist = (deg: number) => 1 - Math.cos((deg * Math.PI) / 180)

describe('average-linkage agglomerative clustering on cosine distance', () => {
  it('merges in the order and at the heights computed by hand', () => {
    // 0°, 10°, 90°, 100°: pairs (0,10) and (90,100) at 1 − cos 10°; then the two groups at the
    // average of the four cross distances: cos 90°, cos 100°, cos 80°, cos 90° → 1 − mean.
    const merges = averageLinkageMerges([at(0), at(10), at(90), at(100)])
      .map((m) => m.distance)
      .sort((a, b) => a - b)
    const cross =
      1 - (Math.cos(Math.PI / 2) * 2 + Math.cos((100 * Math.PI) / 180) + Math.cos((80 * Math.PI) / 180)) / 4
    expect(merges[0]).toBeCloseTo(dist(10), 12)
    expect(merges[1]).toBeCloseTo(dist(10), 12)
    expect(merges[2]).toBeCloseTo(cross, 12)
  })

  it('uses the average of all pairs, not the closest pair (single) or farthest (complete)', () => {
    // A = {0°, 10°} first (10° apart), then 35°: mean(1 − cos 35°, 1 − cos 25°)
    const merges = averageLinkageMerges([at(0), at(10), at(35)])
    const last = merges[merges.length - 1]!
    expect(last.distance).toBeCloseTo((dist(35) + dist(25)) / 2, 12)
  })

  it('cuts at the threshold without a preset count', () => {
    const points = [at(0), at(5), at(3), at(120), at(125), at(240)]
    expect(clusterByThreshold(points, dist(20))).toEqual([[0, 1, 2], [3, 4], [5]])
    expect(clusterByThreshold(points, 0)).toHaveLength(6)
    expect(clusterByThreshold(points, 2)).toEqual([[0, 1, 2, 3, 4, 5]])
  })

  it('handles empty input, one point and zero vectors', () => {
    expect(clusterByThreshold([], 0.5)).toEqual([])
    expect(clusterByThreshold([[1, 0]], 0.5)).toEqual([[0]])
    // zero vectors are at distance 1 from everything: they stay alone below 1
    expect(
      clusterByThreshold(
        [
          [0, 0],
          [1, 0],
          [1, 0.01],
        ],
        0.5,
      ),
    ).toEqual([[1, 2], [0]])
  })

  it('gives the same clusters whatever the input order', () => {
    const points = [at(0), at(5), at(3), at(120), at(125), at(240), at(244)]
    const order = [6, 2, 4, 0, 5, 1, 3]
    const shuffled = order.map((i) => points[i]!)
    const back = clusterByThreshold(shuffled, dist(20))
      .map((c) => c.map((i) => order[i]!).sort((a, b) => a - b))
      .sort((a, b) => a[0]! - b[0]!)
    expect(back).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ])
  })
})

describe('centroid', () => {
  it('is the normalised mean direction', () => {
    const c = centroid([at(0), at(90)])
    expect(c[0]).toBeCloseTo(Math.SQRT1_2, 12)
    expect(c[1]).toBeCloseTo(Math.SQRT1_2, 12)
    expect(cosineSimilarity(c, at(45))).toBeCloseTo(1, 12)
    expect(cosineSimilarity([0, 0], [1, 0])).toBe(0)
  })
})
