import { z } from 'zod'
import { dimensions, measures, type DimensionName, type MeasureName } from '../analytics/semantic.js'
import { Id, RangeTimestamp, Timestamp } from './common.js'

const measureNames = Object.keys(measures) as [MeasureName, ...MeasureName[]]
const dimensionNames = Object.keys(dimensions) as [DimensionName, ...DimensionName[]]

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(2000)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)))

const RangeQuery = {
  /** Default: the last 30 days. */
  from: RangeTimestamp.optional(),
  to: RangeTimestamp.optional(),
}

export const AnalyticsQuery = z
  .object({
    measures: list(measureNames).pipe(z.array(z.enum(measureNames)).min(1).max(20)),
    dimensions: list(dimensionNames).optional(),
    ...RangeQuery,
    agentId: Id.optional(),
    channel: z.enum(['api', 'widget', 'email']).optional(),
    intent: z.string().max(60).optional(),
    variantId: Id.optional(),
  })
  .strict()

const Cell = z.union([z.string(), z.number(), z.null()])
/** Rows keyed by the measures and dimensions asked for: their names are the query's, so a record. */
export const AnalyticsResult = z
  .object({
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), Cell)),
    range: z.object({ from: Timestamp, to: Timestamp }),
  })
  .meta({ id: 'AnalyticsResult' })

export const Granularity = z.enum(['day', 'week', 'month'])
export type Granularity = z.infer<typeof Granularity>

/** `{ [granularity]: period start }`, the only dimension key an ROI point carries. */
export function periodOf(
  granularity: Granularity,
  row: Record<string, unknown>,
): Partial<Record<Granularity, string>> {
  const start = String(row[granularity])
  return granularity === 'day' ? { day: start } : granularity === 'week' ? { week: start } : { month: start }
}

export const RangeOnly = z.object({ ...RangeQuery, granularity: Granularity.default('day') }).strict()

/** The measures ROI answers, totals and per period, in this order. */
export const ROI_MEASURES = [
  'conversations',
  'ai_resolved',
  'ai_resolution_rate',
  'confirmed_resolution_rate',
  'assumed_resolution_rate',
  'durable_resolution_rate',
  'judged_conversations',
  'verified_resolution_rate',
  'human_hours_saved',
  'qualified_leads',
  'attributed_revenue',
  'llm_cost',
  'platform_cost',
  'net_roi',
] as const satisfies readonly MeasureName[]

/** The reply signals, totals and per intent, in this order. */
export const SIGNAL_MEASURES = [
  'replies',
  'unanswered_rate',
  'negative_feedback_rate',
  'escalation_after_reply_rate',
  'rephrase_rate',
  'reply_abandonment_rate',
] as const satisfies readonly MeasureName[]

type MeasureShape<M extends MeasureName> = { [K in M]: z.ZodNullable<z.ZodNumber> }

/**
 * One property per measure, described from the semantic layer. Null where the range holds no data
 * for it (a rate over zero conversations, a mean of nothing).
 */
function measureShape<M extends MeasureName>(names: readonly M[]): MeasureShape<M> {
  const shape = Object.fromEntries(
    names.map((m) => {
      const { description, unit } = measures[m]
      return [
        m,
        z
          .number()
          .nullable()
          .meta({ description: `${description} (${unit})` }),
      ]
    }),
  )
  return shape as MeasureShape<M>
}

/** The values of `names` in a row of the semantic layer, typed by measure; a missing one is null. */
export function measureValues<M extends MeasureName>(
  names: readonly M[],
  row: Record<string, unknown> | undefined,
): Record<M, number | null> {
  const values = Object.fromEntries(names.map((m) => [m, typeof row?.[m] === 'number' ? row[m] : null]))
  return values as Record<M, number | null>
}

const periodStart = (what: string) =>
  z
    .string()
    .optional()
    .meta({ description: `Start of the ${what} (YYYY-MM-DD); present when granularity is ${what}` })

export const RoiTotals = z.object(measureShape(ROI_MEASURES)).meta({ id: 'RoiTotals' })
/** One period of the ROI series: its start under the granularity's name, then every ROI measure. */
export const RoiPoint = z
  .object({
    day: periodStart('day'),
    week: periodStart('week'),
    month: periodStart('month'),
    ...measureShape(ROI_MEASURES),
  })
  .meta({ id: 'RoiPoint' })

export const Roi = z
  .object({
    range: z.object({ from: Timestamp, to: Timestamp }),
    currency: z.string(),
    assumptions: z.object({
      minutesPerConversation: z.number(),
      hourlyCost: z.number(),
      subscriptionMonthly: z.number(),
      resolutionWindowHours: z.number(),
      durableDays: z.number(),
    }),
    totals: RoiTotals,
    series: z.array(RoiPoint),
  })
  .meta({ id: 'Roi' })

export const ResolvedQuery = z
  .object({
    ...RangeQuery,
    status: z.enum(['open', 'confirmed', 'assumed', 'handed_off', 'abandoned']).optional(),
    resolved: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    agentId: Id.optional(),
    channel: z.enum(['api', 'widget', 'email']).optional(),
    /** The same values as the semantic layer's `intent` dimension (the first reply's intent). */
    intent: z.string().min(1).max(60).optional(),
    variantId: Id.optional(),
    /** A knowledge gap: the conversations its questions were asked in (the gap's numbers drill here). */
    gapId: Id.optional(),
    minCsat: z.coerce.number().min(1).max(5).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .max(500)
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
  })
  .strict()

export const ResolvedRow = z
  .object({
    conversationId: Id,
    agentId: Id,
    channel: z.string(),
    intent: z.string(),
    startedAt: Timestamp,
    lastActivityAt: Timestamp,
    status: z.string(),
    resolved: z.boolean(),
    confirmed: z.boolean(),
    assumed: z.boolean(),
    durable: z.boolean(),
    handedOff: z.boolean(),
    handoffReason: z.string(),
    csat: z.number().nullable(),
    replies: z.number().int(),
    unansweredReplies: z.number().int(),
    purchaseAmount: z.number(),
    costUsd: z.number(),
    verified: z.boolean().nullable(),
    verdictReason: z.string().nullable(),
    transcriptUrl: z.string(),
  })
  .meta({ id: 'ResolvedConversation' })

export const ResolvedCsv = z.string().meta({
  id: 'ResolvedConversationsCsv',
  description: 'CSV (RFC 4180, CRLF), a header row, then the fields of ResolvedConversation',
})

export const ResolvedPage = z
  .object({ items: z.array(ResolvedRow), nextCursor: z.string().nullable() })
  .meta({ id: 'ResolvedConversationPage' })

export const SignalTotals = z.object(measureShape(SIGNAL_MEASURES)).meta({ id: 'SignalTotals' })
export const IntentSignals = z
  .object({ intent: z.string(), ...measureShape(SIGNAL_MEASURES) })
  .meta({ id: 'IntentSignals' })

export const AgentSignals = z
  .object({ agentId: z.string(), ...measureShape(SIGNAL_MEASURES) })
  .meta({ id: 'AgentSignals' })
export const ChannelSignals = z
  .object({ channel: z.string(), ...measureShape(SIGNAL_MEASURES) })
  .meta({ id: 'ChannelSignals' })

/** Reply signals over the range: totals, then per intent, agent and channel (most replies first). */
export const Signals = z
  .object({
    range: z.object({ from: Timestamp, to: Timestamp }),
    totals: SignalTotals,
    byIntent: z.array(IntentSignals),
    byAgent: z.array(AgentSignals),
    byChannel: z.array(ChannelSignals),
  })
  .meta({ id: 'Signals' })

export const RefreshCoverage = z
  .object({
    complete: z.boolean().meta({
      description:
        'Every event the organization committed before the call was in ClickHouse when the jobs ran. False: the wait bound (LUNEO_REFRESH_WAIT_MS) passed first and the jobs ran on what had arrived; refresh again later',
    }),
    committedBefore: Timestamp.meta({
      description: 'The call: the events committed before it are the ones owed',
    }),
    waitingOn: z.enum(['outbox', 'stream']).nullable().meta({
      description:
        'What had not caught up at the bound: `outbox` = rows the drainer or relay had not moved yet, `stream` = published to Kafka, not yet written by the sink; null when complete',
    }),
    pendingEvents: z.number().int().meta({
      description:
        "The organization's events committed before the call still in the outbox at the bound (0 when complete or waiting on the stream)",
    }),
    waitedMs: z.number().int().meta({ description: 'Time spent waiting before the jobs started' }),
  })
  .meta({ id: 'AnalyticsRefreshCoverage' })

export const RefreshResult = z
  .object({
    coverage: RefreshCoverage,
    jobs: z.array(z.object({ job: z.string(), rowsIn: z.number(), rowsOut: z.number(), ms: z.number() })),
  })
  .meta({ id: 'AnalyticsRefresh' })

export const Catalogue = z
  .object({
    measures: z.array(z.object({ name: z.string(), unit: z.string(), description: z.string() })),
    dimensions: z.array(z.object({ name: z.string(), description: z.string() })),
  })
  .meta({ id: 'AnalyticsCatalogue' })

export const Freshness = z
  .object({
    now: Timestamp.meta({ description: 'The server clock when it answered (age is measured from it)' }),
    asOf: Timestamp.nullable().meta({
      description:
        "The analytics include events up to this instant: the oldest of the organization's pipeline watermarks (null before the first run)",
    }),
    ageSeconds: z.number().int().nullable().meta({ description: 'now − asOf, in whole seconds' }),
    newestEventAt: Timestamp.nullable().meta({
      description: "When the organization's newest event in ClickHouse happened (null before the first)",
    }),
    jobs: z.array(
      z.object({
        job: z.string(),
        watermark: Timestamp,
        ranAt: Timestamp.meta({ description: 'When the run that set this watermark finished' }),
        rowsOut: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'AnalyticsFreshness' })
