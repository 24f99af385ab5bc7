import { K_ANONYMITY } from '@luneo/pipelines'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'

interface StatRow {
  metric: string
  organizations: number | string
  published: number | string
  p25: number | null
  median: number | null
  p75: number | null
  period_start: string
  period_end: string
}

const NOT_PUBLISHED = `fewer than ${K_ANONYMITY} organizations`
const isoOf = (chTime: string) => new Date(`${chTime.replace(' ', 'T')}Z`).toISOString()

/** The vertical's latest benchmarks (vertical_insights_v1); no organization id is stored there. */
async function latestBenchmarks(deps: AppDeps, vertical: string): Promise<StatRow[]> {
  const rs = await deps.ch.query({
    query: `
      SELECT metric, organizations, published, p25, median, p75,
             toString(period_start) AS period_start, toString(period_end) AS period_end
      FROM vertical_benchmarks_v1 FINAL
      WHERE vertical = {vertical:String}
        AND period_day = (SELECT max(period_day) FROM vertical_benchmarks_v1 WHERE vertical = {vertical:String})
      ORDER BY metric`,
    query_params: { vertical },
    format: 'JSONEachRow',
  })
  return rs.json<StatRow>()
}

/** The caller's own values for the same day: only ever read with the caller's organization id. */
async function ownValues(deps: AppDeps, auth: Auth, day: string): Promise<Map<string, number | null>> {
  const rs = await deps.ch.query({
    query: `
      SELECT metric, value FROM vertical_org_metrics_v1 FINAL
      WHERE organization_id = {org:UUID} AND period_day = {day:Date}`,
    query_params: { org: auth.organizationId, day },
    format: 'JSONEachRow',
  })
  const rows = await rs.json<{ metric: string; value: number | null }>()
  return new Map(rows.map((r) => [r.metric, r.value]))
}

/**
 * The caller's vertical benchmarks: each metric's median and quartiles across organizations,
 * with the caller's own value beside them — never another organization's value. Nothing is
 * published below 5 contributing organizations (k-anonymity).
 */
export async function benchmarksFor(deps: AppDeps, auth: Auth) {
  const vertical = auth.vertical
  const rows = await latestBenchmarks(deps, vertical)
  const head = rows.find((r) => r.metric === 'ai_resolution_rate')
  if (!head || rows.every((r) => Number(r.published) === 0))
    return { published: false as const, vertical, reason: NOT_PUBLISHED }
  const day = head.period_end.slice(0, 10)
  const own = await ownValues(deps, auth, day)
  const toRow = (r: StatRow) => ({
    metric: r.metric.replace(/^intent:/, ''),
    own: own.get(r.metric) ?? (r.metric.startsWith('intent:') ? 0 : null),
    p25: r.p25,
    median: r.median,
    p75: r.p75,
    organizations: Number(r.organizations),
    published: Number(r.published) === 1,
  })
  return {
    published: true as const,
    vertical,
    period: { from: isoOf(head.period_start), to: isoOf(head.period_end) },
    organizations: Number(head.organizations),
    metrics: rows.filter((r) => !r.metric.startsWith('intent:')).map(toRow),
    topIntents: rows
      .filter((r) => r.metric.startsWith('intent:'))
      .map(toRow)
      .sort((a, b) => (b.median ?? 0) - (a.median ?? 0)),
  }
}
