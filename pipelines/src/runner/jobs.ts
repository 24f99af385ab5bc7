import { conversationOutcomes } from '../jobs/conversation-outcomes.job.js'
import { gapLift } from '../jobs/gap-lift.job.js'
import { knowledgeGaps } from '../jobs/knowledge-gaps.job.js'
import { learningSignals } from '../jobs/learning-signals.job.js'
import { retention } from '../jobs/retention.job.js'
import { variantScoring } from '../jobs/variant-scoring.job.js'
import { verifiedResolution } from '../jobs/verified-resolution.job.js'
import { verticalInsights } from '../jobs/vertical-insights.job.js'
import type { Job } from './job.js'

/**
 * Jobs per organization, in dependency order: signals → outcomes → verdicts (they read outcomes),
 * then gaps and variant scores (they read signals and outcomes); the lift of accepted gaps after
 * the gaps (it needs their centroids in the current embedder's space). Adding a job is one line here.
 */
export const organizationJobs: readonly Job[] = [
  learningSignals,
  conversationOutcomes,
  verifiedResolution,
  knowledgeGaps,
  gapLift,
  variantScoring,
]

/** Jobs across organizations (vertical benchmarks), after every organization's jobs. */
export const globalJobs: readonly Job[] = [verticalInsights]

/**
 * Jobs that delete rather than compute (retention), run on their own clock (the scheduler's
 * maintenance tick, `luneo pipelines run retention`), never by an analytics refresh: a refresh
 * must not delete what a person is looking at.
 */
export const maintenanceJobs: readonly Job[] = [retention]

/** `only` names a job (`knowledge_gaps_v1`) or its stem (`knowledge_gaps`). */
export function pickJobs(jobs: readonly Job[], only?: string): Job[] {
  return only ? jobs.filter((j) => j.name === only || j.name.startsWith(`${only}_`)) : [...jobs]
}
