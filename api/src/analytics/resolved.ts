import { z } from 'zod'
import { AppError } from '../errors.js'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'
import type { Range } from './analytics.js'

export interface ResolvedFilters {
  status?: 'open' | 'confirmed' | 'assumed' | 'handed_off' | 'abandoned' | undefined
  resolved?: boolean | undefined
  agentId?: string | undefined
  channel?: string | undefined
  minCsat?: number | undefined
}

export interface ResolvedRow {
  conversationId: string
  agentId: string
  channel: string
  intent: string
  startedAt: string
  lastActivityAt: string
  status: string
  resolved: boolean
  confirmed: boolean
  assumed: boolean
  durable: boolean
  handedOff: boolean
  handoffReason: string
  csat: number | null
  replies: number
  unansweredReplies: number
  purchaseAmount: number
  costUsd: number
  /** The LLM judge's verdict on a sampled transcript (verified resolution); null when not judged. */
  verified: boolean | null
  verdictReason: string | null
  transcriptUrl: string
}

/** The tenant's report: one row per conversation with its outcome, newest first, keyset-paginated. */
export function resolvedQuery(
  auth: Auth,
  range: Range,
  f: ResolvedFilters,
  limit: number | null,
  cursor: { startedAt: string; id: string } | null,
) {
  const where = [
    'organization_id = {org:UUID}',
    'started_at >= {from:DateTime64(3)}',
    'started_at < {to:DateTime64(3)}',
  ]
  if (f.status) where.push('status = {status:String}')
  if (f.resolved !== undefined) where.push('resolved = {resolved:UInt8}')
  if (f.agentId) where.push('agent_id = {agent:UUID}')
  if (f.channel) where.push('channel = {channel:String}')
  if (f.minCsat !== undefined) where.push('csat >= {min_csat:Float32}')
  if (cursor) where.push('(started_at, o.conversation_id) < ({c_at:DateTime64(3)}, {c_id:UUID})')
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
      ${limit === null ? '' : 'LIMIT {limit:UInt32}'}
      SETTINGS join_use_nulls = 1`,
    query_params: {
      org: auth.organizationId,
      from: range.from.toISOString().replace('Z', ''),
      to: range.to.toISOString().replace('Z', ''),
      status: f.status,
      resolved: f.resolved === undefined ? undefined : Number(f.resolved),
      agent: f.agentId,
      channel: f.channel,
      min_csat: f.minCsat,
      c_at: cursor?.startedAt,
      c_id: cursor?.id,
      limit: limit === null ? undefined : limit + 1,
    },
  }
}

const iso = (chTime: string) => `${chTime.replace(' ', 'T')}Z`

export function toResolvedRow(r: Record<string, any>): ResolvedRow {
  return {
    conversationId: r.conversation_ref,
    agentId: r.agent_ref,
    channel: r.channel,
    intent: r.intent,
    startedAt: iso(r.started_at),
    lastActivityAt: iso(r.last_activity_at),
    status: r.status,
    resolved: Number(r.resolved) === 1,
    confirmed: Number(r.confirmed) === 1,
    assumed: Number(r.assumed) === 1,
    durable: Number(r.durable) === 1,
    handedOff: Number(r.handed_off) === 1,
    handoffReason: r.handoff_reason,
    csat: r.csat === null ? null : Number(r.csat),
    replies: Number(r.replies),
    unansweredReplies: Number(r.unanswered_replies),
    purchaseAmount: Number(r.purchase_amount),
    costUsd: Number(r.cost_usd),
    verified: r.verdict === null || r.verdict === undefined ? null : Number(r.verdict) === 1,
    verdictReason: r.verdict_reason ?? null,
    transcriptUrl: `/api/v1/conversations/${r.conversation_ref}`,
  }
}

const CursorShape = z.object({
  startedAt: z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/),
  id: z.uuid(),
})

/** A cursor is opaque to clients; one that was not ours is a 400, never a 500. */
function decodeCursor(cursor: string): { startedAt: string; id: string } {
  try {
    return CursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
  } catch {
    throw new AppError('validation_failed', 'Not a cursor this API returned', [
      { path: 'querystring.cursor', message: 'invalid cursor' },
    ])
  }
}

export async function resolvedPage(
  deps: AppDeps,
  auth: Auth,
  range: Range,
  f: ResolvedFilters,
  limit: number,
  cursor: string | undefined,
) {
  const decoded = cursor ? decodeCursor(cursor) : null
  const rs = await deps.ch.query({ ...resolvedQuery(auth, range, f, limit, decoded), format: 'JSONEachRow' })
  const rows = await rs.json<Record<string, any>>()
  const items = rows.slice(0, limit).map(toResolvedRow)
  const last = rows.length > limit ? rows[limit - 1] : undefined
  const nextCursor = last
    ? Buffer.from(JSON.stringify({ startedAt: last.started_at, id: last.conversation_ref })).toString(
        'base64url',
      )
    : null
  return { items, nextCursor }
}

export const CSV_COLUMNS: (keyof ResolvedRow)[] = [
  'conversationId',
  'startedAt',
  'lastActivityAt',
  'agentId',
  'channel',
  'intent',
  'status',
  'resolved',
  'confirmed',
  'assumed',
  'durable',
  'handedOff',
  'handoffReason',
  'csat',
  'replies',
  'unansweredReplies',
  'purchaseAmount',
  'costUsd',
  'verified',
  'verdictReason',
  'transcriptUrl',
]

/** RFC 4180 field; a leading =,+,-,@ is prefixed with ' so spreadsheets never run it as a formula. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return ''
  let s =
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? `${v}` : JSON.stringify(v)
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}
