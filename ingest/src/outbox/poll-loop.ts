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
  onError?: ((err: unknown) => void) | undefined
}

/**
 * Runs `step` in a loop: again at once after a full batch, after `idleMs` otherwise, with
 * exponential backoff after an error (which goes to onError, never swallowed silently).
 */
export class PollLoop {
  readonly #step: () => Promise<boolean>
  readonly #opts: PollLoopOptions
  #running = false
  #loop: Promise<void> | null = null
  #wake: (() => void) | null = null

  /** `step` resolves true when it did a full batch (so more work is likely waiting). */
  constructor(step: () => Promise<boolean>, options: PollLoopOptions) {
    this.#step = step
    this.#opts = options
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
