// Drill-down: the conversations behind a number or a chart point, as a link to the conversation
// report with the same period and filters in its URL (lib/conversation-filters.ts reads them back).
import type { Granularity, Period } from './period'

/** The report's filters a number can carry (the semantic layer's dimensions that filter a list). */
export interface DrillFilters {
  agentId?: string
  channel?: string
  intent?: string
  variantId?: string
  status?: string
  resolved?: 'true' | 'false'
  gapId?: string
}

const DAY = 24 * 3600 * 1000
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The end (exclusive) of the day, week (from Monday) or month starting at `start`. */
export function bucketEnd(start: string, g: Granularity): string {
  if (g === 'day') return iso(Date.parse(start) + DAY)
  if (g === 'week') return iso(Date.parse(start) + 7 * DAY)
  const d = new Date(`${start}T00:00:00Z`)
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
}

/** The day, week (Monday) or month that holds `day`, by its first day (as the API keys buckets). */
export function bucketStart(day: string, g: Granularity): string {
  if (g === 'day') return day
  if (g === 'month') return `${day.slice(0, 7)}-01`
  const ms = Date.parse(day)
  return iso(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY)
}

/**
 * Every bucket of the period, in order, by its first day: a series has rows only where there was
 * data, and a trend drawn over those alone would put Monday beside Friday.
 */
export function bucketStarts(period: Period, g: Granularity): string[] {
  const out: string[] = []
  for (let s = bucketStart(period.from, g); s < period.to; s = bucketEnd(s, g)) out.push(s)
  return out
}

/** One bucket of a series, clipped to the period (a week may start before it or end after it). */
export function bucketPeriod(start: string, g: Granularity, within: Period): Period {
  const from = start > within.from ? start : within.from
  const end = bucketEnd(start, g)
  return { from, to: end < within.to ? end : within.to }
}

/** `/conversations?from=…&to=…&…`: the report of exactly these conversations. */
export function drillHref(period: Period, filters: DrillFilters = {}): string {
  const qs = new URLSearchParams({ from: period.from, to: period.to })
  for (const [k, v] of Object.entries(filters)) if (v) qs.set(k, v)
  return `/conversations?${qs.toString()}`
}

/**
 * The conversations a knowledge gap's questions were asked in: the report filtered by the gap,
 * from the day the first of them started to the end of today (UTC), so none falls outside.
 */
export function gapHref(
  gap: { id: string; firstConversationAt: string | null },
  now = Date.now(),
): string | null {
  if (!gap.firstConversationAt) return null
  const from = gap.firstConversationAt.slice(0, 10)
  return drillHref({ from, to: iso(Math.floor(now / DAY) * DAY + DAY) }, { gapId: gap.id })
}

/** What a group of the semantic layer's dimension filters the report by (null: nothing to add). */
export function dimensionFilter(dimension: string, value: string): DrillFilters | null {
  switch (dimension) {
    case 'agent':
      return { agentId: value }
    case 'channel':
      return { channel: value }
    case 'intent':
      return { intent: value }
    // An empty variant means "served by no variant": the report cannot filter on its absence.
    case 'variant':
      return value ? { variantId: value } : null
    default:
      return {}
  }
}

export const TIME_DIMENSIONS = ['day', 'week', 'month'] as const
export const isTime = (d: string): d is Granularity => (TIME_DIMENSIONS as readonly string[]).includes(d)

/**
 * The conversations behind one row of a grouped measure: the group's filter, the bucket's period
 * for a time dimension, and `resolved=true` for the count of AI-resolved ones. Null when the
 * report cannot list them (a group without a variant).
 */
export function groupHref(period: Period, measure: string, dimension: string, value: string): string | null {
  const f = dimensionFilter(dimension, value)
  if (f === null) return null
  const p = isTime(dimension) ? bucketPeriod(value, dimension, period) : period
  return drillHref(p, { ...f, ...(measure === 'ai_resolved' ? { resolved: 'true' as const } : {}) })
}
