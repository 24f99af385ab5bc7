import { advanceWatermark, getWatermark, organizationIds } from '@luneo/warehouse'
import { createConversationReads, type ConversationReads } from '../jobs/conversation-events.js'
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
  /**
   * Conversation reads shared with the run's other jobs at the same `now` (runJobs makes one per
   * run, so signals and outcomes read the touched conversations' events once).
   */
  reads?: ConversationReads | undefined
}

export interface RunReport extends JobResult {
  job: string
  organizationId: string
  from: string
  to: string
  ms: number
}

/**
 * Runs one job: per organization (or once, for global jobs), over [watermark − lookback, now).
 * Results are written keyed, so a crash before the watermark advances only means the next run
 * recomputes the same rows — nothing doubles.
 */
export async function runJob(deps: PipelineDeps, job: Job, options: RunOptions = {}): Promise<RunReport[]> {
  const to = options.now ?? new Date()
  const orgs =
    job.scope === 'global' ? [GLOBAL_SCOPE] : await organizationIds(deps.db, options.organizationId)
  const reports: RunReport[] = []
  for (const org of orgs) {
    const mark = options.full ? null : (options.since ?? (await getWatermark(deps.db, job.name, org)))
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
      reads: options.reads,
    })
    const ms = Math.round(performance.now() - t0)
    await advanceWatermark(deps.db, { job: job.name, organizationId: org, to, ms, ...result })
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
  // One `to` for the whole run: a later job's watermark then equals the signals it read were
  // computed up to, so "arrived since the last run" means the same instant for every job.
  const at = { ...options, now: options.now ?? new Date(), reads: options.reads ?? createConversationReads() }
  const reports: RunReport[] = []
  for (const job of jobs) reports.push(...(await runJob(deps, job, at)))
  return reports
}
