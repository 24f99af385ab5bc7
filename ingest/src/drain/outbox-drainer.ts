import type { Db } from '@luneo/warehouse'
import { sql } from 'kysely'
import { EventEnvelope } from '../events/envelope.js'
import type { EventPublisher } from '../sink/clickhouse-sink.js'
import { PollLoop, type OutboxMover } from '../outbox/poll-loop.js'

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
export class OutboxDrainer implements OutboxMover {
  readonly #db: Db
  readonly #publisher: EventPublisher
  readonly #batchSize: number
  readonly #loop: PollLoop
  #published = 0

  constructor(db: Db, publisher: EventPublisher, options: DrainerOptions = {}) {
    this.#db = db
    this.#publisher = publisher
    this.#batchSize = options.batchSize ?? 500
    this.#loop = new PollLoop(async () => (await this.drainOnce()) >= this.#batchSize, {
      idleMs: options.idleMs ?? 250,
      backoffMs: options.backoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 5_000,
      onError: options.onError,
    })
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
      .limit(this.#batchSize)
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
    this.#loop.nudge()
  }

  start(): void {
    this.#loop.start()
  }

  /** Stops after the batch in flight; never abandons a half-marked batch. */
  async stop(): Promise<void> {
    await this.#loop.stop()
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
