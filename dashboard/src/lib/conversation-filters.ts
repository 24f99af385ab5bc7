// The conversation report's filters, read from the URL and written as the API's query: the list
// and the CSV link are built from the same object, so the file holds exactly what the list shows.
import type { operations } from '@/api/schema'
import { instant, periodOf, type Period } from './period'

export type ReportQuery = NonNullable<operations['exportResolvedConversationsCsv']['parameters']['query']>

export const STATUSES = ['open', 'confirmed', 'assumed', 'handed_off', 'abandoned'] as const
export const CHANNELS = ['api', 'widget', 'email'] as const

const UUID = /^[0-9a-f-]{36}$/i

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  list.find((x) => x === v)

export interface ReportFilters {
  period: Period
  query: ReportQuery
}

/** The filters the URL names (unknown values are dropped, not sent to fail validation). */
export function reportFiltersOf(params: URLSearchParams): ReportFilters {
  const period = periodOf(params)
  const query: ReportQuery = { from: instant(period.from), to: instant(period.to) }
  const status = oneOf(STATUSES, params.get('status'))
  if (status) query.status = status
  const resolved = oneOf(['true', 'false'] as const, params.get('resolved'))
  if (resolved) query.resolved = resolved
  const channel = oneOf(CHANNELS, params.get('channel'))
  if (channel) query.channel = channel
  const agentId = params.get('agentId')
  if (agentId && UUID.test(agentId)) query.agentId = agentId
  const intent = params.get('intent')
  if (intent && intent.length <= 60) query.intent = intent
  const variantId = params.get('variantId')
  if (variantId && UUID.test(variantId)) query.variantId = variantId
  const gapId = params.get('gapId')
  if (gapId && UUID.test(gapId)) query.gapId = gapId
  const minCsat = Number(params.get('minCsat'))
  if (minCsat >= 1 && minCsat <= 5) query.minCsat = minCsat
  return { period, query }
}

/** The CSV export of exactly these filters (GET, same origin: the session cookie goes along). */
export function csvHref(query: ReportQuery): string {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
  return `/api/v1/analytics/conversations/resolved/export.csv?${qs.toString()}`
}
