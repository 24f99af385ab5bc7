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

export interface RefreshOptions {
  /**
   * Awaited before the run is queued, outside the serialized section (so it holds up no one
   * else's run); while it is pending the call counts toward `maxQueuedRefreshes`, so a full queue
   * refuses a caller at once instead of after its wait.
   */
  before?: () => Promise<unknown>
}

/** What the api, the CLI and the scheduler ask of the pipelines. */
export interface PipelineRunner {
  /**
   * One organization's jobs now (POST /analytics/refresh). `before` (the API's wait for the events
   * committed before the call) runs once the call is admitted and before the run is queued.
   */
  refresh(organizationId: string, options?: RefreshOptions): Promise<RunReport[]>
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
  // Admitted refreshes still in their `before` (not yet queued, so not joinable).
  let preparing = 0
  const enqueue = (organizationId: string): Promise<RunReport[]> => {
    const queued = waiting.get(organizationId)
    if (queued) return queued
    if (waiting.size + preparing >= maxQueued)
      return Promise.reject(new RefreshBusyError(waiting.size + preparing))
    const run = serial(() => {
      waiting.delete(organizationId) // started: a later call needs a run of its own
      return runJobs(deps, organizationJobs, { organizationId })
    })
    waiting.set(organizationId, run)
    return run
  }
  return {
    refresh: (organizationId, { before } = {}) => {
      if (!before) return enqueue(organizationId)
      if (!waiting.has(organizationId) && waiting.size + preparing >= maxQueued)
        return Promise.reject(new RefreshBusyError(waiting.size + preparing))
      preparing += 1
      // Joining a run queued meanwhile is right: it has not started, so it reads after `before`.
      return before()
        .finally(() => (preparing -= 1))
        .then(() => enqueue(organizationId))
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
