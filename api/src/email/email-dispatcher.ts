import { PollLoop } from '@luneo/ingest'
import { claimEmail, dueEmails, recordEmailAttempt, type Db, type OutgoingEmail } from '@luneo/warehouse'
import type { Mailer } from './mailer.js'

export interface EmailDispatcherOptions {
  /** Emails sent concurrently per poll. */
  batchSize?: number
  /** Pause between polls when nothing was due. */
  idleMs?: number
  /** Attempts before an email is marked failed (default 6: ~1 h of retries). */
  maxAttempts?: number
  /** Per attempt; the lease on a claimed email outlasts it. */
  timeoutMs?: number
  now?: () => number
  onError?: (err: unknown) => void
}

export type EmailResult = 'sent' | 'logged' | 'retrying' | 'failed' | 'skipped'

const MAX_ERROR_CHARS = 500
const LEASE_MARGIN_MS = 30_000

/** 30 s × 3^(attempts−1): 30 s, 90 s, 4.5 min, 13.5 min, 40 min — a mail server's restart or a greylist. */
export function emailRetryDelayMs(attempts: number): number {
  return 30_000 * 3 ** Math.max(0, attempts - 1)
}

/**
 * Sends the emails queued in `email_outbox` (rows written in their cause's transaction) through
 * the mailer, at least once, retried with backoff. Requests never wait on the mail server.
 */
export class EmailDispatcher {
  readonly #db: Db
  readonly #mailer: Mailer
  readonly #opts: Required<Omit<EmailDispatcherOptions, 'onError'>> & Pick<EmailDispatcherOptions, 'onError'>
  readonly #loop: PollLoop

  constructor(db: Db, mailer: Mailer, options: EmailDispatcherOptions = {}) {
    this.#db = db
    this.#mailer = mailer
    this.#opts = {
      batchSize: 10,
      idleMs: 1_000,
      maxAttempts: 6,
      timeoutMs: 10_000,
      now: Date.now,
      ...options,
    }
    this.#loop = new PollLoop(async () => (await this.dispatchOnce()).length >= this.#opts.batchSize, {
      idleMs: this.#opts.idleMs,
      backoffMs: 500,
      maxBackoffMs: 30_000,
      onError: this.#opts.onError,
    })
  }

  /** Attempts every due email once; returns what happened to each. */
  async dispatchOnce(): Promise<EmailResult[]> {
    const rows = await dueEmails(this.#db, this.#opts.batchSize)
    return Promise.all(rows.map(async (row) => ((await this.#claim(row)) ? this.#attempt(row) : 'skipped')))
  }

  /** Asks a sleeping loop to poll now (a request queued an email). */
  nudge(): void {
    this.#loop.nudge()
  }

  start(): void {
    this.#loop.start()
  }

  /** Stops after the sends in flight are recorded. */
  async stop(): Promise<void> {
    await this.#loop.stop()
    this.#mailer.close()
  }

  async #claim(row: OutgoingEmail): Promise<boolean> {
    const now = this.#opts.now()
    return claimEmail(this.#db, row, {
      now: new Date(now),
      leaseUntil: new Date(now + this.#opts.timeoutMs + LEASE_MARGIN_MS),
    })
  }

  async #attempt(row: OutgoingEmail): Promise<EmailResult> {
    const attempts = row.attempts + 1
    let error: string | null = null
    try {
      await this.#mailer.send({ to: row.to_address, subject: row.subject, text: row.text_body ?? '' })
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      error = `${e.name}: ${e.message}`.slice(0, MAX_ERROR_CHARS)
    }
    const done = this.#mailer.via === 'smtp' ? 'sent' : 'logged'
    const status = error === null ? done : attempts >= this.#opts.maxAttempts ? 'failed' : 'pending'
    const now = this.#opts.now()
    await recordEmailAttempt(this.#db, row.id, {
      status,
      attempts,
      next_attempt_at: new Date(status === 'pending' ? now + emailRetryDelayMs(attempts) : now),
      last_error: error,
    })
    return status === 'pending' ? 'retrying' : status
  }
}
