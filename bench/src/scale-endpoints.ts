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

/**
 * The API's environment on a bench-scale data dir, for the served API (scale.ts) and the in-process
 * one that records the queries (scale-plans.ts): embedded stores unless `server`, no demo, no model
 * server, the scheduler at `pipelinesIntervalMs` ('0': off, the data set does not change).
 */
export function scaleApiEnv(
  dir: string,
  o: { server: boolean; pipelinesIntervalMs: string; logLevel: string },
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LUNEO_SECURE_COOKIES: 'false',
    LUNEO_SECRET: 'bench-secret-0123456789abcdef',
    LUNEO_DATA_DIR: dir,
    ...(o.server ? {} : { DATABASE_URL: '', CLICKHOUSE_URL: '' }),
    CHROMA_URL: '',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    LUNEO_DEMO: 'false',
    LUNEO_LOG_LEVEL: o.logLevel,
    LUNEO_RATE_LIMIT_PER_MINUTE: '100000000',
    LUNEO_PIPELINES_INTERVAL_MS: o.pipelinesIntervalMs,
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
