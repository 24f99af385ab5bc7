import { z } from 'zod'
import type { Ch } from '../client.js'
import { chDateTime } from '../time.js'
import { chFlag, chInstant, chNumber, chUuid, queryRows, streamRows, type Sql } from './rows.js'

// Reads of conversation_outcomes_v1 (one row per conversation, conversation_outcomes_v1 job),
// joined with conversation_verdicts_v1 where a judge gave one. FINAL: the marts are small.

export const VariantOutcomeRow = z.object({
  variant_id: chUuid,
  n: chNumber,
  resolved: chNumber,
  handed_off: chNumber,
  mean_csat: chNumber.nullable(),
  csat_count: chNumber,
})
export type VariantOutcomeRow = z.output<typeof VariantOutcomeRow>

/** Closed conversations per variant of one experiment: counts of resolved and handed off, CSAT. */
export async function variantOutcomes(
  ch: Ch,
  p: { organizationId: string; experimentId: string },
): Promise<VariantOutcomeRow[]> {
  return queryRows(ch, 'variantOutcomes', VariantOutcomeRow, {
    query: `
      SELECT toString(variant_id) AS variant_id, count() AS n, sum(resolved) AS resolved,
             sum(handed_off) AS handed_off, avgOrNull(csat) AS mean_csat, count(csat) AS csat_count
      FROM conversation_outcomes_v1 FINAL
      WHERE organization_id = {org:UUID} AND experiment_id = {exp:UUID} AND closed = 1
        AND variant_id IS NOT NULL
      GROUP BY variant_id`,
    params: { org: p.organizationId, exp: p.experimentId },
  })
}

const ConversationIdRow = z.object({ conv: chUuid })

/** Conversations closed by activity in [from, to) that no judge has a verdict on yet, by id. */
export async function unjudgedClosedConversations(
  ch: Ch,
  p: { organizationId: string; from: Date; to: Date },
): Promise<string[]> {
  const rows = await queryRows(ch, 'unjudgedClosedConversations', ConversationIdRow, {
    query: `
      SELECT toString(conversation_id) AS conv
      FROM conversation_outcomes_v1 FINAL
      WHERE organization_id = {org:UUID} AND closed = 1
        AND last_activity_at >= {from:DateTime64(3)} AND last_activity_at < {to:DateTime64(3)}
        AND conversation_id NOT IN (SELECT conversation_id FROM conversation_verdicts_v1 WHERE organization_id = {org:UUID})
      ORDER BY conversation_id`,
    params: { org: p.organizationId, from: chDateTime(p.from), to: chDateTime(p.to) },
  })
  return rows.map((r) => r.conv)
}

export const ResolvedConversationRow = z.object({
  conversation_ref: chUuid,
  agent_ref: chUuid,
  channel: z.string(),
  intent: z.string(),
  started_at: chInstant,
  last_activity_at: chInstant,
  status: z.string(),
  resolved: chFlag,
  confirmed: chFlag,
  assumed: chFlag,
  durable: chFlag,
  handed_off: chFlag,
  handoff_reason: z.string(),
  csat: chNumber.nullable(),
  replies: chNumber,
  unanswered_replies: chNumber,
  purchase_amount: chNumber,
  cost_usd: chNumber,
  /** The judge's verdict (verified resolution); null when the conversation was not judged. */
  verdict: chFlag.nullable(),
  verdict_reason: z.string().nullable(),
})
export type ResolvedConversationRow = z.output<typeof ResolvedConversationRow>

export interface ResolvedConversationsQuery {
  organizationId: string
  /** Conversations started in [from, to). */
  from: Date
  to: Date
  status?: string | undefined
  resolved?: boolean | undefined
  agentId?: string | undefined
  channel?: string | undefined
  /** The intent of the conversation's first reply (the semantic layer's `intent` dimension). */
  intent?: string | undefined
  /** The prompt variant that served the first reply (the `variant` dimension). */
  variantId?: string | undefined
  minCsat?: number | undefined
  /**
   * Only conversations holding one of these replies (a knowledge gap's member questions: the
   * conversations behind a gap's numbers). An empty list matches nothing.
   */
  replyIds?: string[] | undefined
  /** Rows at most; absent for all of them (the CSV export). */
  limit?: number | undefined
  /** Keyset: only conversations before this (started_at as returned, conversation id). */
  before?: { startedAt: string; id: string } | null | undefined
}

function resolvedSql(p: ResolvedConversationsQuery): Sql {
  const where = [
    'organization_id = {org:UUID}',
    'started_at >= {from:DateTime64(3)}',
    'started_at < {to:DateTime64(3)}',
  ]
  if (p.status) where.push('status = {status:String}')
  if (p.resolved !== undefined) where.push('resolved = {resolved:UInt8}')
  if (p.agentId) where.push('agent_id = {agent:UUID}')
  if (p.channel) where.push('channel = {channel:String}')
  if (p.intent) where.push('intent = {intent:String}')
  if (p.variantId) where.push('variant_id = {variant:UUID}')
  if (p.minCsat !== undefined) where.push('csat >= {min_csat:Float32}')
  if (p.replyIds)
    where.push(
      'o.conversation_id IN (SELECT conversation_id FROM reply_signals_v1 WHERE organization_id = {org:UUID} AND reply_id IN {replies:Array(UUID)})',
    )
  if (p.before) where.push('(started_at, o.conversation_id) < ({c_at:DateTime64(3)}, {c_id:UUID})')
  return {
    query: `
      SELECT toString(o.conversation_id) AS conversation_ref, toString(agent_id) AS agent_ref, channel, intent,
             started_at, last_activity_at, status, resolved, confirmed, assumed, durable, handed_off,
             handoff_reason, csat, replies, unanswered_replies, purchase_amount, cost_usd,
             v.verified AS verdict, v.reason AS verdict_reason
      FROM conversation_outcomes_v1 AS o FINAL
      LEFT JOIN (
        SELECT conversation_id, verified, reason FROM conversation_verdicts_v1 FINAL WHERE organization_id = {org:UUID}
      ) AS v ON v.conversation_id = o.conversation_id
      WHERE ${where.join(' AND ')}
      ORDER BY started_at DESC, o.conversation_id DESC
      ${p.limit === undefined ? '' : 'LIMIT {limit:UInt32}'}
      SETTINGS join_use_nulls = 1`,
    params: {
      org: p.organizationId,
      from: chDateTime(p.from),
      to: chDateTime(p.to),
      status: p.status,
      resolved: p.resolved === undefined ? undefined : Number(p.resolved),
      agent: p.agentId,
      channel: p.channel,
      intent: p.intent,
      variant: p.variantId,
      min_csat: p.minCsat,
      replies: p.replyIds,
      c_at: p.before && chDateTime(Date.parse(p.before.startedAt)),
      c_id: p.before?.id,
      limit: p.limit,
    },
  }
}

/** The organization's conversations with their outcome and verdict, newest first (the resolved report). */
export async function resolvedConversations(
  ch: Ch,
  p: ResolvedConversationsQuery,
): Promise<ResolvedConversationRow[]> {
  return queryRows(ch, 'resolvedConversations', ResolvedConversationRow, resolvedSql(p))
}

/** The same rows as `resolvedConversations`, streamed as ClickHouse produces them (the CSV export). */
export async function streamResolvedConversations(
  ch: Ch,
  p: ResolvedConversationsQuery,
): Promise<AsyncIterable<ResolvedConversationRow>> {
  return streamRows(ch, 'resolvedConversations', ResolvedConversationRow, resolvedSql(p))
}
