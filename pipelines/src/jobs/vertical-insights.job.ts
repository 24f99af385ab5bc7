import { chDateTime, establishedOrganizations, organizationMetrics, type Ch } from '@luneo/warehouse'
import { defineJob } from '../runner/job.js'
import { verticalBenchmarks, K_ANONYMITY, type OrgMetrics } from './vertical-insights.js'

const DAY = 24 * 3600 * 1000
/** Closed conversations an organization needs for its own values to mean something. */
const OWN_MIN_CLOSED = 5

/** Each organization's metrics over [from, to) (`organizationMetrics`), intent counts as shares. */
async function orgMetrics(
  ch: Ch,
  from: Date,
  to: Date,
  minClosed: number,
): Promise<(OrgMetrics & { closed: number })[]> {
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
      closed: r.closed,
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
 * quartiles of each metric across established organizations — published only with ≥ 5 of them —
 * and each organization's own values (read back only by that organization).
 *
 * Established = at least `minAgeDays` old, `minClosed` closed conversations in the period and an
 * owner whose email address is verified. k-anonymity counts people, not rows: with any signup
 * counting, four fake organizations with five conversations each made a vertical of five whose
 * quartiles gave away the real one's figures (the attack is played in
 * api/src/analytics/benchmarks.int.test.ts). Age and volume make each fake cost a month and real
 * traffic; the verified owner makes each cost a working mailbox too (docs/metrics.md).
 */
export function createVerticalInsights(
  options: {
    minClosed?: number
    minAgeDays?: number
    k?: number
    periodDays?: number
    verifiedOwner?: boolean
  } = {},
) {
  const { minClosed = 30, minAgeDays = 30, k = K_ANONYMITY, periodDays = 30, verifiedOwner = true } = options
  return defineJob({
    name: 'vertical_insights_v1',
    scope: 'global',
    lookbackMs: 0,
    async run(ctx) {
      const to = ctx.to
      const from = new Date(to.getTime() - periodDays * DAY)
      const established = await establishedOrganizations(ctx.db, {
        createdBefore: new Date(to.getTime() - minAgeDays * DAY),
        verifiedOwner,
      })
      // Every organization sees its own values; only established ones make the vertical's.
      const all = await orgMetrics(ctx.ch, from, to, OWN_MIN_CLOSED)
      const orgs = all.filter((o) => established.has(o.organizationId) && o.closed >= minClosed)
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
      const own = all.flatMap((o) =>
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
      return { rowsIn: all.length, rowsOut: rows.length }
    },
  })
}

export const verticalInsights = createVerticalInsights()
