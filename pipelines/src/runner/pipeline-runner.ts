import type { PipelineDeps } from './job.js'
import { globalJobs, organizationJobs, pickJobs } from './jobs.js'
import { runJobs, type RunOptions, type RunReport } from './run.js'

export interface RunAllOptions extends RunOptions {
  /** One job by name or stem (`knowledge_gaps`); every job when absent. */
  only?: string | undefined
}

/** What the api, the CLI and the scheduler ask of the pipelines. */
export interface PipelineRunner {
  /** One organization's jobs now (POST /analytics/refresh). */
  refresh(organizationId: string): Promise<RunReport[]>
  /** Every organization's jobs, then the global ones (scheduler, CLI, operator route). */
  runAll(options?: RunAllOptions): Promise<RunReport[]>
}

/**
 * Runs are serialized per process, so a scheduled run and a refresh never compute the same window
 * at once (they would both write it; the results are keyed, but the work is wasted).
 */
export function createPipelineRunner(deps: PipelineDeps): PipelineRunner {
  let tail: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn)
    tail = run.catch(() => undefined)
    return run
  }
  return {
    refresh: (organizationId) => serial(() => runJobs(deps, organizationJobs, { organizationId })),
    runAll: (options = {}) =>
      serial(async () => {
        const { only, ...opts } = options
        return [
          ...(await runJobs(deps, pickJobs(organizationJobs, only), opts)),
          ...(await runJobs(deps, pickJobs(globalJobs, only), { ...opts, organizationId: undefined })),
        ]
      }),
  }
}
