import { z } from 'zod'
import type { Ch } from '../client.js'
import { chDateTime } from '../time.js'
import { chFlag, chNumber, chUuid, queryRows } from './rows.js'

// The failed questions knowledge_gaps_v1 has processed (gap_candidates_v1, docs/adr/0023): what an
// incremental run has not seen yet (failedQuestions' `unprocessed`, replies.ts), the pending ones it
// clusters again, and what it writes.

/** A vector as stored: Float32 little-endian, base64 ('' for none). Float32 keeps ~7 significant digits. */
export function encodeVector(v: readonly number[]): string {
  if (v.length === 0) return ''
  const bytes = Buffer.alloc(v.length * 4)
  v.forEach((x, i) => bytes.writeFloatLE(x, i * 4))
  return bytes.toString('base64')
}

export function decodeVector(text: string): number[] {
  const bytes = Buffer.from(text, 'base64')
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4))
}

export const GapCandidateRow = z.object({
  reply_id: chUuid,
  conversation_id: chUuid,
  /** The question with its filler removed (what was embedded). */
  question: z.string(),
  at: chNumber,
  escalated: chFlag,
  /** Empty when it was not kept (a member of an open or rejected gap). */
  vector: z.string().transform(decodeVector),
  gap_id: chUuid.nullable(),
})
export type GapCandidateRow = z.output<typeof GapCandidateRow>

/**
 * Processed questions of [from, …) in `embedder`'s space, most recent first, at most `limit`:
 * the pending ones (no gap yet) with `pending`, else those that went to one of `gapIds`.
 */
export async function gapCandidates(
  ch: Ch,
  p: { organizationId: string; from: Date; embedder: string; limit: number } & (
    { pending: true } | { gapIds: string[] }
  ),
): Promise<GapCandidateRow[]> {
  if ('gapIds' in p && p.gapIds.length === 0) return []
  const which = 'pending' in p ? 'gap_id IS NULL' : 'gap_id IN {gaps:Array(UUID)}'
  return queryRows(ch, 'gapCandidates', GapCandidateRow, {
    query: `
      SELECT toString(reply_id) AS reply_id, toString(conversation_id) AS conversation_id, question,
             toUnixTimestamp64Milli(replied_at) AS at, escalated, vector,
             if(isNull(gap_id), NULL, toString(gap_id)) AS gap_id
      FROM (
        SELECT * FROM gap_candidates_v1 FINAL
        WHERE organization_id = {org:UUID} AND replied_at >= {from:DateTime64(3)}
          AND embedder = {embedder:String} AND ${which}
      )
      ORDER BY replied_at DESC, reply_id
      LIMIT {limit:UInt32}`,
    params: {
      org: p.organizationId,
      from: chDateTime(p.from),
      embedder: p.embedder,
      limit: p.limit,
      ...('gapIds' in p ? { gaps: p.gapIds } : {}),
    },
  })
}

export interface GapCandidateWrite {
  replyId: string
  conversationId: string
  question: string
  /** Epoch ms. */
  repliedAt: number
  escalated: boolean
  vector: readonly number[]
  gapId: string | null
}

/** Records processed questions (a later row for the same reply replaces the earlier: its gap changed). */
export async function insertGapCandidates(
  ch: Ch,
  p: { organizationId: string; embedder: string; rows: readonly GapCandidateWrite[] },
): Promise<void> {
  if (p.rows.length === 0) return
  const computedAt = chDateTime(Date.now())
  await ch.insert({
    table: 'gap_candidates_v1',
    values: p.rows.map((r) => ({
      organization_id: p.organizationId,
      replied_at: chDateTime(r.repliedAt),
      reply_id: r.replyId,
      conversation_id: r.conversationId,
      question: r.question,
      escalated: Number(r.escalated),
      embedder: p.embedder,
      vector: encodeVector(r.vector),
      gap_id: r.gapId,
      computed_at: computedAt,
    })),
    format: 'JSONEachRow',
  })
}
