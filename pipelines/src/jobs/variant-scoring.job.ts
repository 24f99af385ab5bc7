import {
  insertTuningHistory,
  listVariants,
  newId,
  promoteWinnerPrompt,
  runningExperiments,
  setExperimentStatus,
  tuningStateOf,
  upsertTuningWeights,
  variantOutcomes,
  type Ch,
} from '@luneo/warehouse'
import { defineJob, type JobContext } from '../runner/job.js'
import {
  VARIANT_DEFAULTS,
  scoreVariants,
  weightsChanged,
  type VariantScoringOptions,
  type VariantStats,
} from './variant-scoring.js'

/** Closed conversations per variant of one experiment (conversation_outcomes_v1, deduplicated by FINAL). */
export async function variantStats(
  ch: Ch,
  org: string,
  experimentId: string,
): Promise<Map<string, VariantStats>> {
  const rows = await variantOutcomes(ch, { organizationId: org, experimentId })
  return new Map(
    rows.map((r) => [
      r.variant_id,
      {
        variantId: r.variant_id,
        n: r.n,
        resolved: r.resolved,
        handedOff: r.handed_off,
        csat: r.mean_csat,
        csatCount: r.csat_count,
      },
    ]),
  )
}

/** Scores one experiment; writes weights + a history row only when the weights change. */
async function scoreExperiment(
  ctx: JobContext,
  org: string,
  e: { id: string; agent_id: string },
  o: VariantScoringOptions,
): Promise<boolean> {
  const variants = await listVariants(ctx.db, org, e.id)
  const byId = await variantStats(ctx.ch, org, e.id)
  const stats = variants.map(
    (v) => byId.get(v.id) ?? { variantId: v.id, n: 0, resolved: 0, handedOff: 0, csat: null, csatCount: 0 },
  )
  const d = scoreVariants(e.id, stats, o)
  if (!d.weights) return false
  const current = Object.fromEntries(
    (await tuningStateOf(ctx.db, org, e.id)).map((t) => [t.variant_id, t.weight]),
  )
  if (!weightsChanged(current, d.weights) && !d.winner) return false
  const weights = d.weights
  await ctx.db.transaction().execute(async (trx) => {
    const list = Object.entries(weights).map(([variant_id, weight]) => ({ variant_id, weight }))
    await upsertTuningWeights(trx, org, e.id, list, d.reason)
    await insertTuningHistory(trx, {
      id: newId(),
      organization_id: org,
      experiment_id: e.id,
      weights,
      posteriors: d.posteriors,
      reason: d.reason,
    })
    if (d.winner) {
      await setExperimentStatus(trx, org, e.id, 'completed', d.winner)
      // The experiment stops serving variants once completed: the agent keeps the winner's prompt.
      await promoteWinnerPrompt(trx, org, e.agent_id, d.winner)
    }
  })
  return true
}

/**
 * Variant scoring per running experiment (DESIGN §6): Thompson-sampling weights from Beta
 * posteriors on resolution, guards on escalation and CSAT, the stop rule of stop-rule.ts (ADR 0017).
 */
export function createVariantScoring(options: Partial<VariantScoringOptions> = {}) {
  const o: VariantScoringOptions = { ...VARIANT_DEFAULTS, ...options }
  return defineJob({
    name: 'variant_scoring_v1',
    scope: 'organization',
    // Posteriors use every closed conversation of the experiment, not a window: no lookback needed.
    lookbackMs: 0,
    async run(ctx) {
      const org = ctx.organizationId!
      const experiments = await runningExperiments(ctx.db, org)
      let rowsOut = 0
      for (const e of experiments) if (await scoreExperiment(ctx, org, e, o)) rowsOut += 1
      return { rowsIn: experiments.length, rowsOut }
    },
  })
}

export const variantScoring = createVariantScoring()
