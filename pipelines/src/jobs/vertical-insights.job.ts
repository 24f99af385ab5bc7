import { chDateTime, organizationMetrics, type Ch } from '@luneo/warehouse'
import { defineJob } from '../runner/job.js'
import { verticalBenchmarks, K_ANONYMITY, type OrgMetrics } from './vertical-insights.js'

const DAY = 24 * 3600 * 1000

/** Each organization's metrics over [from, to) (`organizationMetrics`), intent counts as shares. */
async function orgMetrics(ch: Ch, from: Date, to: Date, minClosed: number): Promise<OrgMetrics[]> {
  const rows = await organizationMetrics(ch, { from, to, minClosed })
  return rows.map((r) => {
    const total = r.conversations
    const shares = Object.fromEntries(
      Object.entries(r.intents)
        .filter(([intent]) => intent !== '')
        .map(([intent, c]) => [intent, c / total]),
    )
    return {
      organizationId: r.org,
      vertical: r.vertical,
      values: {
        ai_resolution_rate: r.resolution,
        escalation_rate: r.escalation,
        csat: r.mean_csat,
        median_response_latency_ms: r.latency,
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
      const computed = chDateTime(Date.now())
      const byVertical = new Map<string, OrgMetrics[]>()
      for (const o of orgs) byVertical.set(o.vertical, [...(byVertical.get(o.vertical) ?? []), o])
      const rows = [...byVertical].flatMap(([vertical, list]) =>
        verticalBenchmarks(list, k).map((b) => ({
          vertical,
          period_day: day,
          metric: b.metric,
          period_start: chDateTime(from),
          period_end: chDateTime(to),
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
