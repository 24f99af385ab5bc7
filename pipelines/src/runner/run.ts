import { sql } from 'kysely'
import type { Job, JobResult, PipelineDeps } from './job.js'

export const GLOBAL_SCOPE = '00000000-0000-0000-0000-000000000000'
const EPOCH = new Date('2000-01-01T00:00:00Z')

export interface RunOptions {
  /** Only this organization (organization-scoped jobs). */
  organizationId?: string | undefined
  /** Recompute from this time instead of the watermark. */
  since?: Date | undefined
  /** Rebuild from scratch (must equal the incremental result). */
  full?: boolean | undefined
  /** The end of the window; defaults to now. Tests pin it. */
  now?: Date | undefined
}

export interface RunReport extends JobResult {
  job: string
  organizationId: string
  from: string
  to: string
  ms: number
}

async function organizations(deps: PipelineDeps, only?: string): Promise<string[]> {
  let q = deps.db.selectFrom('organizations').select('id').orderBy('id')
  if (only) q = q.where('id', '=', only)
  return (await q.execute()).map((r) => r.id)
}

async function watermark(deps: PipelineDeps, job: string, org: string): Promise<Date | null> {
  const row = await deps.db
    .selectFrom('pipeline_watermarks')
    .select('watermark')
    .where('job', '=', job)
    .where('organization_id', '=', org)
    .executeTakeFirst()
  return row?.watermark ?? null
}

async function advance(deps: PipelineDeps, job: string, org: string, to: Date, r: JobResult, ms: number) {
  await deps.db
    .insertInto('pipeline_watermarks')
    .values({
      job,
      organization_id: org,
      watermark: to,
      rows_in: r.rowsIn,
      rows_out: r.rowsOut,
      duration_ms: ms,
    })
    .onConflict((oc) =>
      oc.columns(['job', 'organization_id']).doUpdateSet({
        watermark: to,
        rows_in: r.rowsIn,
        rows_out: r.rowsOut,
        duration_ms: ms,
        updated_at: sql`now()`,
      }),
    )
    .execute()
}

/**
 * Runs one job: per organization (or once, for global jobs), over [watermark − lookback, now).
 * Results are written keyed, so a crash before the watermark advances only means the next run
 * recomputes the same rows — nothing doubles.
 */
export async function runJob(deps: PipelineDeps, job: Job, options: RunOptions = {}): Promise<RunReport[]> {
  const to = options.now ?? new Date()
  const orgs = job.scope === 'global' ? [GLOBAL_SCOPE] : await organizations(deps, options.organizationId)
  const reports: RunReport[] = []
  for (const org of orgs) {
    const mark = options.full ? null : (options.since ?? (await watermark(deps, job.name, org)))
    const from =
      options.full || !mark
        ? EPOCH
        : new Date(Math.max(EPOCH.getTime(), mark.getTime() - (options.since ? 0 : job.lookbackMs)))
    const t0 = performance.now()
    const result = await job.run({
      ...deps,
      organizationId: job.scope === 'global' ? null : org,
      from,
      to,
      full: options.full ?? false,
      since: options.full ? null : mark,
    })
    const ms = Math.round(performance.now() - t0)
    await advance(deps, job.name, org, to, result, ms)
    const report = {
      job: job.name,
      organizationId: org,
      from: from.toISOString(),
      to: to.toISOString(),
      ms,
      ...result,
    }
    deps.log?.(
      `[pipelines] ${job.name} org=${org.slice(0, 8)} in=${result.rowsIn} out=${result.rowsOut} ${ms} ms`,
    )
    reports.push(report)
  }
  return reports
}

/** Runs jobs in order (signals before outcomes before gaps…), each over every organization. */
export async function runJobs(
  deps: PipelineDeps,
  jobs: readonly Job[],
  options: RunOptions = {},
): Promise<RunReport[]> {
  const reports: RunReport[] = []
  for (const job of jobs) reports.push(...(await runJob(deps, job, options)))
  return reports
}
