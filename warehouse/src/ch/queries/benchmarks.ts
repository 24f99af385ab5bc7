import { z } from 'zod'
import type { Ch } from '../client.js'
import { chDateTime } from '../time.js'
import { chFlag, chInstant, chJson, chNumber, chUuid, queryRows } from './rows.js'

// Vertical benchmarks (vertical_insights_v1): what the job reads across organizations, and what
// the api reads back — the published statistics of a vertical (no organization id is stored
// there) and one organization's own values, only ever with that organization's id.

export const OrganizationMetricsRow = z.object({
  org: chUuid,
  vertical: z.string(),
  resolution: chNumber.nullable(),
  escalation: chNumber.nullable(),
  mean_csat: chNumber.nullable(),
  latency: chNumber.nullable(),
  /** Conversations per intent ('' for none). */
  intents: chJson.pipe(z.record(z.string(), chNumber)),
  conversations: chNumber,
  closed: chNumber,
})
export type OrganizationMetricsRow = z.output<typeof OrganizationMetricsRow>

/**
 * Each organization's metrics over [from, to): resolution and escalation rates and CSAT from
 * conversation_outcomes_v1 (same definitions as the semantic layer), median reply latency from
 * reply_signals_v1, conversations per intent. Only organizations with `minClosed` closed
 * conversations are returned.
 */
export async function organizationMetrics(
  ch: Ch,
  p: { from: Date; to: Date; minClosed: number },
): Promise<OrganizationMetricsRow[]> {
  return queryRows(ch, 'organizationMetrics', OrganizationMetricsRow, {
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
             count() AS conversations,
             sum(o.closed) AS closed
      FROM o LEFT JOIN lat ON lat.organization_id = o.organization_id
      GROUP BY o.organization_id
      HAVING sum(o.closed) >= {min:UInt32}
      ORDER BY org`,
    params: { from: chDateTime(p.from), to: chDateTime(p.to), min: p.minClosed },
  })
}

export const VerticalBenchmarkRow = z.object({
  metric: z.string(),
  organizations: chNumber,
  published: chFlag,
  p25: chNumber.nullable(),
  median: chNumber.nullable(),
  p75: chNumber.nullable(),
  period_start: chInstant,
  period_end: chInstant,
})
export type VerticalBenchmarkRow = z.output<typeof VerticalBenchmarkRow>

/**
 * The vertical's benchmarks of the latest run on the latest day, one row per metric. Only that
 * run's rows: a metric an earlier run of the day wrote (an intent, published while the vertical
 * still had k organizations) is not the vertical's figure any more.
 */
export async function latestVerticalBenchmarks(
  ch: Ch,
  p: { vertical: string },
): Promise<VerticalBenchmarkRow[]> {
  return queryRows(ch, 'latestVerticalBenchmarks', VerticalBenchmarkRow, {
    query: `
      SELECT metric, organizations, published, p25, median, p75,
             toString(period_start) AS period_start, toString(period_end) AS period_end
      FROM vertical_benchmarks_v1 FINAL
      WHERE vertical = {vertical:String}
        AND (period_day, computed_at) = (
          SELECT period_day, max(computed_at) FROM vertical_benchmarks_v1
          WHERE vertical = {vertical:String}
            AND period_day = (SELECT max(period_day) FROM vertical_benchmarks_v1 WHERE vertical = {vertical:String})
          GROUP BY period_day)
      ORDER BY metric`,
    params: { vertical: p.vertical },
  })
}

const OwnValueRow = z.object({ metric: z.string(), value: chNumber.nullable() })

/** One organization's own benchmark values for a day (`YYYY-MM-DD`), by metric. */
export async function organizationBenchmarkValues(
  ch: Ch,
  p: { organizationId: string; day: string },
): Promise<Map<string, number | null>> {
  const rows = await queryRows(ch, 'organizationBenchmarkValues', OwnValueRow, {
    query: `
      SELECT metric, value FROM vertical_org_metrics_v1 FINAL
      WHERE organization_id = {org:UUID} AND period_day = {day:Date}
        AND computed_at = (
          SELECT max(computed_at) FROM vertical_org_metrics_v1
          WHERE organization_id = {org:UUID} AND period_day = {day:Date})`,
    params: { org: p.organizationId, day: p.day },
  })
  return new Map(rows.map((r) => [r.metric, r.value]))
}
