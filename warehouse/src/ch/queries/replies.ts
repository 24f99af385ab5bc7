import { z } from 'zod'
import type { Ch } from '../client.js'
import { chDateTime } from '../time.js'
import { chFlag, chInstant, chNumber, chUuid, queryRows } from './rows.js'

// Reads of reply_signals_v1: one row per AI reply with its learning signals (learning_signals_v1).

export const FailedQuestionRow = z.object({
  reply_id: chUuid,
  conversation_id: chUuid,
  question: z.string(),
  /** When the reply was sent, epoch ms. */
  at: chNumber,
  escalated_after: chFlag,
})
export type FailedQuestionRow = z.output<typeof FailedQuestionRow>

/**
 * The failed questions (unanswered or negative feedback) of [from, to), most recent first, at most
 * `limit`. `unprocessed` leaves out those gap_candidates_v1 holds (knowledge_gaps_v1 processed
 * them): judged by the processed set, not by time, so a reply that reached ClickHouse late, or
 * whose feedback came days later, is new all the same.
 */
export async function failedQuestions(
  ch: Ch,
  p: { organizationId: string; from: Date; to: Date; limit: number; unprocessed?: boolean },
): Promise<FailedQuestionRow[]> {
  const processed = p.unprocessed
    ? `AND reply_id NOT IN (
            SELECT reply_id FROM gap_candidates_v1
            WHERE organization_id = {org:UUID} AND replied_at >= {from:DateTime64(3)})`
    : ''
  // The filters run in a subquery: the toString aliases would shadow the UUID columns in a WHERE.
  return queryRows(ch, 'failedQuestions', FailedQuestionRow, {
    query: `
      SELECT toString(reply_id) AS reply_id, toString(conversation_id) AS conversation_id, question,
             toUnixTimestamp64Milli(replied_at) AS at, escalated_after
      FROM (
        SELECT reply_id, conversation_id, question, replied_at, escalated_after
        FROM reply_signals_v1 FINAL
        WHERE organization_id = {org:UUID}
          AND replied_at >= {from:DateTime64(3)} AND replied_at < {to:DateTime64(3)}
          AND (unanswered = 1 OR negative_feedback = 1) AND question != ''
          ${processed}
      )
      ORDER BY replied_at DESC, reply_id
      LIMIT {limit:UInt32}`,
    params: { org: p.organizationId, from: chDateTime(p.from), to: chDateTime(p.to), limit: p.limit },
  })
}

export const ReplyQuestionRow = z.object({ reply_id: chUuid, question: z.string() })
export type ReplyQuestionRow = z.output<typeof ReplyQuestionRow>

/** The customer questions of these replies (those still in reply_signals_v1), to re-embed a stored gap. */
export async function questionsOfReplies(
  ch: Ch,
  p: { organizationId: string; replyIds: string[] },
): Promise<ReplyQuestionRow[]> {
  if (p.replyIds.length === 0) return []
  return queryRows(ch, 'questionsOfReplies', ReplyQuestionRow, {
    query: `
      SELECT toString(reply_id) AS reply_id, question
      -- filtered in a subquery: the toString alias would shadow the UUID column in a WHERE
      FROM (
        SELECT reply_id, question FROM reply_signals_v1 FINAL
        WHERE organization_id = {org:UUID} AND reply_id IN {ids:Array(UUID)} AND question != ''
      )
      ORDER BY reply_id`,
    params: { org: p.organizationId, ids: p.replyIds },
  })
}

export const ReplyDayRow = z.object({ reply_id: chUuid, day: z.string() })
export type ReplyDayRow = z.output<typeof ReplyDayRow>

/** The UTC day (YYYY-MM-DD) each of these replies was sent, for those sent since `from` (a gap's trend). */
export async function replyDays(
  ch: Ch,
  p: { organizationId: string; replyIds: string[]; from: Date },
): Promise<ReplyDayRow[]> {
  if (p.replyIds.length === 0) return []
  return queryRows(ch, 'replyDays', ReplyDayRow, {
    query: `
      SELECT toString(reply_id) AS reply_id, toString(toDate(replied_at, 'UTC')) AS day
      FROM (
        SELECT reply_id, replied_at FROM reply_signals_v1 FINAL
        WHERE organization_id = {org:UUID} AND reply_id IN {ids:Array(UUID)}
          AND replied_at >= {from:DateTime64(3)}
      )
      ORDER BY day, reply_id`,
    params: { org: p.organizationId, ids: p.replyIds, from: chDateTime(p.from) },
  })
}

export const ReplyConversationRow = z.object({
  reply_ref: chUuid,
  conversation_ref: chUuid,
  started_at: chInstant,
})
export type ReplyConversationRow = z.output<typeof ReplyConversationRow>

/**
 * The conversation each of these replies belongs to and when it started, for those the outcome
 * mart already holds: the conversations behind a gap's numbers, which the report filtered by the
 * gap lists (same marts, so the two counts agree).
 *
 * No FINAL: a reply's conversation and a conversation's start never change between a mart row's
 * versions, so DISTINCT and min() give what FINAL would, and skip merging every version of the
 * organization's rows at read time — the reply ids select no range of the (organization, time)
 * key, so that merge covered all its history: half this query's time at 10M events (bench/README.md,
 * "Analytics at scale").
 */
export async function conversationsOfReplies(
  ch: Ch,
  p: { organizationId: string; replyIds: string[] },
): Promise<ReplyConversationRow[]> {
  if (p.replyIds.length === 0) return []
  return queryRows(ch, 'conversationsOfReplies', ReplyConversationRow, {
    query: `
      SELECT toString(r.reply_id) AS reply_ref, toString(r.conversation_id) AS conversation_ref, o.started_at AS started_at
      FROM (
        SELECT DISTINCT reply_id, conversation_id FROM reply_signals_v1
        WHERE organization_id = {org:UUID} AND reply_id IN {ids:Array(UUID)}
      ) AS r
      INNER JOIN (
        SELECT conversation_id, min(started_at) AS started_at FROM conversation_outcomes_v1
        WHERE organization_id = {org:UUID} AND conversation_id IN (
          SELECT conversation_id FROM reply_signals_v1 WHERE organization_id = {org:UUID} AND reply_id IN {ids:Array(UUID)}
        )
        GROUP BY conversation_id
      ) AS o ON o.conversation_id = r.conversation_id
      ORDER BY reply_ref`,
    params: { org: p.organizationId, ids: p.replyIds },
  })
}
