/**
 * Vertical benchmarks, the pure part (docs/metrics.md § Vertical benchmarks): quartiles across
 * organizations and the k-anonymity rule that decides whether anything is published.
 */

/** Fewer contributing organizations than this and a vertical publishes nothing (k-anonymity). */
export const K_ANONYMITY = 5

export const BENCHMARK_METRICS = [
  'ai_resolution_rate',
  'escalation_rate',
  'csat',
  'median_response_latency_ms',
] as const
export type BenchmarkMetric = (typeof BENCHMARK_METRICS)[number]

/** One organization's numbers over the period (null: nothing to measure, e.g. no ratings). */
export interface OrgMetrics {
  organizationId: string
  vertical: string
  values: Record<BenchmarkMetric, number | null>
  /** intent → share of the organization's conversations. */
  intentShares: Record<string, number>
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, numpy's
 * default): position (n − 1)·q in the sorted values.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of nothing')
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}

export interface BenchmarkStat {
  metric: string
  organizations: number
  published: boolean
  p25: number | null
  median: number | null
  p75: number | null
}

/** Median and quartiles of one metric, or nothing when fewer than k organizations have a value. */
export function benchmarkOf(
  metric: string,
  values: readonly (number | null)[],
  k = K_ANONYMITY,
): BenchmarkStat {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v))
  if (xs.length < k)
    return { metric, organizations: xs.length, published: false, p25: null, median: null, p75: null }
  return {
    metric,
    organizations: xs.length,
    published: true,
    p25: quantile(xs, 0.25),
    median: quantile(xs, 0.5),
    p75: quantile(xs, 0.75),
  }
}

/**
 * A vertical's benchmarks from its organizations' metrics. Below k organizations, every stat is
 * unpublished. Intents (`intent:<name>`): the share of conversations, an organization without
 * the intent counting 0; the five with the highest median share are kept.
 */
export function verticalBenchmarks(orgs: readonly OrgMetrics[], k = K_ANONYMITY): BenchmarkStat[] {
  const metrics = BENCHMARK_METRICS.map((m) =>
    benchmarkOf(
      m,
      orgs.map((o) => o.values[m]),
      k,
    ),
  )
  if (orgs.length < k)
    return metrics.map((m) => ({ ...m, published: false, p25: null, median: null, p75: null }))
  const intents = new Set(orgs.flatMap((o) => Object.keys(o.intentShares)))
  const top = [...intents]
    .map((i) =>
      benchmarkOf(
        `intent:${i}`,
        orgs.map((o) => o.intentShares[i] ?? 0),
        k,
      ),
    )
    .sort((a, b) => b.median! - a.median! || a.metric.localeCompare(b.metric))
    .slice(0, 5)
  return [...metrics, ...top]
}
