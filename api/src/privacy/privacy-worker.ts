import { PollLoop } from '@luneo/ingest'
import type { AppDeps } from '../context.js'
import { retryVectorDeletions } from '../knowledge/vector-deletions.js'
import { runPendingErasures } from './erasure-steps.js'

export interface PrivacyWorkerOptions {
  /** Pause between passes (5 s): an erasure waiting on the outbox or a store is retried this often. */
  idleMs?: number
  onError?: (err: unknown) => void
}

/**
 * The background side of privacy: runs erasure requests step by step and retries the deletions
 * of vectors Chroma missed (a document deleted while it was down). Nudged by a new request; polls
 * otherwise, so requests left by a crash or another replica are picked up.
 */
export class PrivacyWorker {
  readonly #loop: PollLoop
  readonly #deps: AppDeps

  constructor(deps: AppDeps, options: PrivacyWorkerOptions = {}) {
    this.#deps = deps
    this.#loop = new PollLoop(
      async () => {
        await this.runOnce()
        return false
      },
      { idleMs: options.idleMs ?? 5_000, backoffMs: 1_000, maxBackoffMs: 60_000, onError: options.onError },
    )
  }

  /** One pass: pending vector deletions, then open erasure requests. */
  async runOnce(): Promise<{ erasures: number; vectorDeletions: number }> {
    const v = await retryVectorDeletions(this.#deps)
    return { erasures: await runPendingErasures(this.#deps), vectorDeletions: v.done }
  }

  nudge(): void {
    this.#loop.nudge()
  }

  start(): void {
    this.#loop.start()
  }

  async stop(): Promise<void> {
    await this.#loop.stop()
  }
}
