/**
 * Lift per accepted knowledge gap, the pure part (docs/metrics.md § Knowledge gaps): which gap a
 * customer question falls in, and the mart row of a gap from its before/after counts. The job
 * (gap-lift.job.ts) does the IO around these.
 */
import { cosineSimilarity } from './clustering.js'

/** The "before" window: the 30 days before acceptance (the window the gap was found in). */
export const LIFT_BEFORE_DAYS = 30
const DAY = 24 * 3600 * 1000

/** An accepted gap as the lift needs it. */
export interface AcceptedGap {
  id: string
  centroid: number[]
  /** When it was (last) accepted, epoch ms. */
  acceptedAt: number
}

/**
 * The accepted gap a question falls in: the one whose centroid is most similar, if that cosine is
 * at least `threshold` (the match similarity: the same rule that says a cluster is that gap).
 */
export function gapOfQuestion(
  vector: readonly number[],
  gaps: readonly AcceptedGap[],
  threshold: number,
): { gapId: string; similarity: number } | null {
  let best: { gapId: string; similarity: number } | null = null
  for (const g of gaps) {
    const s = cosineSimilarity(vector, g.centroid)
    if (s >= threshold && (!best || s > best.similarity || (s === best.similarity && g.id < best.gapId)))
      best = { gapId: g.id, similarity: s }
  }
  return best
}

/** Where a gap's questions start: LIFT_BEFORE_DAYS before its acceptance. */
export const liftStart = (acceptedAt: number) => acceptedAt - LIFT_BEFORE_DAYS * DAY

export interface PhaseCounts {
  questions: number
  answered: number
  /** Closed conversations among those of the questions (each counted once). */
  closed: number
  /** Of those, AI-resolved (confirmed or assumed). */
  resolved: number
}

const NONE: PhaseCounts = { questions: 0, answered: 0, closed: 0, resolved: 0 }

/** A gap_lift_v1 row (times as ClickHouse text are the job's business; epoch ms here). */
export function liftRowOf(
  gap: AcceptedGap,
  counts: readonly (PhaseCounts & { gap_id: string; after: boolean })[],
  coveredTo: number,
) {
  const phase = (after: boolean): PhaseCounts => {
    const c = counts.find((r) => r.gap_id === gap.id && r.after === after) ?? NONE
    return { questions: c.questions, answered: c.answered, closed: c.closed, resolved: c.resolved }
  }
  const before = phase(false)
  const after = phase(true)
  return {
    gap_id: gap.id,
    accepted_at: gap.acceptedAt,
    before_from: liftStart(gap.acceptedAt),
    covered_to: coveredTo,
    before_questions: before.questions,
    before_answered: before.answered,
    before_closed: before.closed,
    before_resolved: before.resolved,
    after_questions: after.questions,
    after_answered: after.answered,
    after_closed: after.closed,
    after_resolved: after.resolved,
  }
}
