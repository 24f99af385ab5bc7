import { replyDays, type KnowledgeGap } from '@luneo/warehouse'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'

/** Days a gap's trend covers, today included (UTC days). */
export const TREND_DAYS = 14
const DAY_MS = 24 * 3600 * 1000

export interface TrendPoint {
  day: string
  questions: number
}

/** The UTC days [today − TREND_DAYS + 1 … today] as YYYY-MM-DD. */
export function trendDays(now: number): string[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS
  return Array.from({ length: TREND_DAYS }, (_, i) =>
    new Date(today - (TREND_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  )
}

/**
 * Each gap's questions per day over the last TREND_DAYS days (zero days included), counted from
 * its member replies in one ClickHouse read for the whole page: the list's sparkline.
 */
export async function gapTrends(
  deps: AppDeps,
  auth: Auth,
  gaps: KnowledgeGap[],
  now = Date.now(),
): Promise<Map<string, TrendPoint[]>> {
  const days = trendDays(now)
  const rows = await replyDays(deps.ch, {
    organizationId: auth.organizationId,
    replyIds: gaps.flatMap((g) => g.member_ids),
    from: new Date(`${days[0]}T00:00:00.000Z`),
  })
  const dayOf = new Map(rows.map((r) => [r.reply_id, r.day]))
  return new Map(
    gaps.map((g) => {
      const counts = new Map<string, number>()
      for (const id of g.member_ids) {
        const d = dayOf.get(id)
        if (d) counts.set(d, (counts.get(d) ?? 0) + 1)
      }
      return [g.id, days.map((day) => ({ day, questions: counts.get(day) ?? 0 }))]
    }),
  )
}
