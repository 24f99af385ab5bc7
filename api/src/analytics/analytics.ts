import { getOrganization, queryMeasures } from '@luneo/warehouse'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'
import { notFound } from '../errors.js'
import {
  compile,
  compileGroupings,
  measures,
  type AssumptionParams,
  type DimensionName,
  type MeasureName,
  type QueryFilters,
  type Source,
} from './semantic.js'

export interface Range {
  from: Date
  to: Date
}

export type Row = Record<string, string | number | null>

const DAY = 24 * 3600 * 1000

/** The organization's assumptions, with the subscription spread over the range's conversations. */
export async function assumptionsFor(
  deps: AppDeps,
  auth: Auth,
  range: Range,
  filters: QueryFilters,
  /** False when no measure needs the subscription share: saves counting the range's conversations. */
  needsShare = true,
) {
  const org = await getOrganization(deps.db, auth.organizationId)
  if (!org) throw notFound('Organization')
  const base = {
    minutes_per_conversation: org.minutes_per_conversation,
    hourly_cost: org.hourly_cost,
    subscription_per_conversation: 0,
  }
  if (!needsShare) return { org, params: base, subscriptionShare: 0 }
  const [total] = await runCompiled(
    deps,
    compile('outcomes', auth.organizationId, ['conversations'], [], range, filters, base),
  )
  const conversations = Number(total?.m_conversations ?? 0)
  const days = Math.max(0, (range.to.getTime() - range.from.getTime()) / DAY)
  const subscriptionShare = (org.subscription_monthly * days) / 30
  return {
    org,
    params: {
      ...base,
      subscription_per_conversation: conversations > 0 ? subscriptionShare / conversations : 0,
    } satisfies AssumptionParams,
    subscriptionShare,
  }
}

/** Runs compiled SQL (the warehouse checks every value is a number, a string or null). */
async function runCompiled(deps: AppDeps, q: ReturnType<typeof compile>): Promise<Row[]> {
  return queryMeasures(deps.ch, q)
}

const round = (v: unknown): number | null => {
  if (v === null || v === undefined) return null
  const n = Number(v)
  return Number.isFinite(n) ? Math.round(n * 1e6) / 1e6 : null
}

/**
 * Measures × dimensions for the caller's organization. Measures from the two sources (conversation
 * outcomes, reply signals) are queried separately and joined on the dimension values.
 */
export async function query(
  deps: AppDeps,
  auth: Auth,
  measureNames: MeasureName[],
  dimensionNames: DimensionName[],
  range: Range,
  filters: QueryFilters,
  /** Assumptions already resolved for this range and filters (ROI asks twice: totals and series). */
  assumptions?: AssumptionParams,
): Promise<{ columns: string[]; rows: Row[] }> {
  const needsShare = measureNames.some((m) => measures[m].sql.includes('subscription_per_conversation'))
  const params = assumptions ?? (await assumptionsFor(deps, auth, range, filters, needsShare)).params
  const bySource = new Map<Source, MeasureName[]>()
  for (const m of measureNames)
    bySource.set(measures[m].source, [...(bySource.get(measures[m].source) ?? []), m])
  const merged = new Map<string, Row>()
  for (const [source, ms] of bySource) {
    for (const r of await runCompiled(
      deps,
      compile(source, auth.organizationId, ms, dimensionNames, range, filters, params),
    )) {
      const key = dimensionNames.map((d) => String(r[`d_${d}`])).join('\u0000')
      const row = merged.get(key) ?? Object.fromEntries(dimensionNames.map((d) => [d, r[`d_${d}`] ?? null]))
      for (const m of ms) row[m] = round(r[`m_${m}`])
      merged.set(key, row)
    }
  }
  return finish([...merged.values()], measureNames, dimensionNames)
}

/** Every measure in each row (null where a source had none), sorted by the dimensions; totals never empty. */
function finish(rows: Row[], measureNames: MeasureName[], dimensionNames: DimensionName[]) {
  for (const row of rows) for (const m of measureNames) if (!(m in row)) row[m] = null
  rows.sort(
    (a, b) => dimensionNames.map((d) => String(a[d]).localeCompare(String(b[d]))).find((c) => c !== 0) ?? 0,
  )
  if (dimensionNames.length === 0 && rows.length === 0)
    rows.push(Object.fromEntries(measureNames.map((m) => [m, null])))
  return { columns: [...dimensionNames, ...measureNames], rows }
}

/**
 * `query` under several groupings at once, for measures of one source: one ClickHouse read of the
 * range (GROUPING SETS) instead of one per grouping. Answers one result per grouping, each as
 * `query` would give it for those dimensions.
 */
export async function queryGroupings(
  deps: AppDeps,
  auth: Auth,
  measureNames: MeasureName[],
  groupings: DimensionName[][],
  range: Range,
  filters: QueryFilters,
): Promise<{ columns: string[]; rows: Row[] }[]> {
  const source = measures[measureNames[0]!].source
  if (measureNames.some((m) => measures[m].source !== source))
    throw new Error('queryGroupings: measures of one source only')
  const needsShare = measureNames.some((m) => measures[m].sql.includes('subscription_per_conversation'))
  const { params } = await assumptionsFor(deps, auth, range, filters, needsShare)
  const used = [...new Set(groupings.flat())]
  const rows = await runCompiled(
    deps,
    compileGroupings(source, auth.organizationId, measureNames, groupings, range, filters, params),
  )
  return groupings.map((dims) => {
    // A row belongs to the grouping whose dimensions are exactly the ones it was grouped by.
    const mine = rows.filter((r) => used.every((d) => (Number(r[`g_${d}`]) === 0) === dims.includes(d)))
    const shaped = mine.map((r) => {
      const row: Row = Object.fromEntries(dims.map((d) => [d, r[`d_${d}`] ?? null]))
      for (const m of measureNames) row[m] = round(r[`m_${m}`])
      return row
    })
    return finish(shaped, measureNames, dims)
  })
}
