import type { PipelineDeps } from './job.js'
import { globalJobs, maintenanceJobs, organizationJobs, pickJobs } from './jobs.js'
import { runJobs, type RunOptions, type RunReport } from './run.js'

export interface RunAllOptions extends RunOptions {
  /** One job by name or stem (`knowledge_gaps`); every job when absent. */
  only?: string | undefined
}

/** Refused: this many organizations' refreshes are already waiting (the API answers 429). */
export class RefreshBusyError extends Error {
  constructor(readonly queued: number) {
    super(`${queued} organizations' refreshes are already waiting`)
  }
}

/** What the api, the CLI and the scheduler ask of the pipelines. */
export interface PipelineRunner {
  /** One organization's jobs now (POST /analytics/refresh). */
  refresh(organizationId: string): Promise<RunReport[]>
  /**
   * Every organization's jobs, then the global ones (scheduler, CLI, operator route). A
   * maintenance job (retention) runs only when `only` names it.
   */
  runAll(options?: RunAllOptions): Promise<RunReport[]>
  /** The maintenance jobs (retention) for every organization (the scheduler's maintenance tick). */
  runMaintenance(options?: RunOptions): Promise<RunReport[]>
}

/**
 * Runs are serialized per process, so a scheduled run and a refresh never compute the same window
 * at once (they would both write it; the results are keyed, but the work is wasted).
 *
 * Refreshes are coalesced per organization: a call while that organization's refresh waits for
 * its turn joins it (the waiting run starts after the call, so it covers what the call wants);
 * one already running does not count (it may have read before the caller's last events). Past
 * `maxQueuedRefreshes` organizations waiting, a new one is refused rather than queued behind
 * minutes of others' work.
 */
export function createPipelineRunner(
  deps: PipelineDeps,
  options: { maxQueuedRefreshes?: number } = {},
): PipelineRunner {
  const maxQueued = options.maxQueuedRefreshes ?? 16
  const waiting = new Map<string, Promise<RunReport[]>>()
  let tail: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn)
    tail = run.catch(() => undefined)
    return run
  }
  return {
    refresh: (organizationId) => {
      const queued = waiting.get(organizationId)
      if (queued) return queued
      if (waiting.size >= maxQueued) return Promise.reject(new RefreshBusyError(waiting.size))
      const run = serial(() => {
        waiting.delete(organizationId) // started: a later call needs a run of its own
        return runJobs(deps, organizationJobs, { organizationId })
      })
      waiting.set(organizationId, run)
      return run
    },
    runAll: (options = {}) =>
      serial(async () => {
        const { only, ...opts } = options
        return [
          ...(await runJobs(deps, pickJobs(organizationJobs, only), opts)),
          ...(only ? await runJobs(deps, pickJobs(maintenanceJobs, only), opts) : []),
          ...(await runJobs(deps, pickJobs(globalJobs, only), { ...opts, organizationId: undefined })),
        ]
      }),
    runMaintenance: (options = {}) => serial(() => runJobs(deps, maintenanceJobs, options)),
  }
}
