import type { PipelineRunner } from './pipeline-runner.js'

export interface SchedulerOptions {
  /** How often to look for new events (embedded mode: 10 s). */
  intervalMs: number
  /** A value that changes when events arrive (the newest data part of `events`: metadata only). */
  newestEventMark: () => Promise<string>
  onError: (err: unknown) => void
  /**
   * Recompute at least this often even with nothing new (5 min), because windows close with time
   * alone (assumed resolution after 24 h).
   */
  idleRecomputeMs?: number
  /**
   * How often the maintenance jobs (retention) run (1 h; 0 = never). The retention job itself
   * does its work once per UTC day: an hourly tick only makes sure the day's run happens early.
   */
  maintenanceEveryMs?: number
  /** After each tick, whether it ran the jobs (tests wait on ticks, not on time). */
  onTick?: (ran: boolean) => void
}

/**
 * The in-process scheduler of embedded mode. Every tick it runs the jobs when new events reached
 * ClickHouse since the last run, and at least every `idleRecomputeMs` anyway. Recomputing every
 * tick with nothing new cost the analytics API most of its p95 in the demo (bench/README.md).
 */
export class PipelineScheduler {
  #timer: NodeJS.Timeout | null = null
  #running: Promise<unknown> | null = null
  #lastRun = 0
  #lastMaintenance = 0
  #lastMark = ''
  readonly #runner: PipelineRunner
  readonly #opts: SchedulerOptions & { idleRecomputeMs: number; maintenanceEveryMs: number }

  constructor(runner: PipelineRunner, options: SchedulerOptions) {
    this.#runner = runner
    this.#opts = { idleRecomputeMs: 5 * 60 * 1000, maintenanceEveryMs: 60 * 60 * 1000, ...options }
  }

  start(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      if (this.#running) return
      this.#running = this.#tick()
        .catch(this.#opts.onError)
        .finally(() => (this.#running = null))
    }, this.#opts.intervalMs)
    this.#timer.unref()
  }

  async #tick(): Promise<void> {
    const mark = await this.#opts.newestEventMark()
    const idle = mark === this.#lastMark && Date.now() - this.#lastRun < this.#opts.idleRecomputeMs
    if (!idle) {
      this.#lastRun = Date.now()
      this.#lastMark = mark
      await this.#runner.runAll()
    }
    const every = this.#opts.maintenanceEveryMs
    if (every > 0 && Date.now() - this.#lastMaintenance >= every) {
      this.#lastMaintenance = Date.now()
      await this.#runner.runMaintenance()
    }
    this.#opts.onTick?.(!idle)
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    await this.#running
  }
}
