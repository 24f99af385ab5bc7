import { K_ANONYMITY } from '@luneo/pipelines'
import {
  latestVerticalBenchmarks,
  organizationBenchmarkValues,
  type VerticalBenchmarkRow,
} from '@luneo/warehouse'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'

const NOT_PUBLISHED = `fewer than ${K_ANONYMITY} organizations`

/**
 * The caller's vertical benchmarks: each metric's median and quartiles across organizations,
 * with the caller's own value beside them — never another organization's value. Nothing is
 * published below 5 contributing organizations (k-anonymity).
 */
export async function benchmarksFor(deps: AppDeps, auth: Auth) {
  const vertical = auth.vertical
  const rows = await latestVerticalBenchmarks(deps.ch, { vertical })
  const head = rows.find((r) => r.metric === 'ai_resolution_rate')
  if (!head || rows.every((r) => !r.published))
    return { published: false as const, vertical, reason: NOT_PUBLISHED }
  const day = head.period_end.slice(0, 10)
  // The caller's own values for the same day: only ever read with the caller's organization id.
  const own = await organizationBenchmarkValues(deps.ch, { organizationId: auth.organizationId, day })
  const toRow = (r: VerticalBenchmarkRow) => ({
    metric: r.metric.replace(/^intent:/, ''),
    own: own.get(r.metric) ?? (r.metric.startsWith('intent:') ? 0 : null),
    p25: r.p25,
    median: r.median,
    p75: r.p75,
    organizations: r.organizations,
    published: r.published,
  })
  return {
    published: true as const,
    vertical,
    period: { from: head.period_start, to: head.period_end },
    organizations: head.organizations,
    metrics: rows.filter((r) => !r.metric.startsWith('intent:')).map(toRow),
    topIntents: rows
      .filter((r) => r.metric.startsWith('intent:'))
      .map(toRow)
      .sort((a, b) => (b.median ?? 0) - (a.median ?? 0)),
  }
}
