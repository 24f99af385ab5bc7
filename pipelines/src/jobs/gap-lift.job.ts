import {
  chDateTime,
  customerQuestions,
  gapLiftCoverage,
  gapPhaseCounts,
  gapsForMatching,
  type KnowledgeGap,
} from '@luneo/warehouse'
import { defineJob, type JobContext } from '../runner/job.js'
import { removeFiller } from './filler.js'
import { LIFT_BEFORE_DAYS, gapOfQuestion, liftRowOf, liftStart, type AcceptedGap } from './gap-lift.js'
import { gapOptionsFor } from './gaps.js'

const DAY = 24 * 3600 * 1000
/** Questions embedded per batch: bounds memory on a long backfill (~5 ms a question with MiniLM). */
const BATCH = 256

/**
 * Gaps accepted at least once (they have a published document; a reopened one keeps it) whose
 * centroid is in this embedder's space (knowledge_gaps_v1, which runs first, re-embeds the others).
 */
function acceptedGaps(rows: KnowledgeGap[], embedderId: string): AcceptedGap[] {
  return rows
    .filter((g) => g.status !== 'rejected' && g.document_id && g.reviewed_at && g.embedder === embedderId)
    .map((g) => ({ id: g.id, centroid: g.centroid, acceptedAt: g.reviewed_at!.getTime() }))
}

/** Assigns the questions of [from, to) to the accepted gaps (gap_questions_v1); returns how many. */
async function assignQuestions(
  ctx: JobContext,
  org: string,
  gaps: AcceptedGap[],
  window: { from: Date; to: Date; onlyNew: boolean },
): Promise<number> {
  if (window.from >= window.to) return 0
  const threshold = gapOptionsFor(ctx.embedder.id).matchSimilarity
  const questions = await customerQuestions(ctx.ch, { organizationId: org, ...window })
  for (let i = 0; i < questions.length; i += BATCH) {
    const batch = questions.slice(i, i + BATCH).map((q) => ({ q, text: removeFiller(q.question) }))
    const kept = batch.filter((b) => b.text !== '')
    const vectors = kept.length ? await ctx.embedder.embed(kept.map((b) => b.text)) : []
    const vectorOf = new Map(kept.map((b, k) => [b.q.reply_id, vectors[k]!]))
    const computedAt = chDateTime(Date.now())
    const rows = batch.map(({ q }) => {
      const v = vectorOf.get(q.reply_id)
      // pure filler ("thanks!") falls in no gap, but is processed all the same
      const hit = v ? gapOfQuestion(v, gaps, threshold) : null
      return {
        organization_id: org,
        replied_at: chDateTime(q.at),
        reply_id: q.reply_id,
        conversation_id: q.conversation_id,
        gap_id: hit?.gapId ?? null,
        similarity: hit?.similarity ?? 0,
        computed_at: computedAt,
      }
    })
    await ctx.ch.insert({ table: 'gap_questions_v1', values: rows, format: 'JSONEachRow' })
  }
  return questions.length
}

/**
 * Lift per accepted gap → gap_lift_v1: the answered and resolved rates of the questions that fall
 * in it, in the 30 days before its acceptance and since (docs/metrics.md § Knowledge gaps).
 * Incremental: each question is embedded once (gap_questions_v1 remembers it), except when a gap
 * is newly accepted (or re-accepted): then its 30 days before and everything since are assigned
 * again, against every accepted gap. The counts are recomputed each run: conversations close later.
 */
export const gapLift = defineJob({
  name: 'gap_lift_v1',
  scope: 'organization',
  // The learning signals recompute two days each run: a reply may reach reply_signals_v1 late.
  lookbackMs: 2 * DAY,
  async run(ctx) {
    const org = ctx.organizationId!
    const gaps = acceptedGaps(await gapsForMatching(ctx.db, org), ctx.embedder.id)
    if (gaps.length === 0) return { rowsIn: 0, rowsOut: 0 }
    const coverage = new Map(
      (await gapLiftCoverage(ctx.ch, { organizationId: org })).map((c) => [c.gap_id, c]),
    )
    const fresh = ctx.full ? gaps : gaps.filter((g) => coverage.get(g.id)?.accepted_at !== g.acceptedAt)
    const earliest = Math.min(...gaps.map((g) => liftStart(g.acceptedAt)))
    let rowsIn = 0
    if (fresh.length) {
      const from = new Date(Math.min(...fresh.map((g) => liftStart(g.acceptedAt))))
      rowsIn += await assignQuestions(ctx, org, gaps, { from, to: ctx.to, onlyNew: false })
    }
    // Questions before every gap's window never count: a first run does not embed all history.
    const from = new Date(Math.max(ctx.from.getTime(), earliest))
    rowsIn += await assignQuestions(ctx, org, gaps, { from, to: ctx.to, onlyNew: true })
    const counts = await gapPhaseCounts(ctx.ch, {
      organizationId: org,
      gaps: gaps.map((g) => ({ id: g.id, acceptedAt: new Date(g.acceptedAt) })),
      beforeDays: LIFT_BEFORE_DAYS,
      to: ctx.to,
    })
    const computedAt = chDateTime(Date.now())
    const rows = gaps.map((g) => {
      const r = liftRowOf(g, counts, ctx.to.getTime())
      return {
        organization_id: org,
        ...r,
        accepted_at: chDateTime(r.accepted_at),
        before_from: chDateTime(r.before_from),
        covered_to: chDateTime(r.covered_to),
        computed_at: computedAt,
      }
    })
    await ctx.ch.insert({ table: 'gap_lift_v1', values: rows, format: 'JSONEachRow' })
    return { rowsIn, rowsOut: rows.length }
  },
})
