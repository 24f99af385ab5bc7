import { gapLift, type GapLiftRow, type KnowledgeGap } from '@luneo/warehouse'
import type { z } from 'zod'
import type { Auth } from '../caller.js'
import type { AppDeps } from '../context.js'
import type { KnowledgeGapLift } from '../schemas/flywheel.js'

// Lift per accepted gap, as the gap_lift_v1 job last computed it (docs/metrics.md § Knowledge gaps).

type Lift = z.infer<typeof KnowledgeGapLift>

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole)
const change = (after: number | null, before: number | null) =>
  after === null || before === null ? null : after - before
const isoMs = (ms: number) => new Date(ms).toISOString()

function window(from: number, to: number, c: { q: number; a: number; closed: number; resolved: number }) {
  return {
    from: isoMs(from),
    to: isoMs(to),
    questions: c.q,
    answered: c.a,
    answeredRate: rate(c.a, c.q),
    closedConversations: c.closed,
    resolvedConversations: c.resolved,
    resolvedRate: rate(c.resolved, c.closed),
  }
}

/** Accepted at least once: it has a published document (a reopened gap keeps it). */
export const wasAccepted = (gap: KnowledgeGap): gap is KnowledgeGap & { reviewed_at: Date } =>
  gap.reviewed_at !== null && gap.document_id !== null

/**
 * The lift of a gap from its mart row. Everything null for a gap never accepted; the windows null
 * until the pipelines computed them for this acceptance (a re-accepted gap starts again).
 */
export function liftOf(gap: KnowledgeGap, row: GapLiftRow | undefined): Lift {
  const nothing = {
    computedAt: null,
    before: null,
    after: null,
    answeredRateChange: null,
    resolvedRateChange: null,
  }
  if (!wasAccepted(gap)) return { gapId: gap.id, acceptedAt: null, ...nothing }
  const acceptedAt = gap.reviewed_at.getTime()
  const pending = { gapId: gap.id, acceptedAt: isoMs(acceptedAt), ...nothing }
  if (!row || row.accepted_at !== acceptedAt) return pending
  const before = window(row.before_from, acceptedAt, {
    q: row.before_questions,
    a: row.before_answered,
    closed: row.before_closed,
    resolved: row.before_resolved,
  })
  const after = window(acceptedAt, row.covered_to, {
    q: row.after_questions,
    a: row.after_answered,
    closed: row.after_closed,
    resolved: row.after_resolved,
  })
  return {
    ...pending,
    computedAt: isoMs(row.computed_at),
    before,
    after,
    answeredRateChange: change(after.answeredRate, before.answeredRate),
    resolvedRateChange: change(after.resolvedRate, before.resolvedRate),
  }
}

/** The mart rows of the accepted ones among these gaps, by gap id (one ClickHouse read). */
export async function liftRows(
  deps: AppDeps,
  auth: Auth,
  gaps: KnowledgeGap[],
): Promise<Map<string, GapLiftRow>> {
  const ids = gaps.filter(wasAccepted).map((g) => g.id)
  const rows = await gapLift(deps.ch, { organizationId: auth.organizationId, gapIds: ids })
  return new Map(rows.map((r) => [r.gap_id, r]))
}
