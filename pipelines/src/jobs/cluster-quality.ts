/**
 * How well clusters recover known labels: purity, adjusted Rand index, and the precision / recall
 * of the top-ranked gaps against the topics the knowledge misses. Pure; used by the gap quality
 * test on the labelled data sets and by the tuning script (bench/src/tune-gaps.ts).
 */

/** Share of items that carry their cluster's majority label (1 = every cluster is one label). */
export function purity(clusters: readonly (readonly string[])[]): number {
  let n = 0
  let majority = 0
  for (const labels of clusters) {
    n += labels.length
    majority += Math.max(0, ...countBy(labels).values())
  }
  return n === 0 ? 0 : majority / n
}

function countBy(labels: readonly string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1)
  return m
}

const pairs = (k: number) => (k * (k - 1)) / 2

/**
 * Adjusted Rand index (Hubert & Arabie 1985) of a clustering against labels: pair agreement
 * corrected for chance — 1 for identical partitions, ≈ 0 for random ones (may go below 0).
 * `clusters` holds each cluster's items as their labels.
 */
export function adjustedRandIndex(clusters: readonly (readonly string[])[]): number {
  let n = 0
  let sumCells = 0
  let sumRows = 0
  const byLabel = new Map<string, number>()
  for (const labels of clusters) {
    n += labels.length
    sumRows += pairs(labels.length)
    for (const [l, c] of countBy(labels)) {
      sumCells += pairs(c)
      byLabel.set(l, (byLabel.get(l) ?? 0) + c)
    }
  }
  let sumCols = 0
  for (const c of byLabel.values()) sumCols += pairs(c)
  const expected = n < 2 ? 0 : (sumRows * sumCols) / pairs(n)
  const max = (sumRows + sumCols) / 2
  // Both partitions all singletons (or one cluster matching one label): agreement is perfect.
  return max === expected ? 1 : (sumCells - expected) / (max - expected)
}

/** The label most of a cluster's items carry (ties: the first in alphabetical order). */
export function majorityLabel(labels: readonly string[]): string {
  return [...countBy(labels)].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? ''
}

/**
 * Precision and recall of the top `k` gaps (ranked first) against the `missing` topics, as the
 * flywheel test reads them: precision = top gaps whose majority label is a missing topic ÷ top
 * gaps; recall = distinct missing topics among them ÷ missing topics.
 */
export function topGapAccuracy(
  ranked: readonly (readonly string[])[],
  missing: readonly string[],
  k: number,
): { precision: number; recall: number } {
  const top = ranked.slice(0, k).map(majorityLabel)
  const wanted = new Set(missing)
  const hits = top.filter((l) => wanted.has(l))
  return {
    precision: top.length === 0 ? 0 : hits.length / top.length,
    recall: wanted.size === 0 ? 1 : new Set(hits).size / wanted.size,
  }
}
