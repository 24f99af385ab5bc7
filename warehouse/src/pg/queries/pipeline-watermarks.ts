// Where each pipeline job stopped, per organization: an incremental run reads after its watermark
// and advances it with its result, so a crash or a re-run recomputes the same window.
import { sql } from 'kysely'
import type { Db } from '../db.js'

/** The organizations a run covers (all of them, or only one), in id order. */
export async function organizationIds(db: Db, only?: string): Promise<string[]> {
  let q = db.selectFrom('organizations').select('id').orderBy('id')
  if (only) q = q.where('id', '=', only)
  return (await q.execute()).map((r) => r.id)
}

/** The job's watermark for the organization, or null before its first run. */
export async function getWatermark(db: Db, job: string, organizationId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('pipeline_watermarks')
    .select('watermark')
    .where('job', '=', job)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
  return row?.watermark ?? null
}

/** Moves the job's watermark to `to`, with the run's rows in/out and duration. */
export async function advanceWatermark(
  db: Db,
  run: { job: string; organizationId: string; to: Date; rowsIn: number; rowsOut: number; ms: number },
): Promise<void> {
  const values = { watermark: run.to, rows_in: run.rowsIn, rows_out: run.rowsOut, duration_ms: run.ms }
  await db
    .insertInto('pipeline_watermarks')
    .values({ job: run.job, organization_id: run.organizationId, ...values })
    .onConflict((oc) =>
      oc.columns(['job', 'organization_id']).doUpdateSet({ ...values, updated_at: sql`now()` }),
    )
    .execute()
}

/** Every job's watermark for the organization (where its last run stopped, and when it ran), by job. */
export async function organizationWatermarks(
  db: Db,
  organizationId: string,
): Promise<{ job: string; watermark: Date; updated_at: Date; rows_out: number }[]> {
  const rows = await db
    .selectFrom('pipeline_watermarks')
    .select(['job', 'watermark', 'updated_at', 'rows_out'])
    .where('organization_id', '=', organizationId)
    .orderBy('job')
    .execute()
  return rows.map((r) => ({ ...r, rows_out: Number(r.rows_out) }))
}
