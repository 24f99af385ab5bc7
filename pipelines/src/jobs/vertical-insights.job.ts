import type { Ch } from '@luneo/warehouse'
import { defineJob } from '../runner/job.js'
import { chTime } from './conversation-events.js'
import { verticalBenchmarks, K_ANONYMITY, type OrgMetrics } from './vertical-insights.js'

const DAY = 24 * 3600 * 1000

type Num = number | string | null
const num = (v: Num): number | null => (v === null ? null : Number(v))

/**
 * Each organization's metrics over [from, to): resolution and escalation rates and CSAT from
 * conversation_outcomes_v1 (same definitions as the semantic layer), median reply latency from
 * reply_signals_v1, intent shares. Only organizations with `minClosed` closed conversations count.
 */
async function orgMetrics(ch: Ch, from: Date, to: Date, minClosed: number): Promise<OrgMetrics[]> {
  const params = { from: chTime(from.getTime()), to: chTime(to.getTime()), min: minClosed }
  const rs = await ch.query({
    query: `
      WITH o AS (
        SELECT * FROM conversation_outcomes_v1 FINAL
        WHERE started_at >= {from:DateTime64(3)} AND started_at < {to:DateTime64(3)}),
      lat AS (
        SELECT organization_id, quantileExactInclusive(0.5)(latency_ms) AS median_latency
        FROM reply_signals_v1 FINAL
        WHERE replied_at >= {from:DateTime64(3)} AND replied_at < {to:DateTime64(3)}
        GROUP BY organization_id)
      SELECT toString(o.organization_id) AS org, any(o.vertical) AS vertical,
             sum(o.resolved) / nullIf(sum(o.closed), 0) AS resolution,
             sum(o.handed_off) / count() AS escalation,
             avgOrNull(o.csat) AS mean_csat,
             any(lat.median_latency) AS latency,
             toJSONString(CAST(sumMap(map(o.intent, toUInt64(1))) AS Map(String, UInt64))) AS intents,
             count() AS conversations
      FROM o LEFT JOIN lat ON lat.organization_id = o.organization_id
      GROUP BY o.organization_id
      HAVING sum(o.closed) >= {min:UInt32}
      ORDER BY org`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const rows = await rs.json<{
    org: string
    vertical: string
    resolution: Num
    escalation: Num
    mean_csat: Num
    latency: Num
    intents: string
    conversations: Num
  }>()
  return rows.map((r) => {
    const counts = JSON.parse(r.intents) as Record<string, number>
    const total = Number(r.conversations)
    const shares = Object.fromEntries(
      Object.entries(counts)
        .filter(([intent]) => intent !== '')
        .map(([intent, c]) => [intent, Number(c) / total]),
    )
    return {
      organizationId: r.org,
      vertical: r.vertical,
      values: {
        ai_resolution_rate: num(r.resolution),
        escalation_rate: num(r.escalation),
        csat: num(r.mean_csat),
        median_response_latency_ms: num(r.latency),
      },
      intentShares: shares,
    }
  })
}

/**
 * Vertical insights (global): per vertical, over the 30 days before the run, the median and
 * quartiles of each metric across organizations — published only with ≥ 5 contributors — and each
 * organization's own values (read back only by that organization).
 */
export function createVerticalInsights(
  options: { minClosed?: number; k?: number; periodDays?: number } = {},
) {
  const { minClosed = 5, k = K_ANONYMITY, periodDays = 30 } = options
  return defineJob({
    name: 'vertical_insights_v1',
    scope: 'global',
    lookbackMs: 0,
    async run(ctx) {
      const to = ctx.to
      const from = new Date(to.getTime() - periodDays * DAY)
      const orgs = await orgMetrics(ctx.ch, from, to, minClosed)
      const day = to.toISOString().slice(0, 10)
      const computed = chTime(Date.now())
      const byVertical = new Map<string, OrgMetrics[]>()
      for (const o of orgs) byVertical.set(o.vertical, [...(byVertical.get(o.vertical) ?? []), o])
      const rows = [...byVertical].flatMap(([vertical, list]) =>
        verticalBenchmarks(list, k).map((b) => ({
          vertical,
          period_day: day,
          metric: b.metric,
          period_start: chTime(from.getTime()),
          period_end: chTime(to.getTime()),
          organizations: b.organizations,
          published: Number(b.published),
          p25: b.p25,
          median: b.median,
          p75: b.p75,
          computed_at: computed,
        })),
      )
      const own = orgs.flatMap((o) =>
        [
          ...Object.entries(o.values).map(([metric, value]) => ({ metric, value })),
          ...Object.entries(o.intentShares).map(([i, value]) => ({ metric: `intent:${i}`, value })),
        ].map((m) => ({
          organization_id: o.organizationId,
          vertical: o.vertical,
          period_day: day,
          ...m,
          computed_at: computed,
        })),
      )
      if (rows.length)
        await ctx.ch.insert({ table: 'vertical_benchmarks_v1', values: rows, format: 'JSONEachRow' })
      if (own.length)
        await ctx.ch.insert({ table: 'vertical_org_metrics_v1', values: own, format: 'JSONEachRow' })
      return { rowsIn: orgs.length, rowsOut: rows.length }
    },
  })
}

export const verticalInsights = createVerticalInsights()
