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
export const AnalyticsResult = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), Cell)),
  range: z.object({ from: Timestamp, to: Timestamp }),
})

export const RangeOnly = z
  .object({ ...RangeQuery, granularity: z.enum(['day', 'week', 'month']).default('day') })
  .strict()

export const Roi = z.object({
  range: z.object({ from: Timestamp, to: Timestamp }),
  currency: z.string(),
  assumptions: z.object({
    minutesPerConversation: z.number(),
    hourlyCost: z.number(),
    subscriptionMonthly: z.number(),
    resolutionWindowHours: z.number(),
    durableDays: z.number(),
  }),
  totals: z.record(z.string(), z.number().nullable()),
  series: z.array(z.record(z.string(), Cell)),
})

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
    minCsat: z.coerce.number().min(1).max(5).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .max(500)
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
  })
  .strict()

export const ResolvedRow = z.object({
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

export const ResolvedPage = z.object({ items: z.array(ResolvedRow), nextCursor: z.string().nullable() })

export const Signals = z.object({
  range: z.object({ from: Timestamp, to: Timestamp }),
  totals: z.record(z.string(), z.number().nullable()),
  byIntent: z.array(z.record(z.string(), Cell)),
})

export const RefreshResult = z.object({
  jobs: z.array(z.object({ job: z.string(), rowsIn: z.number(), rowsOut: z.number(), ms: z.number() })),
})

export const Catalogue = z.object({
  measures: z.array(z.object({ name: z.string(), unit: z.string(), description: z.string() })),
  dimensions: z.array(z.object({ name: z.string(), description: z.string() })),
})
