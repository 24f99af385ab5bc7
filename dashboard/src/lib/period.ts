// The period lives in the URL (?from=YYYY-MM-DD&to=YYYY-MM-DD, `to` exclusive) so a screen can be
// shared and reloaded as is. Default: the last 30 whole days up to today (UTC, as the API's days).

const DAY = 24 * 3600 * 1000
export type Granularity = 'day' | 'week' | 'month'

export interface Period {
  from: string
  to: string
}

const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s)
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The period the URL names, or the default one. */
export function periodOf(params: URLSearchParams, now = Date.now()): Period {
  const from = params.get('from')
  const to = params.get('to')
  if (isDate(from) && isDate(to) && from < to) return { from, to }
  const today = Date.parse(iso(now))
  return { from: iso(today + DAY - 30 * DAY), to: iso(today + DAY) }
}

/** The period of the same length just before `p`: the "change vs previous period" baseline. */
export function previousOf(p: Period): Period {
  const len = Date.parse(p.to) - Date.parse(p.from)
  return { from: iso(Date.parse(p.from) - len), to: p.from }
}

/** The API takes instants: the start of each named day, UTC. */
export const instant = (day: string) => `${day}T00:00:00.000Z`

export function granularityOf(params: URLSearchParams): Granularity {
  const g = params.get('granularity')
  return g === 'day' || g === 'month' ? g : 'week'
}
