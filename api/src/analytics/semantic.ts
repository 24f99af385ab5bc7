import { chDateTime } from '@luneo/warehouse'

/**
 * The semantic layer: every measure and dimension the dashboards, the public analytics API and
 * the CSV export use, declared once and compiled to ClickHouse SQL (docs/metrics.md says the same
 * in words). Queries are always scoped to one organization and bind every value as a parameter.
 */

export type Source = 'outcomes' | 'signals'

export interface Measure {
  source: Source
  /** SQL over the source's columns; may use the parameters of `AssumptionParams`. */
  sql: string
  unit: 'count' | 'ratio' | 'hours' | 'money' | 'usd' | 'score' | 'ms'
  description: string
}

/** Per-organization assumptions bound into measure SQL. */
export interface AssumptionParams {
  minutes_per_conversation: number
  hourly_cost: number
  /** The subscription's share per conversation in the queried range (computed by the caller). */
  subscription_per_conversation: number
}

const hoursSaved = 'sum(resolved) * {minutes_per_conversation:Float64} / 60'
const revenue = 'sumIf(purchase_amount, handed_off = 0)'
const platformCost = '(sum(cost_usd) + count() * {subscription_per_conversation:Float64})'

export const measures = {
  conversations: {
    source: 'outcomes',
    sql: 'count()',
    unit: 'count',
    description: 'Conversations started in the range',
  },
  closed_conversations: {
    source: 'outcomes',
    sql: 'sum(closed)',
    unit: 'count',
    description: 'Conversations whose outcome is decided (not open)',
  },
  ai_resolved: {
    source: 'outcomes',
    sql: 'sum(resolved)',
    unit: 'count',
    description: 'AI-resolved: confirmed or assumed, never handed off',
  },
  ai_resolution_rate: {
    source: 'outcomes',
    sql: 'sum(resolved) / nullIf(sum(closed), 0)',
    unit: 'ratio',
    description: 'AI-resolved ÷ closed conversations',
  },
  confirmed_resolution_rate: {
    source: 'outcomes',
    sql: 'sum(confirmed) / nullIf(sum(closed), 0)',
    unit: 'ratio',
    description: 'Customer confirmed (positive feedback or resolved outcome) ÷ closed',
  },
  assumed_resolution_rate: {
    source: 'outcomes',
    sql: 'sum(assumed) / nullIf(sum(closed), 0)',
    unit: 'ratio',
    description: 'No return within the resolution window after a grounded reply ÷ closed',
  },
  durable_resolution_rate: {
    source: 'outcomes',
    sql: 'sum(durable) / nullIf(sum(closed), 0)',
    unit: 'ratio',
    description: 'Resolved and not reopened within the durable window ÷ closed',
  },
  judged_conversations: {
    source: 'outcomes',
    sql: 'countIf(closed = 1 AND conversation_id IN (SELECT conversation_id FROM conversation_verdicts_v1 FINAL WHERE organization_id = {org:UUID}))',
    unit: 'count',
    description: 'Closed conversations an LLM judge reviewed (a sample; only with a remote model configured)',
  },
  verified_resolution_rate: {
    source: 'outcomes',
    sql: `countIf(closed = 1 AND conversation_id IN (SELECT conversation_id FROM conversation_verdicts_v1 FINAL WHERE organization_id = {org:UUID} AND verified = 1))
      / nullIf(countIf(closed = 1 AND conversation_id IN (SELECT conversation_id FROM conversation_verdicts_v1 FINAL WHERE organization_id = {org:UUID})), 0)`,
    unit: 'ratio',
    description: 'Judged resolved by the LLM judge ÷ judged closed conversations (null without a judge)',
  },
  escalation_rate: {
    source: 'outcomes',
    sql: 'sum(handed_off) / nullIf(count(), 0)',
    unit: 'ratio',
    description: 'Handed off to a person ÷ conversations',
  },
  abandonment_rate: {
    source: 'outcomes',
    sql: 'sum(abandoned) / nullIf(sum(closed), 0)',
    unit: 'ratio',
    description: 'Ended on an unanswered reply ÷ closed',
  },
  csat: {
    source: 'outcomes',
    sql: 'avg(csat)',
    unit: 'score',
    description: 'Mean CSAT (1–5) of rated conversations',
  },
  csat_ai: {
    source: 'outcomes',
    sql: 'avgIf(csat, handed_off = 0)',
    unit: 'score',
    description: 'Mean CSAT of conversations the AI handled alone',
  },
  csat_human: {
    source: 'outcomes',
    sql: 'avgIf(csat, handed_off = 1)',
    unit: 'score',
    description: 'Mean CSAT of conversations handed to a person',
  },
  human_hours_saved: {
    source: 'outcomes',
    sql: hoursSaved,
    unit: 'hours',
    description: 'AI-resolved × minutes a person needs per conversation ÷ 60',
  },
  attributed_revenue: {
    source: 'outcomes',
    sql: revenue,
    unit: 'money',
    description: 'Purchase amounts in conversations the AI handled alone',
  },
  qualified_leads: { source: 'outcomes', sql: 'sum(leads)', unit: 'count', description: 'Leads captured' },
  lead_value: {
    source: 'outcomes',
    sql: 'sum(lead_value)',
    unit: 'money',
    description: 'Estimated value of leads captured',
  },
  llm_cost: {
    source: 'outcomes',
    sql: 'sum(cost_usd)',
    unit: 'usd',
    description: 'LLM/token cost of the replies',
  },
  platform_cost: {
    source: 'outcomes',
    sql: platformCost,
    unit: 'money',
    description: 'Subscription share + LLM cost',
  },
  net_roi: {
    source: 'outcomes',
    sql: `(${hoursSaved} * {hourly_cost:Float64} + ${revenue} - ${platformCost}) / nullIf(${platformCost}, 0)`,
    unit: 'ratio',
    description: '(hours saved × loaded hourly cost + attributed revenue − platform cost) ÷ platform cost',
  },
  avg_response_latency_ms: {
    source: 'outcomes',
    sql: 'avgIf(avg_latency_ms, replies > 0)',
    unit: 'ms',
    description: 'Mean reply latency',
  },
  replies: { source: 'signals', sql: 'count()', unit: 'count', description: 'AI replies' },
  unanswered_rate: {
    source: 'signals',
    sql: 'avg(unanswered)',
    unit: 'ratio',
    description: 'Replies not grounded in knowledge ÷ replies',
  },
  negative_feedback_rate: {
    source: 'signals',
    sql: 'avg(negative_feedback)',
    unit: 'ratio',
    description: 'Replies followed by a negative rating ÷ replies',
  },
  escalation_after_reply_rate: {
    source: 'signals',
    sql: 'avg(escalated_after)',
    unit: 'ratio',
    description: 'Replies followed by a hand-off ÷ replies',
  },
  rephrase_rate: {
    source: 'signals',
    sql: 'avg(rephrase)',
    unit: 'ratio',
    description: 'Replies after which the customer repeated the question ÷ replies',
  },
  reply_abandonment_rate: {
    source: 'signals',
    sql: 'avg(abandoned)',
    unit: 'ratio',
    description: 'Unanswered replies after which the customer left ÷ replies',
  },
} as const satisfies Record<string, Measure>

export type MeasureName = keyof typeof measures

export interface Dimension {
  /** SQL per source (the time column differs). */
  sql: Record<Source, string>
  description: string
}

export const dimensions = {
  day: {
    sql: { outcomes: 'toDate(started_at)', signals: 'toDate(replied_at)' },
    description: 'Calendar day (UTC)',
  },
  week: {
    sql: { outcomes: 'toMonday(started_at)', signals: 'toMonday(replied_at)' },
    description: 'Week starting Monday (UTC)',
  },
  month: {
    sql: { outcomes: 'toStartOfMonth(started_at)', signals: 'toStartOfMonth(replied_at)' },
    description: 'Month (UTC)',
  },
  agent: { sql: { outcomes: 'toString(agent_id)', signals: 'toString(agent_id)' }, description: 'Agent id' },
  channel: { sql: { outcomes: 'channel', signals: 'channel' }, description: 'api, widget or email' },
  intent: {
    sql: { outcomes: 'intent', signals: 'intent' },
    description: 'Intent of the first reply (outcomes) or of the reply (signals)',
  },
  vertical: { sql: { outcomes: 'vertical', signals: 'vertical' }, description: 'Vertical template' },
  variant: {
    sql: { outcomes: "ifNull(toString(variant_id), '')", signals: "ifNull(toString(variant_id), '')" },
    description: 'Prompt variant (empty: none)',
  },
} as const satisfies Record<string, Dimension>

export type DimensionName = keyof typeof dimensions

export const TABLES: Record<Source, { table: string; time: string }> = {
  outcomes: { table: 'conversation_outcomes_v1', time: 'started_at' },
  signals: { table: 'reply_signals_v1', time: 'replied_at' },
}

export interface QueryFilters {
  agentId?: string | undefined
  channel?: string | undefined
  intent?: string | undefined
  variantId?: string | undefined
}

export interface CompiledQuery {
  source: Source
  sql: string
  params: Record<string, unknown>
}

/** The WHERE of every compiled query (organization, range, filters) and its bound values. */
function scope(
  source: Source,
  organizationId: string,
  range: { from: Date; to: Date },
  filters: QueryFilters,
  assumptions: AssumptionParams,
) {
  const { table, time } = TABLES[source]
  const where = [
    `organization_id = {org:UUID}`,
    `${time} >= {from:DateTime64(3)}`,
    `${time} < {to:DateTime64(3)}`,
  ]
  if (filters.agentId) where.push('agent_id = {f_agent:UUID}')
  if (filters.channel) where.push('channel = {f_channel:String}')
  if (filters.intent) where.push('intent = {f_intent:String}')
  if (filters.variantId) where.push('variant_id = {f_variant:UUID}')
  return {
    from: `FROM ${table} FINAL\nWHERE ${where.join(' AND ')}`,
    params: {
      org: organizationId,
      from: chDateTime(range.from),
      to: chDateTime(range.to),
      f_agent: filters.agentId,
      f_channel: filters.channel,
      f_intent: filters.intent,
      f_variant: filters.variantId,
      ...assumptions,
    },
  }
}

// Aliases get a prefix: ClickHouse resolves aliases inside other expressions and WHERE, so
// `avg(csat) AS csat` would turn `avgIf(csat, …)` into an aggregate of an aggregate.
const dimensionSql = (source: Source, names: readonly DimensionName[]) =>
  names.map((d) => `${dimensions[d].sql[source]} AS d_${d}`)
const measureSql = (names: readonly MeasureName[]) => names.map((m) => `${measures[m].sql} AS m_${m}`)

/**
 * Compiles measures × dimensions × filters × time range for one source. Names come from the
 * declarations above (never from the caller's strings); values are bound parameters.
 */
export function compile(
  source: Source,
  organizationId: string,
  measureNames: MeasureName[],
  dimensionNames: DimensionName[],
  range: { from: Date; to: Date },
  filters: QueryFilters,
  assumptions: AssumptionParams,
): CompiledQuery {
  const { from, params } = scope(source, organizationId, range, filters, assumptions)
  const dims = dimensionNames.map((d) => `d_${d}`).join(', ')
  const sql = [
    `SELECT ${[...dimensionSql(source, dimensionNames), ...measureSql(measureNames)].join(', ')}`,
    from,
    dims ? `GROUP BY ${dims} ORDER BY ${dims}` : '',
  ]
    .filter(Boolean)
    .join('\n')
  return { source, sql, params }
}

/**
 * The same measures under several groupings in one read of the range (GROUP BY GROUPING SETS): a
 * report's totals and its breakdowns, which `compile` would read once each. Each row says which
 * grouping it belongs to in `g_<dimension>`: 0 when grouped by that dimension, 1 when not
 * (the SQL standard's grouping(), which ClickHouse follows).
 */
export function compileGroupings(
  source: Source,
  organizationId: string,
  measureNames: MeasureName[],
  groupings: DimensionName[][],
  range: { from: Date; to: Date },
  filters: QueryFilters,
  assumptions: AssumptionParams,
): CompiledQuery {
  const { from, params } = scope(source, organizationId, range, filters, assumptions)
  const used = [...new Set(groupings.flat())]
  const sets = groupings.map((g) => `(${g.map((d) => `d_${d}`).join(', ')})`).join(', ')
  const sql = [
    `SELECT ${[
      ...dimensionSql(source, used),
      ...used.map((d) => `grouping(d_${d}) AS g_${d}`),
      ...measureSql(measureNames),
    ].join(', ')}`,
    from,
    `GROUP BY GROUPING SETS (${sets})`,
  ].join('\n')
  return { source, sql, params }
}
