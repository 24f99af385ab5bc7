import type { Db } from '@luneo/warehouse'
import { sql } from 'kysely'
import { classifyError, describeError, StreamFatalError } from '../errors/classify.js'
import { writeIsolatingRejects } from '../errors/isolate-rejects.js'
import type { EventEnvelope } from '../events/envelope.js'
import { eventRegistry, type EventRegistry } from '../events/registry.js'
import type { EventPublisher } from '../sink/clickhouse-sink.js'
import type { DeadLetterRow } from '../sink/dead-letters.js'
import { PollLoop, type OutboxMover } from '../outbox/poll-loop.js'
import { createOutboxPruner, type OutboxPruneOptions } from '../outbox/prune.js'
import { outboxDeadLetter, type OutboxDeadLetterWriter, type OutboxRow } from './outbox-dead-letters.js'

export interface DrainerOptions {
  batchSize?: number
  /** Pause between polls when the outbox is empty. */
  idleMs?: number
  /** First retry delay after a publish failure; doubles up to maxBackoffMs. */
  backoffMs?: number
  maxBackoffMs?: number
  /** Validates and upcasts each envelope, as the Kafka sink does. */
  registry?: EventRegistry
  /**
   * Where rows go that the registry or ClickHouse refuses (`events_dlq`). Without it such a row
   * stops the drainer (onFatal) instead of stalling it forever.
   */
  deadLetters?: OutboxDeadLetterWriter
  /** A retried error (transient: ClickHouse down, overloaded, …). */
  onError?: (err: unknown) => void
  /** The drainer stopped for good (schema missing, …): exit loudly. */
  onFatal?: (err: unknown) => void
  /** Delete published rows past this age when idle (docs/adr/0022); kept for ever without it. */
  prune?: OutboxPruneOptions
}

/**
 * Moves outbox rows to a publisher in commit-sequence order, then marks them published.
 * A crash between publish and mark re-publishes the batch on restart; the publisher is
 * idempotent on event id, so nothing is lost and nothing counts twice.
 *
 * Errors are classified (ADR 0014): a row the registry or ClickHouse refuses goes to `events_dlq`
 * with its reason and is marked, so the rows behind it move on; a transient error backs off; a
 * missing schema stops the drainer.
 *
 * It holds no Postgres transaction while publishing: embedded PGlite has one connection, and a
 * transaction held across a ClickHouse insert would stall every API request behind it.
 */
export class OutboxDrainer implements OutboxMover {
  readonly #db: Db
  readonly #publisher: EventPublisher
  readonly #batchSize: number
  readonly #registry: EventRegistry
  readonly #deadLetters: OutboxDeadLetterWriter | undefined
  readonly #loop: PollLoop
  #published = 0
  #deadLettered = 0

  constructor(db: Db, publisher: EventPublisher, options: DrainerOptions = {}) {
    this.#db = db
    this.#publisher = publisher
    this.#batchSize = options.batchSize ?? 500
    this.#registry = options.registry ?? eventRegistry
    this.#deadLetters = options.deadLetters
    const pruner = options.prune ? createOutboxPruner(db, options.prune) : null
    this.#loop = new PollLoop(
      async () => {
        const moved = await this.drainOnce()
        if (moved === 0) await pruner?.maybePrune()
        return moved >= this.#batchSize
      },
      {
        idleMs: options.idleMs ?? 250,
        backoffMs: options.backoffMs ?? 200,
        maxBackoffMs: options.maxBackoffMs ?? 5_000,
        onError: options.onError,
        classify: classifyError,
        onFatal: options.onFatal,
      },
    )
  }

  /** Events published since start. */
  get published(): number {
    return this.#published
  }

  /** Rows set aside in `events_dlq` since start. */
  get deadLettered(): number {
    return this.#deadLettered
  }

  /** Resolves with the error that stopped the background loop for good. */
  get crashed(): Promise<unknown> {
    return this.#loop.crashed
  }

  /** Moves one batch (published or dead-lettered); returns how many rows it moved. */
  async drainOnce(): Promise<number> {
    const rows = await this.#db
      .selectFrom('outbox')
      .select(['seq', 'partition_key', 'envelope'])
      .where('published_at', 'is', null)
      .orderBy('seq')
      .limit(this.#batchSize)
      .execute()
    if (rows.length === 0) return 0
    const { good, letters } = this.#decode(rows)
    const rejected = await writeIsolatingRejects(good, (xs) =>
      this.#publisher.publish(xs.map((x) => x.event)),
    )
    for (const r of rejected)
      letters.push(outboxDeadLetter(r.item.row, 'store_rejected', describeError(r.error), r.item.event))
    await this.#setAside(letters)
    await this.#db
      .updateTable('outbox')
      .set({ published_at: sql`now()` })
      .where(
        'seq',
        'in',
        rows.map((r) => r.seq),
      )
      .execute()
    this.#published += good.length - rejected.length
    this.#deadLettered += letters.length
    return rows.length
  }

  #decode(rows: OutboxRow[]): { good: { row: OutboxRow; event: EventEnvelope }[]; letters: DeadLetterRow[] } {
    const good: { row: OutboxRow; event: EventEnvelope }[] = []
    const letters: DeadLetterRow[] = []
    for (const row of rows) {
      const d = this.#registry.decode(row.envelope)
      if (d.ok) good.push({ row, event: d.event })
      else letters.push(outboxDeadLetter(row, d.reason, d.detail, { id: d.id, type: d.type }))
    }
    return { good, letters }
  }

  /** Dead letters are written before their rows are marked: a crash in between writes them again (they fold). */
  async #setAside(letters: DeadLetterRow[]): Promise<void> {
    if (letters.length === 0) return
    if (!this.#deadLetters) {
      const first = letters[0]!
      throw new StreamFatalError(
        `outbox row ${first.offset} was refused (${first.reason}: ${first.detail.slice(0, 200)}) and the drainer has no dead-letter writer`,
      )
    }
    await this.#deadLetters.write(letters)
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
