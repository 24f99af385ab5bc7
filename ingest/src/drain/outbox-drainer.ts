import type { Db } from '@luneo/warehouse'
import { sql } from 'kysely'
import { EventEnvelope } from '../events/envelope.js'
import type { EventPublisher } from '../sink/clickhouse-sink.js'

export interface DrainerOptions {
  batchSize?: number
  /** Pause between polls when the outbox is empty. */
  idleMs?: number
  /** First retry delay after a publish failure; doubles up to maxBackoffMs. */
  backoffMs?: number
  maxBackoffMs?: number
  onError?: (err: unknown) => void
}

/**
 * Moves outbox rows to a publisher in commit-sequence order, then marks them published.
 * A crash between publish and mark re-publishes the batch on restart; the publisher is
 * idempotent on event id, so nothing is lost and nothing counts twice.
 *
 * It holds no Postgres transaction while publishing: embedded PGlite has one connection, and a
 * transaction held across a ClickHouse insert would stall every API request behind it.
 */
export class OutboxDrainer {
  readonly #db: Db
  readonly #publisher: EventPublisher
  readonly #opts: Required<Omit<DrainerOptions, 'onError'>> & Pick<DrainerOptions, 'onError'>
  #running = false
  #loop: Promise<void> | null = null
  #wake: (() => void) | null = null
  #published = 0

  constructor(db: Db, publisher: EventPublisher, options: DrainerOptions = {}) {
    this.#db = db
    this.#publisher = publisher
    this.#opts = { batchSize: 500, idleMs: 250, backoffMs: 200, maxBackoffMs: 5_000, ...options }
  }

  /** Events published since start. */
  get published(): number {
    return this.#published
  }

  /** Moves one batch; returns how many rows it moved. */
  async drainOnce(): Promise<number> {
    const rows = await this.#db
      .selectFrom('outbox')
      .select(['seq', 'envelope'])
      .where('published_at', 'is', null)
      .orderBy('seq')
      .limit(this.#opts.batchSize)
      .execute()
    if (rows.length === 0) return 0
    const events = rows.map((r) => EventEnvelope.parse(r.envelope))
    await this.#publisher.publish(events)
    await this.#db
      .updateTable('outbox')
      .set({ published_at: sql`now()` })
      .where(
        'seq',
        'in',
        rows.map((r) => r.seq),
      )
      .execute()
    this.#published += rows.length
    return rows.length
  }

  /** Drains until the outbox is empty (used by tests and on shutdown). */
  async drainAll(): Promise<number> {
    let total = 0
    for (let n = await this.drainOnce(); n > 0; n = await this.drainOnce()) total += n
    return total
  }

  /** Asks a sleeping loop to poll now (after a request wrote events). */
  nudge(): void {
    this.#wake?.()
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#loop = this.#run()
  }

  /** Stops after the batch in flight; never abandons a half-marked batch. */
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
        const moved = await this.drainOnce()
        backoff = this.#opts.backoffMs
        if (moved < this.#opts.batchSize) await this.#sleep(this.#opts.idleMs)
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

/** Rows not yet published: the backlog a metric reports. */
export async function outboxBacklog(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('published_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
