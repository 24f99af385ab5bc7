import {
  conversationOutcomes,
  knowledgeGaps,
  learningSignals,
  variantScoring,
  verifiedResolution,
  verticalInsights,
  runJobs,
  type Job,
  type PipelineDeps,
  type RunReport,
} from '@luneo/pipelines'
import type { AppDeps } from '../context.js'

/** Jobs per organization, in dependency order (signals → outcomes → verdicts, gaps, variant scores). */
export const organizationJobs: Job[] = [
  learningSignals,
  conversationOutcomes,
  verifiedResolution,
  knowledgeGaps,
  variantScoring,
]
/** Jobs across organizations (vertical benchmarks). */
export const globalJobs: Job[] = [verticalInsights]

export function pipelineDeps(deps: AppDeps, log?: (line: string) => void): PipelineDeps {
  return {
    db: deps.db,
    ch: deps.ch,
    embedder: deps.ai.embedder,
    provider: deps.ai.provider,
    searchKnowledge: async (organizationId, text) => {
      const kbs = await deps.db
        .selectFrom('knowledge_bases')
        .select('id')
        .where('organization_id', '=', organizationId)
        .execute()
      return deps.ai.index.query(
        organizationId,
        kbs.map((k) => k.id),
        text,
        3,
      )
    },
    model: deps.config.openai?.model ?? 'local',
    // Only a configured remote model judges transcripts (verified resolution); the local one cannot.
    judge: deps.config.openai
      ? {
          provider: deps.ai.provider,
          model: deps.config.openai.model,
          sampleRate: deps.config.judgeSampleRate,
        }
      : undefined,
    ...(log ? { log } : {}),
  }
}

/**
 * Runs one organization's jobs now (POST /analytics/refresh). Runs are serialized per process so
 * a scheduled run and a refresh never compute the same window at once.
 */
export function createPipelineRunner(deps: AppDeps, log?: (line: string) => void) {
  let tail: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn)
    tail = run.catch(() => undefined)
    return run
  }
  const pd = pipelineDeps(deps, log)
  return {
    refresh: (organizationId: string): Promise<RunReport[]> =>
      serial(() => runJobs(pd, organizationJobs, { organizationId })),
    runAll: (
      opts: { full?: boolean; since?: Date; organizationId?: string; only?: string; now?: Date } = {},
    ): Promise<RunReport[]> =>
      serial(async () => {
        const pick = (jobs: Job[]) =>
          opts.only ? jobs.filter((j) => j.name === opts.only || j.name.startsWith(`${opts.only}_`)) : jobs
        return [
          ...(await runJobs(pd, pick(organizationJobs), opts)),
          ...(await runJobs(pd, pick(globalJobs), { ...opts, organizationId: undefined })),
        ]
      }),
  }
}

export type PipelineRunner = ReturnType<typeof createPipelineRunner>

/**
 * The in-process scheduler of embedded mode. Every tick (10 s) it runs the jobs when new events
 * reached ClickHouse since the last run, and at least every `idleRecomputeMs` (5 min) anyway,
 * because windows close with time alone (assumed resolution after 24 h). Recomputing every tick
 * with nothing new cost the analytics API most of its p95 in the demo (bench/README.md).
 */
export class PipelineScheduler {
  #timer: NodeJS.Timeout | null = null
  #running: Promise<unknown> | null = null
  #lastRun = 0
  #lastPart = ''
  constructor(
    private readonly runner: PipelineRunner,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly newestEventPart: () => Promise<string>,
    private readonly idleRecomputeMs = 5 * 60 * 1000,
  ) {}

  start(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      if (this.#running) return
      this.#running = this.#tick()
        .catch(this.onError)
        .finally(() => (this.#running = null))
    }, this.intervalMs)
    this.#timer.unref()
  }

  async #tick(): Promise<void> {
    const part = await this.newestEventPart()
    if (part === this.#lastPart && Date.now() - this.#lastRun < this.idleRecomputeMs) return
    this.#lastRun = Date.now()
    this.#lastPart = part
    await this.runner.runAll()
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    await this.#running
  }
}
