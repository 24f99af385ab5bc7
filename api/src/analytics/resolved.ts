import { z } from 'zod'
import {
  resolvedConversations,
  type ResolvedConversationRow,
  type ResolvedConversationsQuery,
} from '@luneo/warehouse'
import { AppError } from '../errors.js'
import { requireGap } from '../services/gaps.js'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'
import type { Range } from './analytics.js'

export interface ResolvedFilters {
  status?: 'open' | 'confirmed' | 'assumed' | 'handed_off' | 'abandoned' | undefined
  resolved?: boolean | undefined
  agentId?: string | undefined
  channel?: string | undefined
  intent?: string | undefined
  variantId?: string | undefined
  minCsat?: number | undefined
  /** A knowledge gap: only the conversations its questions were asked in. */
  gapId?: string | undefined
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

/**
 * The warehouse query of the caller's report: their organization, the range, the filters. A gap
 * filter becomes the gap's member replies, read from the caller's organization only (another
 * organization's gap id is the same 404 as a missing one).
 */
export async function resolvedFilter(
  deps: AppDeps,
  auth: Auth,
  range: Range,
  f: ResolvedFilters,
): Promise<ResolvedConversationsQuery> {
  const replyIds = f.gapId ? (await requireGap(deps, auth, f.gapId)).member_ids : undefined
  return {
    replyIds,
    organizationId: auth.organizationId,
    from: range.from,
    to: range.to,
    status: f.status,
    resolved: f.resolved,
    agentId: f.agentId,
    channel: f.channel,
    intent: f.intent,
    variantId: f.variantId,
    minCsat: f.minCsat,
  }
}

export function toResolvedRow(r: ResolvedConversationRow): ResolvedRow {
  return {
    conversationId: r.conversation_ref,
    agentId: r.agent_ref,
    channel: r.channel,
    intent: r.intent,
    startedAt: r.started_at,
    lastActivityAt: r.last_activity_at,
    status: r.status,
    resolved: r.resolved,
    confirmed: r.confirmed,
    assumed: r.assumed,
    durable: r.durable,
    handedOff: r.handed_off,
    handoffReason: r.handoff_reason,
    csat: r.csat,
    replies: r.replies,
    unansweredReplies: r.unanswered_replies,
    purchaseAmount: r.purchase_amount,
    costUsd: r.cost_usd,
    verified: r.verdict,
    verdictReason: r.verdict_reason,
    transcriptUrl: `/api/v1/conversations/${r.conversation_ref}`,
  }
}

const CursorShape = z.object({
  startedAt: z.iso.datetime(),
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
  const rows = await resolvedConversations(deps.ch, {
    ...(await resolvedFilter(deps, auth, range, f)),
    limit: limit + 1,
    before: decoded,
  })
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
