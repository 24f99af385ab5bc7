import type { Db } from '@luneo/warehouse'
import { sql } from 'kysely'
import { classifyError } from '../errors/classify.js'
import { checkEnvelope, EventEnvelope } from '../events/envelope.js'
import { LatencyWindow } from '../metrics.js'
import { PollLoop, type OutboxMover } from '../outbox/poll-loop.js'
import { createOutboxPruner, type OutboxPruneOptions } from '../outbox/prune.js'
import type { EventPublisher } from '../sink/clickhouse-sink.js'
import { outboxBacklog } from '../drain/outbox-drainer.js'

export interface RelayOptions {
  batchSize?: number
  /**
   * Ordering slots: a partition key hashes to one slot, and a slot is relayed by one relay at a
   * time (a transaction-scoped advisory lock), so a conversation's events leave in seq order
   * however many relays run. 16 slots ≫ relays we expect; more slots only cost a wider IN list.
   */
  slots?: number
  /** At most this many slots per claim, so several relays share the work. Default: slots ÷ claims. */
  slotsPerClaim?: number
  /**
   * Claims in flight at once in this relay (default 1), each its own transaction over its own
   * slots, as separate relays would be: one claim's publish (waiting for Kafka's acks) overlaps
   * the next one's reads and writes in Postgres. Per-key order holds: a slot is one claim's.
   */
  claims?: number
  idleMs?: number
  backoffMs?: number
  maxBackoffMs?: number
  /** A retried error: the broker or Postgres unreachable, a leader moving, … */
  onError?: (err: unknown) => void
  /** The relay stopped for good (refused credentials, a row Kafka refuses, …): exit loudly. */
  onFatal?: (err: unknown) => void
  /** Delete published rows past this age when idle (docs/adr/0022); kept for ever without it. */
  prune?: OutboxPruneOptions
  /** Fault injection for tests: runs after the publish resolved, before the rows are marked. */
  afterPublish?: (events: EventEnvelope[]) => Promise<void>
}

export interface RelayMetrics {
  published: number
  batches: number
  /** How long the publisher took per batch (Kafka acks = all). */
  publishMs: { p50: number; p99: number; count: number }
  /** Outbox insert → marked sent, per batch's oldest row: what a dashboard waits for. */
  outboxAgeMs: { p50: number; p99: number }
}

// Advisory-lock namespace for the slots ("lu" + "re"): keeps clear of other advisory locks.
const LOCK_CLASS = 0x6c75_7265

/**
 * Relays outbox rows to Kafka. Each claim is one short transaction: lock free ordering slots,
 * `SELECT … FOR UPDATE SKIP LOCKED ORDER BY seq LIMIT n` in them, publish (idempotent producer),
 * mark `published_at`, commit. A crash after the publish and before the commit leaves the rows
 * unmarked, so they go out again: the sink drops the copies by event id (ADR 0003).
 *
 * Unlike the embedded drainer it holds the transaction across the publish: that is what makes
 * concurrent relays safe, and it runs against a Postgres server with a pool, not PGlite.
 */
export class OutboxRelay implements OutboxMover {
  readonly #db: Db
  readonly #publisher: EventPublisher
  readonly #opts: Required<Omit<RelayOptions, 'onError' | 'onFatal' | 'afterPublish' | 'prune'>> &
    Pick<RelayOptions, 'afterPublish'>
  readonly #loop: PollLoop
  readonly #publishMs = new LatencyWindow()
  readonly #ageMs = new LatencyWindow()
  #published = 0
  #batches = 0

  constructor(db: Db, publisher: EventPublisher, options: RelayOptions = {}) {
    this.#db = db
    this.#publisher = publisher
    const slots = options.slots ?? 16
    const claims = Math.max(1, options.claims ?? 1)
    this.#opts = {
      batchSize: 500,
      idleMs: 100,
      backoffMs: 200,
      maxBackoffMs: 5_000,
      ...options,
      slots,
      claims,
      slotsPerClaim: options.slotsPerClaim ?? Math.ceil(slots / claims),
    }
    const pruner = options.prune ? createOutboxPruner(db, options.prune) : null
    this.#loop = new PollLoop(
      async () => {
        const moved = await this.#drainClaims()
        if (moved === 0) await pruner?.maybePrune()
        return moved > 0
      },
      {
        idleMs: this.#opts.idleMs,
        backoffMs: this.#opts.backoffMs,
        maxBackoffMs: this.#opts.maxBackoffMs,
        onError: options.onError,
        // It has no dead-letter path of its own: an outbox envelope that does not parse (written
        // around appendToOutbox, which validates) stops it loudly rather than stalling it (ADR 0014).
        classify: classifyError,
        onFatal: options.onFatal,
      },
    )
  }

  get published(): number {
    return this.#published
  }

  /** Resolves with the error that stopped the background loop for good. */
  get crashed(): Promise<unknown> {
    return this.#loop.crashed
  }

  /** Publish latency and outbox age over the last 1,024 batches. */
  metrics(): RelayMetrics {
    const q = (w: LatencyWindow) => ({ p50: w.quantile(0.5), p99: w.quantile(0.99) })
    return {
      published: this.#published,
      batches: this.#batches,
      publishMs: { ...q(this.#publishMs), count: this.#publishMs.count },
      outboxAgeMs: q(this.#ageMs),
    }
  }

  /** Rows waiting in the outbox (all relays together). */
  backlog(): Promise<number> {
    return outboxBacklog(this.#db)
  }

  /** Claims, publishes and marks one batch; returns how many rows it moved. */
  async drainOnce(): Promise<number> {
    const { batchSize, slots, slotsPerClaim } = this.#opts
    const slotOf = sql`((hashtext(partition_key) % ${sql.lit(slots)}) + ${sql.lit(slots)}) % ${sql.lit(slots)}`
    const moved = await this.#db.transaction().execute(async (trx) => {
      // Slots that have work, oldest first, so the longest-waiting conversations go first.
      const waiting = await sql<{ slot: number }>`
        SELECT ${slotOf} AS slot, min(seq) AS first FROM (
          SELECT seq, partition_key FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ${sql.lit(batchSize)}
        ) head GROUP BY 1 ORDER BY first`.execute(trx)
      if (waiting.rows.length === 0) return null
      // No ORDER BY here: it would make Postgres try every lock before sorting. unnest yields the
      // array in order and LIMIT stops asking once enough locks are held.
      const wanted = waiting.rows.map((r) => sql.lit(Number(r.slot)))
      const locked = await sql<{ slot: number }>`
        SELECT s AS slot FROM unnest(ARRAY[${sql.join(wanted)}]::int[]) AS s
        WHERE pg_try_advisory_xact_lock(${sql.lit(LOCK_CLASS)}, s) LIMIT ${sql.lit(slotsPerClaim)}`.execute(
        trx,
      )
      if (locked.rows.length === 0) return null
      const mine = locked.rows.map((r) => sql.lit(Number(r.slot)))
      const rows = await sql<{ seq: number; envelope: unknown; age_ms: number }>`
        SELECT seq, envelope, extract(epoch FROM clock_timestamp() - created_at) * 1000 AS age_ms
        FROM outbox WHERE published_at IS NULL AND ${slotOf} IN (${sql.join(mine)})
        ORDER BY seq LIMIT ${sql.lit(batchSize)} FOR UPDATE SKIP LOCKED`.execute(trx)
      if (rows.rows.length === 0) return null
      // The hand-written check first (a fraction of zod's cost); zod for the error when it fails.
      const events = rows.rows.map((r) => checkEnvelope(r.envelope) ?? EventEnvelope.parse(r.envelope))
      const t0 = performance.now()
      await this.#publisher.publish(events)
      this.#publishMs.observe(performance.now() - t0)
      await this.#opts.afterPublish?.(events)
      const seqs = rows.rows.map((r) => Number(r.seq))
      // One array parameter, not one per row: Postgres parses and plans a fixed-size statement.
      await sql`UPDATE outbox SET published_at = now() WHERE seq = ANY(${seqs}::bigint[])`.execute(trx)
      return { n: seqs.length, age: Math.max(...rows.rows.map((r) => Number(r.age_ms))) }
    })
    if (!moved) return 0
    this.#published += moved.n
    this.#batches += 1
    this.#ageMs.observe(moved.age)
    return moved.n
  }

  /** `claims` claims at once; how many rows they moved together. */
  async #drainClaims(): Promise<number> {
    if (this.#opts.claims === 1) return this.drainOnce()
    const moved = await Promise.allSettled(Array.from({ length: this.#opts.claims }, () => this.drainOnce()))
    const failed = moved.find((m) => m.status === 'rejected')
    if (failed) throw failed.reason
    return moved.reduce((sum, m) => sum + (m as PromiseFulfilledResult<number>).value, 0)
  }

  /** Relays until nothing is left that this relay may claim. */
  async drainAll(): Promise<number> {
    let total = 0
    for (let n = await this.#drainClaims(); n > 0; n = await this.#drainClaims()) total += n
    return total
  }

  nudge(): void {
    this.#loop.nudge()
  }

  start(): void {
    this.#loop.start()
  }

  /** Stops after the batch in flight (its transaction commits or rolls back first). */
  async stop(): Promise<void> {
    await this.#loop.stop()
  }
}
