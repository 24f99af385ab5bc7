import { z } from 'zod'
import type { Ch } from '../client.js'
import { chDateTime } from '../time.js'
import { chFlag, chNumber, chUuid, queryRows } from './rows.js'

// Lift per accepted knowledge gap (gap_lift_v1 job): the customer questions to assign to gaps,
// the counts before and after each acceptance, and the mart the API reads.

export const CustomerQuestionRow = z.object({
  reply_id: chUuid,
  conversation_id: chUuid,
  question: z.string(),
  /** When the reply was sent, epoch ms. */
  at: chNumber,
})
export type CustomerQuestionRow = z.output<typeof CustomerQuestionRow>

/**
 * The customer questions (one per AI reply) of [from, to), oldest first. `onlyNew` leaves out the
 * replies gap_questions_v1 already holds (processed by an earlier run).
 */
export async function customerQuestions(
  ch: Ch,
  p: { organizationId: string; from: Date; to: Date; onlyNew: boolean },
): Promise<CustomerQuestionRow[]> {
  // The filters run in a subquery: the toString aliases would shadow the UUID columns in a WHERE.
  const processed = p.onlyNew
    ? `AND reply_id NOT IN (
         SELECT reply_id FROM gap_questions_v1
         WHERE organization_id = {org:UUID}
           AND replied_at >= {from:DateTime64(3)} AND replied_at < {to:DateTime64(3)})`
    : ''
  return queryRows(ch, 'customerQuestions', CustomerQuestionRow, {
    query: `
      SELECT toString(reply_id) AS reply_id, toString(conversation_id) AS conversation_id, question,
             toUnixTimestamp64Milli(replied_at) AS at
      FROM (
        SELECT * FROM reply_signals_v1 FINAL
        WHERE organization_id = {org:UUID}
          AND replied_at >= {from:DateTime64(3)} AND replied_at < {to:DateTime64(3)}
          AND question != '' ${processed}
      )
      ORDER BY at, reply_id`,
    params: { org: p.organizationId, from: chDateTime(p.from), to: chDateTime(p.to) },
  })
}

export const GapCoverageRow = z.object({
  gap_id: chUuid,
  accepted_at: chNumber,
  covered_to: chNumber,
})
export type GapCoverageRow = z.output<typeof GapCoverageRow>

/** How far each gap's lift was computed: for which acceptance, and up to when (epoch ms). */
export async function gapLiftCoverage(ch: Ch, p: { organizationId: string }): Promise<GapCoverageRow[]> {
  return queryRows(ch, 'gapLiftCoverage', GapCoverageRow, {
    query: `
      SELECT toString(gap_id) AS gap_id, toUnixTimestamp64Milli(accepted_at) AS accepted_at,
             toUnixTimestamp64Milli(covered_to) AS covered_to
      FROM gap_lift_v1 FINAL
      WHERE organization_id = {org:UUID}
      ORDER BY gap_id`,
    params: { org: p.organizationId },
  })
}

export const GapPhaseCountsRow = z.object({
  gap_id: chUuid,
  after: chFlag,
  questions: chNumber,
  answered: chNumber,
  closed: chNumber,
  resolved: chNumber,
})
export type GapPhaseCountsRow = z.output<typeof GapPhaseCountsRow>

/**
 * Per gap, before (the `beforeDays` before its acceptance) and after (from acceptance to `to`):
 * the questions that fell in it, those answered (the reply was not unanswered), and their
 * conversations that are closed and AI-resolved (confirmed or assumed), counted once each.
 */
export async function gapPhaseCounts(
  ch: Ch,
  p: { organizationId: string; gaps: { id: string; acceptedAt: Date }[]; beforeDays: number; to: Date },
): Promise<GapPhaseCountsRow[]> {
  if (p.gaps.length === 0) return []
  return queryRows(ch, 'gapPhaseCounts', GapPhaseCountsRow, {
    query: `
      SELECT toString(q.gap_id) AS gap_id, toUInt8(q.replied_at >= a.accepted_at) AS after,
             count() AS questions, countIf(s.unanswered = 0) AS answered,
             uniqExactIf(q.conversation_id, o.closed = 1) AS closed,
             uniqExactIf(q.conversation_id, o.closed = 1 AND o.resolved = 1) AS resolved
      FROM (
        SELECT assumeNotNull(gap_id) AS gap_id, reply_id, conversation_id, replied_at
        FROM gap_questions_v1 FINAL
        WHERE organization_id = {org:UUID} AND gap_id IN {gaps:Array(UUID)}
          AND replied_at < {to:DateTime64(3)}
      ) AS q
      INNER JOIN (
        SELECT g.1 AS gap_id, fromUnixTimestamp64Milli(g.2, 'UTC') AS accepted_at
        FROM (SELECT arrayJoin(arrayZip({gaps:Array(UUID)}, {accepted:Array(Int64)})) AS g)
      ) AS a ON a.gap_id = q.gap_id
      LEFT JOIN (
        SELECT reply_id, unanswered FROM reply_signals_v1 FINAL WHERE organization_id = {org:UUID}
      ) AS s ON s.reply_id = q.reply_id
      LEFT JOIN (
        SELECT conversation_id, closed, resolved
        FROM conversation_outcomes_v1 FINAL WHERE organization_id = {org:UUID}
      ) AS o ON o.conversation_id = q.conversation_id
      WHERE q.replied_at >= a.accepted_at - toIntervalDay({days:UInt32})
      GROUP BY gap_id, after
      ORDER BY gap_id, after`,
    params: {
      org: p.organizationId,
      gaps: p.gaps.map((g) => g.id),
      accepted: p.gaps.map((g) => g.acceptedAt.getTime()),
      days: p.beforeDays,
      to: chDateTime(p.to),
    },
  })
}

/** Times are epoch ms. */
export const GapLiftRow = z.object({
  gap_id: chUuid,
  accepted_at: chNumber,
  before_from: chNumber,
  covered_to: chNumber,
  before_questions: chNumber,
  before_answered: chNumber,
  before_closed: chNumber,
  before_resolved: chNumber,
  after_questions: chNumber,
  after_answered: chNumber,
  after_closed: chNumber,
  after_resolved: chNumber,
  computed_at: chNumber,
})
export type GapLiftRow = z.output<typeof GapLiftRow>

/** The lift rows of these gaps (one per gap that has been computed), for the API. */
export async function gapLift(
  ch: Ch,
  p: { organizationId: string; gapIds: string[] },
): Promise<GapLiftRow[]> {
  if (p.gapIds.length === 0) return []
  return queryRows(ch, 'gapLift', GapLiftRow, {
    query: `
      SELECT toString(gap_id) AS gap_id, toUnixTimestamp64Milli(accepted_at) AS accepted_at,
             toUnixTimestamp64Milli(before_from) AS before_from,
             toUnixTimestamp64Milli(covered_to) AS covered_to,
             before_questions, before_answered, before_closed, before_resolved,
             after_questions, after_answered, after_closed, after_resolved,
             toUnixTimestamp64Milli(computed_at) AS computed_at
      -- filtered in a subquery: the toString alias would shadow the UUID column in a WHERE
      FROM (
        SELECT * FROM gap_lift_v1 FINAL
        WHERE organization_id = {org:UUID} AND gap_id IN {gaps:Array(UUID)}
      )
      ORDER BY gap_id`,
    params: { org: p.organizationId, gaps: p.gapIds },
  })
}
