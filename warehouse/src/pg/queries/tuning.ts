// Traffic weights of experiment variants: the current state and every change with its reason.
import type { Selectable } from 'kysely'
import type { TuningHistoryTable, TuningStateRow } from '../schema.js'
import type { Db } from '../db.js'

export type TuningHistoryRow = Selectable<TuningHistoryTable>

export async function tuningStateOf(
  db: Db,
  organizationId: string,
  experimentId: string,
): Promise<TuningStateRow[]> {
  return db
    .selectFrom('tuning_state')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .execute()
}

/** Writes traffic weights for an experiment's variants (the pipelines' decision). */
export async function upsertTuningWeights(
  db: Db,
  organizationId: string,
  experimentId: string,
  weights: { variant_id: string; weight: number }[],
  reason: string,
): Promise<void> {
  for (const w of weights) {
    await db
      .insertInto('tuning_state')
      .values({
        organization_id: organizationId,
        experiment_id: experimentId,
        variant_id: w.variant_id,
        weight: w.weight,
        reason,
      })
      .onConflict((oc) =>
        oc
          .columns(['experiment_id', 'variant_id'])
          .doUpdateSet({ weight: w.weight, reason, updated_at: new Date() }),
      )
      .execute()
  }
}

export async function insertTuningHistory(
  db: Db,
  h: {
    id: string
    organization_id: string
    experiment_id: string
    weights: Record<string, number>
    posteriors: Record<string, { alpha: number; beta: number; n: number }>
    reason: string
  },
): Promise<void> {
  await db
    .insertInto('tuning_history')
    .values({ ...h, weights: JSON.stringify(h.weights), posteriors: JSON.stringify(h.posteriors) })
    .execute()
}

export async function listTuningHistory(
  db: Db,
  organizationId: string,
  experimentId: string,
  limit = 100,
): Promise<TuningHistoryRow[]> {
  return db
    .selectFrom('tuning_history')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
