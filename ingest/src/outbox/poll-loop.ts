import type { ErrorClass } from '../errors/classify.js'

/** What moves outbox rows on: the embedded drainer and the Kafka relay both have this shape. */
export interface OutboxMover {
  /** Moves one batch; returns how many rows it moved. */
  drainOnce(): Promise<number>
  /** Moves batches until none is left (tests, shutdown). */
  drainAll(): Promise<number>
  /** Asks a sleeping loop to poll now (after a request wrote events). */
  nudge(): void
  start(): void
  /** Stops after the batch in flight. */
  stop(): Promise<void>
  /** Rows moved since start. */
  readonly published: number
}

export interface PollLoopOptions {
  /** Pause between polls when a poll moved less than a full batch. */
  idleMs: number
  /** First retry delay after a failure; doubles up to maxBackoffMs. */
  backoffMs: number
  maxBackoffMs: number
  /** Every error that is retried, before the backoff (never swallowed silently). */
  onError?: ((err: unknown) => void) | undefined
  /** What an error means (ADR 0014). Without it every error is retried. */
  classify?: ((err: unknown) => ErrorClass) | undefined
  /**
   * The loop stopped for good: a `crash`-class error, or a `dead_letter` one the step could not set
   * aside (retrying a bad row forever would stall everything behind it). Exit loudly.
   */
  onFatal?: ((err: unknown) => void) | undefined
}

/**
 * Runs `step` in a loop: again at once after a full batch, after `idleMs` otherwise, with
 * exponential backoff after a retried error (which goes to onError, never swallowed silently),
 * and stops for good on a fatal one (onFatal, `crashed`).
 */
export class PollLoop {
  readonly #step: () => Promise<boolean>
  readonly #opts: PollLoopOptions
  readonly #crashed: { promise: Promise<unknown>; resolve: (err: unknown) => void }
  #running = false
  #loop: Promise<void> | null = null
  #wake: (() => void) | null = null

  /** `step` resolves true when it did a full batch (so more work is likely waiting). */
  constructor(step: () => Promise<boolean>, options: PollLoopOptions) {
    this.#step = step
    this.#opts = options
    let resolve!: (err: unknown) => void
    this.#crashed = { promise: new Promise((r) => (resolve = r)), resolve }
  }

  /** Resolves with the error that stopped the loop for good; pending while it runs or retries. */
  get crashed(): Promise<unknown> {
    return this.#crashed.promise
  }

  nudge(): void {
    this.#wake?.()
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#loop = this.#run()
  }

  async stop(): Promise<void> {
    this.#running = false
    this.nudge()
    await this.#loop
    this.#loop = null
  }

  async #run(): Promise<void> {
    let backoff = this.#opts.backoffMs
    while (this.#running) {
      try {
        const full = await this.#step()
        backoff = this.#opts.backoffMs
        if (!full) await this.#sleep(this.#opts.idleMs)
      } catch (err) {
        if ((this.#opts.classify?.(err) ?? 'retry') !== 'retry') {
          this.#running = false
          this.#crashed.resolve(err)
          this.#opts.onFatal?.(err)
          return
        }
        this.#opts.onError?.(err)
        await this.#sleep(backoff)
        backoff = Math.min(backoff * 2, this.#opts.maxBackoffMs)
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = done
    })
  }
}
