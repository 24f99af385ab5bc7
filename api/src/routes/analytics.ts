import { Readable } from 'node:stream'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { RefreshBusyError } from '@luneo/pipelines'
import { streamResolvedConversations } from '@luneo/warehouse'
import type { AppDeps } from '../context.js'
import { AppError } from '../errors.js'
import { authOf } from '../plugins/auth.js'
import { query, assumptionsFor, type Range } from '../analytics/analytics.js'
import { freshnessOf } from '../services/freshness.js'
import { refreshAnalytics } from '../services/refresh.js'
import { signalsReport } from '../analytics/signals.js'
import { dimensions, measures } from '../analytics/semantic.js'
import { CSV_COLUMNS, csvField, resolvedFilter, resolvedPage, toResolvedRow } from '../analytics/resolved.js'
import {
  AnalyticsQuery,
  AnalyticsResult,
  Catalogue,
  Freshness,
  RangeOnly,
  RefreshResult,
  ResolvedCsv,
  ResolvedPage,
  ResolvedQuery,
  ROI_MEASURES,
  Roi,
  Signals,
  measureValues,
  periodOf,
} from '../schemas/analytics.js'

const tags = ['analytics']
const read = { role: 'viewer', scopes: ['analytics:read'] } as const
const DAY = 24 * 3600 * 1000

function rangeOf(q: { from?: string | undefined; to?: string | undefined }): Range {
  const to = q.to ? new Date(q.to) : new Date()
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY)
  return { from, to }
}
const rangeDto = (r: Range) => ({ from: r.from.toISOString(), to: r.to.toISOString() })

export const analyticsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/analytics/catalogue',
    {
      schema: { operationId: 'getAnalyticsCatalogue', tags, response: { 200: Catalogue } },
      config: { access: read },
    },
    async () => ({
      measures: Object.entries(measures).map(([name, m]) => ({
        name,
        unit: m.unit,
        description: m.description,
      })),
      dimensions: Object.entries(dimensions).map(([name, d]) => ({ name, description: d.description })),
    }),
  )

  app.get(
    '/analytics/freshness',
    {
      schema: { operationId: 'getAnalyticsFreshness', tags, response: { 200: Freshness } },
      config: { access: read },
    },
    async (req) => freshnessOf(deps, authOf(req)),
  )

  app.get(
    '/analytics/query',
    {
      schema: {
        operationId: 'queryAnalytics',
        tags,
        querystring: AnalyticsQuery,
        response: { 200: AnalyticsResult },
      },
      config: { access: read },
    },
    async (req) => {
      const range = rangeOf(req.query)
      const { measures: ms, dimensions: ds, agentId, channel, intent, variantId } = req.query
      const r = await query(deps, authOf(req), ms, ds ?? [], range, { agentId, channel, intent, variantId })
      return { ...r, range: rangeDto(range) }
    },
  )

  app.get(
    '/analytics/roi',
    {
      schema: { operationId: 'getRoi', tags, querystring: RangeOnly, response: { 200: Roi } },
      config: { access: read },
    },
    async (req) => {
      const auth = authOf(req)
      const range = rangeOf(req.query)
      const { org, params } = await assumptionsFor(deps, auth, range, {})
      const [totalsResult, seriesResult] = await Promise.all([
        query(deps, auth, [...ROI_MEASURES], [], range, {}, params),
        query(deps, auth, [...ROI_MEASURES], [req.query.granularity], range, {}, params),
      ])
      const { granularity } = req.query
      return {
        range: rangeDto(range),
        currency: org.currency,
        assumptions: {
          minutesPerConversation: org.minutes_per_conversation,
          hourlyCost: org.hourly_cost,
          subscriptionMonthly: org.subscription_monthly,
          resolutionWindowHours: org.resolution_window_hours,
          durableDays: org.durable_days,
        },
        totals: measureValues(ROI_MEASURES, totalsResult.rows[0]),
        series: seriesResult.rows.map((r) => ({
          ...periodOf(granularity, r),
          ...measureValues(ROI_MEASURES, r),
        })),
      }
    },
  )

  app.get(
    '/analytics/signals',
    {
      schema: { operationId: 'getSignals', tags, querystring: RangeOnly, response: { 200: Signals } },
      config: { access: read },
    },
    async (req) => {
      const range = rangeOf(req.query)
      return { range: rangeDto(range), ...(await signalsReport(deps, authOf(req), range)) }
    },
  )

  app.get(
    '/analytics/conversations/resolved',
    {
      schema: {
        operationId: 'listResolvedConversations',
        tags,
        querystring: ResolvedQuery,
        response: { 200: ResolvedPage },
      },
      // gapId names a knowledge gap: one of another organization, or none, is 404.
      config: { access: read, problems: ['not_found'] },
    },
    async (req) => {
      const { limit, cursor, ...filters } = req.query
      return resolvedPage(deps, authOf(req), rangeOf(req.query), filters, limit, cursor)
    },
  )

  // Streamed: rows go out as ClickHouse produces them, one row per conversation, same fields as the JSON.
  app.get(
    '/analytics/conversations/resolved/export.csv',
    {
      schema: {
        operationId: 'exportResolvedConversationsCsv',
        tags,
        querystring: ResolvedQuery.omit({ limit: true, cursor: true }),
        documentedOnly: {
          response: {
            200: {
              description: 'One row per conversation',
              content: { 'text/csv': { schema: ResolvedCsv } },
            },
          },
        },
      },
      config: { access: read, problems: ['not_found'] },
    },
    async (req, reply) => {
      const rows = await streamResolvedConversations(
        deps.ch,
        await resolvedFilter(deps, authOf(req), rangeOf(req.query), req.query),
      )
      // Lines go out ~64 KB at a time: a chunk per line made the stream's own bookkeeping a tenth
      // of a large export's CPU (bench/README.md, "Analytics at scale").
      async function* lines() {
        let chunk = `${CSV_COLUMNS.join(',')}\r\n`
        for await (const row of rows) {
          const r = toResolvedRow(row)
          chunk += `${CSV_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`
          if (chunk.length >= 65_536) {
            yield chunk
            chunk = ''
          }
        }
        yield chunk
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="conversations.csv"')
        .send(Readable.from(lines()))
    },
  )

  app.post(
    '/analytics/refresh',
    {
      schema: {
        operationId: 'refreshAnalytics',
        tags,
        description:
          "Runs the organization's pipeline jobs now, over every event it committed before the call: it first waits (up to LUNEO_REFRESH_WAIT_MS, 30 s by default) for those events to reach ClickHouse; past that it runs on what arrived and `coverage.complete` is false.",
        response: { 200: RefreshResult },
      },
      config: { access: { role: 'admin', scopes: ['admin'] } },
    },
    async (req, reply) =>
      refreshAnalytics(deps, authOf(req)).catch((err: unknown) => {
        if (!(err instanceof RefreshBusyError)) throw err
        void reply.header('retry-after', '10')
        throw new AppError('rate_limited', `${err.message}: try again in a few seconds`)
      }),
  )
}
