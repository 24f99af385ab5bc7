import { eventRegistry, type EventRegistry } from '../events/registry.js'
import type {
  BatchContext,
  KafkaConsumer,
  KafkaHandle,
  PartitionOffset,
  ReceivedBatch,
} from '../kafka/kafka.js'
import { eventsTopic } from '../relay/kafka-publisher.js'
import type { ClickHouseEventWriter, StreamEvent } from './clickhouse-sink.js'
import type { DeadLetter, DeadLetterWriter } from './dead-letters.js'

export interface KafkaSinkOptions {
  topic?: string
  groupId?: string
  registry?: EventRegistry
  /** A dead member's partitions move after this long (broker minimum: 6 s). Default 30 s. */
  sessionTimeoutMs?: number
  /**
   * Bounds one batch (per partition), hence one ClickHouse insert. Default 4 MiB ≈ 9,000 events:
   * ClickHouse wants inserts of thousands of rows (each insert makes a part).
   */
  maxBytesPerPartition?: number
  /** Fetch wait when a partition is idle (default 5 s); a replay that must stop soon uses less. */
  maxWaitTimeMs?: number
  /** Partitions handled at once (each still in order). Default 1. */
  partitionsConsumedConcurrently?: number
  /** First delay after ClickHouse refused a write; doubles up to maxBackoffMs. */
  backoffMs?: number
  maxBackoffMs?: number
  /** Replay: where the group starts (offsets already set on the group); seeds `done`. */
  from?: PartitionOffset[]
  /** Replay: `done` resolves once every partition reached these offsets (exclusive). */
  until?: PartitionOffset[]
  onError?: (err: unknown) => void
  /** After each batch is in ClickHouse, before its offsets are committed (trace, fault tests). */
  afterWrite?: (info: BatchInfo) => Promise<void> | void
}

export interface BatchInfo {
  partition: number
  firstOffset: string
  lastOffset: string
  valid: number
  deadLettered: number
}

export interface SinkMetrics {
  batches: number
  /** Valid events handed to ClickHouse (before dedup by id). */
  events: number
  deadLettered: number
  /** Failed ClickHouse writes that were retried: backpressure, not loss. */
  writeRetries: number
  /** Messages behind the end of each partition, as of the last batch read from it. */
  lagByPartition: Record<number, number>
}

/**
 * The consumer group that moves `luneo.events` into ClickHouse. Per batch: decode and validate
 * each message (catalogue + upcasters), dead-letter the refused ones, write the rest in one insert,
 * and only then let the offsets be committed. A crash anywhere before the commit redelivers the
 * batch, and the ClickHouse writer skips ids it already has (ADR 0003).
 *
 * When ClickHouse refuses writes the batch is retried with backoff while heartbeating, so the
 * consumer stops fetching (backpressure) and the group keeps its member.
 */
export class KafkaSink {
  readonly #kafka: KafkaHandle
  readonly #writer: ClickHouseEventWriter
  readonly #dlq: DeadLetterWriter
  readonly #opts: KafkaSinkOptions & { topic: string; groupId: string; registry: EventRegistry }
  readonly #metrics: SinkMetrics = {
    batches: 0,
    events: 0,
    deadLettered: 0,
    writeRetries: 0,
    lagByPartition: {},
  }
  readonly #reached = new Map<number, bigint>()
  #consumer: KafkaConsumer | null = null
  #done: { promise: Promise<void>; resolve: () => void }
  #crash: { promise: Promise<Error>; resolve: (err: Error) => void }

  constructor(
    kafka: KafkaHandle,
    writer: ClickHouseEventWriter,
    dlq: DeadLetterWriter,
    options: KafkaSinkOptions = {},
  ) {
    this.#kafka = kafka
    this.#writer = writer
    this.#dlq = dlq
    this.#opts = { topic: eventsTopic, groupId: 'luneo-sink', registry: eventRegistry, ...options }
    for (const p of options.from ?? []) this.#reached.set(p.partition, BigInt(p.offset))
    let resolve!: () => void
    this.#done = { promise: new Promise<void>((r) => (resolve = r)), resolve }
    let crash!: (err: Error) => void
    this.#crash = { promise: new Promise<Error>((r) => (crash = r)), resolve: crash }
  }

  /** Resolves when the consumer died for good (kafkajs stopped restarting it): exit and be restarted. */
  get crashed(): Promise<Error> {
    return this.#crash.promise
  }

  metrics(): SinkMetrics {
    return { ...this.#metrics, lagByPartition: { ...this.#metrics.lagByPartition } }
  }

  /** With `until`: resolves once every partition was written up to it. */
  get done(): Promise<void> {
    return this.#done.promise
  }

  async start(): Promise<void> {
    const consumer = await this.#kafka.consumer({
      groupId: this.#opts.groupId,
      sessionTimeoutMs: this.#opts.sessionTimeoutMs,
      heartbeatIntervalMs: this.#opts.sessionTimeoutMs
        ? Math.floor(this.#opts.sessionTimeoutMs / 3)
        : undefined,
      maxBytesPerPartition: this.#opts.maxBytesPerPartition ?? 4 * 1024 * 1024,
      maxWaitTimeMs: this.#opts.maxWaitTimeMs,
      onCrash: (err) => {
        this.#opts.onError?.(err)
        this.#crash.resolve(err)
      },
    })
    this.#consumer = consumer
    this.#checkReached()
    await consumer.subscribe([this.#opts.topic], { fromBeginning: true })
    await consumer.runBatches((batch, ctx) => this.#handle(batch, ctx), {
      partitionsConsumedConcurrently: this.#opts.partitionsConsumedConcurrently ?? 1,
    })
  }

  /** Finishes the batch in flight (or abandons it uncommitted), leaves the group. */
  async stop(): Promise<void> {
    await this.#consumer?.stop()
    this.#consumer = null
  }

  async #handle(batch: ReceivedBatch, ctx: BatchContext): Promise<void> {
    const good: StreamEvent[] = []
    const bad: DeadLetter[] = []
    for (const m of batch.messages) {
      const d = this.#opts.registry.decode(m.value ?? '')
      if (d.ok) good.push({ event: d.event, partition: m.partition, offset: m.offset })
      else bad.push({ message: m, reason: d.reason, detail: d.detail, eventId: d.id, eventType: d.type })
    }
    await this.#retrying(ctx, async () => {
      await this.#dlq.write(bad)
      await this.#writer.publishFromStream(good)
    })
    const first = batch.messages[0]!.offset
    const last = batch.messages.at(-1)!.offset
    await this.#opts.afterWrite?.({
      partition: batch.partition,
      firstOffset: first,
      lastOffset: last,
      valid: good.length,
      deadLettered: bad.length,
    })
    const m = this.#metrics
    m.batches += 1
    m.events += good.length
    m.deadLettered += bad.length
    m.lagByPartition[batch.partition] = Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)
    this.#reached.set(batch.partition, BigInt(last) + 1n)
    this.#checkReached()
  }

  async #retrying(ctx: BatchContext, write: () => Promise<void>): Promise<void> {
    let delay = this.#opts.backoffMs ?? 200
    for (;;) {
      try {
        await write()
        return
      } catch (err) {
        // Validation happened before: what fails here is the store (down, read-only, overloaded).
        this.#metrics.writeRetries += 1
        this.#opts.onError?.(err)
        if (!ctx.isRunning()) throw err
        await new Promise((r) => setTimeout(r, delay))
        delay = Math.min(delay * 2, this.#opts.maxBackoffMs ?? 5_000)
        await ctx.heartbeat()
      }
    }
  }

  #checkReached(): void {
    const until = this.#opts.until
    if (!until) return
    const all = until.every((u) => (this.#reached.get(u.partition) ?? 0n) >= BigInt(u.offset))
    if (all) this.#done.resolve()
  }
}
