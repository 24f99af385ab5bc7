import { newestEventAt, organizationWatermarks } from '@luneo/warehouse'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'
import { iso } from '../schemas/common.js'

/**
 * How fresh the caller's analytics are. Each pipeline job's watermark is the instant its last run
 * read events up to; the analytics screens join several jobs' tables, so they are as fresh as
 * the OLDEST watermark (never the newest: that would overstate it). Beside it, the newest event
 * that reached ClickHouse: the gap between the two is what the next run will add.
 */
export async function freshnessOf(deps: AppDeps, auth: Auth, now = new Date()) {
  const [marks, newest] = await Promise.all([
    organizationWatermarks(deps.db, auth.organizationId),
    newestEventAt(deps.ch, auth.organizationId),
  ])
  const oldest = marks.reduce<Date | null>(
    (min, m) => (min === null || m.watermark < min ? m.watermark : min),
    null,
  )
  return {
    now: iso(now),
    asOf: oldest ? iso(oldest) : null,
    ageSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null,
    newestEventAt: newest ? iso(newest) : null,
    jobs: marks.map((m) => ({
      job: m.job,
      watermark: iso(m.watermark),
      ranAt: iso(m.updated_at),
      rowsOut: m.rows_out,
    })),
  }
}
