// What `make bench-scale` asks, shared by its load (scale.ts) and its query plans (scale-plans.ts).
import type { DataSetSummary, TenantSummary } from './generate/generate.js'
import { analyticsEndpoints } from './scenarios/analytics-latency.js'

const DAY = 24 * 3600 * 1000

/** The dashboard's endpoints (default range: 30 days), and query + ROI over the last year. */
export function scaleEndpoints(d: DataSetSummary): Record<string, string> {
  const year = `from=${new Date(Date.parse(d.until) - 365 * DAY).toISOString()}&to=${d.until}`
  return {
    ...analyticsEndpoints,
    query_365d: `${analyticsEndpoints.query}&${year}`,
    roi_365d: `/api/v1/analytics/roi?granularity=month&${year}`,
  }
}

/** The tenants measured: the one with the most events and the median one. */
export function scaleTenants(d: DataSetSummary): [string, TenantSummary][] {
  const bySize = [...d.organizations].sort((a, b) => b.events - a.events)
  return [
    ['largest', bySize[0]!],
    ['median', bySize[Math.floor(bySize.length / 2)]!],
  ]
}

/** Granules a plan reads, summed over its `ReadFromMergeTree` steps: the last index stage's count. */
export function granulesOf(plan: string): { selected: number; total: number; reads: number } {
  let selected = 0
  let total = 0
  let reads = 0
  // Each read step lists its index stages (MinMax, Partition, PrimaryKey…), each with
  // `Granules: a/b`; the last stage's `a` is what is read, the first stage's `b` the table's size.
  for (const step of plan.split(/ReadFromMergeTree/).slice(1)) {
    const counts = [...step.matchAll(/Granules: (\d+)\/(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])])
    if (!counts.length) continue
    reads++
    selected += counts[counts.length - 1]![0]!
    total += counts[0]![1]!
  }
  return { selected, total, reads }
}
