import { PollLoop } from '@luneo/ingest'
import {
  claimWebhookAttempt,
  deferWebhook,
  dueWebhooks,
  recordWebhookAttempt,
  type Db,
} from '@luneo/warehouse'
import { createOutboundPost, type OutboundPost } from '../net/outbound.js'
import { DestinationBreakers, type BreakerOptions } from './breaker.js'
import { signWebhook } from './signature.js'

export interface WebhookDispatcherOptions {
  /** Deliveries attempted concurrently per poll. */
  batchSize?: number
  /** Pause between polls when nothing was due. */
  idleMs?: number
  /** Per attempt, headers and all; slower receivers count as failed (default 5 s). */
  timeoutMs?: number
  /** Attempts before a delivery is marked failed (default 8). */
  maxAttempts?: number
  /** Delay before the next attempt, given the attempts made so far (default `retryDelayMs`). */
  backoffMs?: (attempts: number) => number
  /**
   * Deliver to loopback and private addresses (dev and tests, whose receivers are local). Off by
   * default: production refuses them at connect time, on the address dialled (SSRF).
   */
  allowInternalDestinations?: boolean
  /** Per destination: failures in a row before it is skipped, and for how long (default 3, 30 s → 10 min). */
  breaker?: BreakerOptions
  /** Test seams. */
  send?: OutboundPost
  now?: () => number
  onError?: (err: unknown) => void
}

type Due = Awaited<ReturnType<typeof dueWebhooks>>[number]
export type AttemptResult = 'delivered' | 'retrying' | 'failed' | 'skipped' | 'deferred'

const MAX_ERROR_CHARS = 500
// A claimed delivery is invisible to other dispatchers for the attempt's timeout plus this margin.
const LEASE_MARGIN_MS = 30_000

/** 10 s × 2^(attempts−1), capped at 1 h: 10 s, 20 s, 40 s … 640 s; eight attempts span ~21 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000)
}

/**
 * Delivers queued escalation webhooks (rows the engine wrote in the turn's transaction): signed
 * POSTs, retried with exponential backoff, at least once. Receivers dedupe on `x-luneo-delivery`.
 */
export class WebhookDispatcher {
  readonly #db: Db
  readonly #opts: Required<Omit<WebhookDispatcherOptions, 'onError'>> &
    Pick<WebhookDispatcherOptions, 'onError'>
  readonly #loop: PollLoop
  readonly #breakers: DestinationBreakers

  constructor(db: Db, options: WebhookDispatcherOptions = {}) {
    this.#db = db
    this.#opts = {
      batchSize: 10,
      idleMs: 1_000,
      timeoutMs: 5_000,
      maxAttempts: 8,
      backoffMs: retryDelayMs,
      allowInternalDestinations: false,
      breaker: { threshold: 3, coolDownMs: 30_000, maxCoolDownMs: 600_000 },
      now: Date.now,
      ...options,
      send: options.send ?? createOutboundPost({ allowInternal: options.allowInternalDestinations ?? false }),
    }
    this.#breakers = new DestinationBreakers(this.#opts.breaker)
    // The same poll loop as the outbox drainer and relay: again at once after a full batch, and
    // with backoff while Postgres is unreachable (deliveries stay queued).
    this.#loop = new PollLoop(async () => (await this.dispatchOnce()).length >= this.#opts.batchSize, {
      idleMs: this.#opts.idleMs,
      backoffMs: 500,
      maxBackoffMs: 30_000,
      onError: this.#opts.onError,
    })
  }

  /** Attempts every due delivery once; returns what happened to each. */
  async dispatchOnce(): Promise<AttemptResult[]> {
    const rows = await dueWebhooks(this.#db, this.#opts.batchSize)
    return Promise.all(
      rows.map(async (row): Promise<AttemptResult> => {
        // An open breaker: back in the queue for when it may be tried, no attempt counted.
        const until = this.#breakers.openUntil(row.url, this.#opts.now())
        if (until !== null) return deferWebhook(this.#db, row.id, new Date(until)).then(() => 'deferred')
        return (await this.#claim(row)) ? this.#attempt(row) : 'skipped'
      }),
    )
  }

  /** Asks a sleeping loop to poll now (after a turn escalated). */
  nudge(): void {
    this.#loop.nudge()
  }

  start(): void {
    this.#loop.start()
  }

  /** Stops after the attempts in flight are recorded. */
  async stop(): Promise<void> {
    await this.#loop.stop()
  }

  /**
   * Compare-and-set lease: with several api processes polling the same table (server mode),
   * only the one whose update matches sends this attempt.
   */
  async #claim(row: Due): Promise<boolean> {
    const now = this.#opts.now()
    return claimWebhookAttempt(this.#db, row, {
      now: new Date(now),
      leaseUntil: new Date(now + this.#opts.timeoutMs + LEASE_MARGIN_MS),
    })
  }

  async #attempt(row: Due): Promise<AttemptResult> {
    const attempts = row.attempts + 1
    // The organization removed its webhook after this was queued: nothing to sign with.
    const error = row.webhook_secret ? await this.#post(row, row.webhook_secret) : 'webhook removed'
    const now = this.#opts.now()
    if (row.webhook_secret) this.#breakers.record(row.url, error === null, now)
    const status =
      error === null
        ? 'delivered'
        : attempts >= this.#opts.maxAttempts || !row.webhook_secret
          ? 'failed'
          : 'pending'
    await recordWebhookAttempt(this.#db, row.id, {
      status,
      attempts,
      next_attempt_at: new Date(status === 'pending' ? now + this.#opts.backoffMs(attempts) : now),
      last_error: error,
    })
    return status === 'pending' ? 'retrying' : status
  }

  /** One signed POST; null when the receiver answered 2xx, else why not. */
  async #post(row: Due, secret: string): Promise<string | null> {
    const body = JSON.stringify(row.payload)
    const timestamp = String(Math.floor(this.#opts.now() / 1000))
    try {
      const res = await this.#opts.send(row.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Luneo-Webhooks/1',
          'x-luneo-event': row.event_type,
          'x-luneo-delivery': row.id,
          'x-luneo-timestamp': timestamp,
          'x-luneo-signature': signWebhook(secret, timestamp, body),
        },
        body,
        timeoutMs: this.#opts.timeoutMs,
      })
      // A redirect is not a delivery (never followed: it would carry the payload elsewhere).
      return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      const cause = e.cause instanceof Error ? `: ${e.cause.message}` : ''
      return `${e.name}: ${e.message}${cause}`.slice(0, MAX_ERROR_CHARS)
    }
  }
}
