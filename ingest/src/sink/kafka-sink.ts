import { classifyError, describeError, StreamFatalError } from '../errors/classify.js'
import { writeIsolatingRejects, type Rejected } from '../errors/isolate-rejects.js'
import { eventRegistry, type EventRegistry } from '../events/registry.js'
import type {
  BatchContext,
  KafkaConsumer,
  KafkaHandle,
  PartitionOffset,
  ReceivedBatch,
} from '../kafka/kafka.js'
import { eventsTopic, payloadValidatedHeader } from '../relay/kafka-publisher.js'
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
  /**
   * Partitions handled at once (each still in order). Default 6, the events topic's partition
   * count: the batches that arrive together are written to ClickHouse in one insert (see #write).
   */
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

interface Joiner {
  items: StreamEvent[]
  resolve: (rejected: Rejected<StreamEvent>[]) => void
  reject: (err: unknown) => void
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
  /** Partition batches waiting to share the next insert (#write). */
  #joining: Joiner[] = []
  #fatal: StreamFatalError | null = null
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

  /**
   * Resolves when the sink stopped for good: a crash-class error (schema missing, …) or kafkajs
   * stopped restarting the consumer. Nothing of the failing batch was committed: exit non-zero.
   */
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
      partitionsConsumedConcurrently: this.#opts.partitionsConsumedConcurrently ?? 6,
    })
  }

  /** Finishes the batch in flight (or abandons it uncommitted), leaves the group. */
  async stop(): Promise<void> {
    await this.#consumer?.stop()
    this.#consumer = null
  }

  async #handle(batch: ReceivedBatch, ctx: BatchContext): Promise<void> {
    // After a crash-class error no partition writes again: kafkajs may hand over one more batch.
    if (this.#fatal) throw this.#fatal
    const { good, bad } = this.#decode(batch)
    let rejected: DeadLetter[] = []
    await this.#retrying(ctx, async () => {
      await this.#dlq.write(bad)
      rejected = await this.#writeIsolatingRejects(batch, good)
      await this.#dlq.write(rejected)
    })
    const first = batch.messages[0]!.offset
    const last = batch.messages.at(-1)!.offset
    const deadLettered = bad.length + rejected.length
    await this.#opts.afterWrite?.({
      partition: batch.partition,
      firstOffset: first,
      lastOffset: last,
      valid: good.length - rejected.length,
      deadLettered,
    })
    const m = this.#metrics
    m.batches += 1
    m.events += good.length - rejected.length
    m.deadLettered += deadLettered
    m.lagByPartition[batch.partition] = Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)
    this.#reached.set(batch.partition, BigInt(last) + 1n)
    this.#checkReached()
  }

  #decode(batch: ReceivedBatch): { good: StreamEvent[]; bad: DeadLetter[] } {
    const good: StreamEvent[] = []
    const bad: DeadLetter[] = []
    for (const m of batch.messages) {
      // Validated at the producer: only the envelope is checked here (the payload is re-validated
      // for an older version, which is upcast, and for messages that do not carry the header).
      const d = this.#opts.registry.decode(m.value ?? '', {
        payloadValidated: m.headers[payloadValidatedHeader] === '1',
      })
      if (d.ok) good.push({ event: d.event, partition: m.partition, offset: m.offset })
      else bad.push({ message: m, reason: d.reason, detail: d.detail, eventId: d.id, eventType: d.type })
    }
    return { good, bad }
  }

  /** Writes the valid events; the ones ClickHouse refuses as invalid come back as dead letters. */
  async #writeIsolatingRejects(batch: ReceivedBatch, good: StreamEvent[]): Promise<DeadLetter[]> {
    const rejected = await this.#write(good)
    const byOffset = new Map(batch.messages.map((m) => [m.offset, m]))
    return rejected.map(({ item, error }) => ({
      message: byOffset.get(item.offset)!,
      reason: 'store_rejected' as const,
      detail: describeError(error),
      eventId: item.event.id,
      eventType: item.event.type,
    }))
  }

  /**
   * One insert for the partition batches handled at the same time: each batch joins, and the
   * first to join writes all of them on the next turn of the event loop (when the batches that
   * arrived with it have been decoded). ClickHouse makes one part per insert, so six partitions
   * at once cost one part, one dedup query and one insert instead of six. Each batch gets back
   * its own rejected rows, or the insert's error (every joined batch then retries or stops).
   */
  #write(items: StreamEvent[]): Promise<Rejected<StreamEvent>[]> {
    if (items.length === 0) return Promise.resolve([])
    return new Promise((resolve, reject) => {
      this.#joining.push({ items, resolve, reject })
      if (this.#joining.length > 1) return
      setImmediate(() => {
        const joined = this.#joining
        this.#joining = []
        const all = joined.flatMap((j) => j.items)
        writeIsolatingRejects(all, (part) => this.#writer.publishFromStream(part)).then(
          (rejected) => {
            for (const j of joined) {
              const mine = new Set(j.items)
              j.resolve(rejected.filter((r) => mine.has(r.item)))
            }
          },
          (err: unknown) => {
            for (const j of joined) j.reject(err)
          },
        )
      })
    })
  }

  /**
   * Retry-class errors back off (doubling) while heartbeating, so the group keeps the member and
   * no new batch is fetched: backpressure. A crash-class error stops the consumer for good
   * without committing (`crashed` resolves); the CLI then exits non-zero.
   */
  async #retrying(ctx: BatchContext, write: () => Promise<void>): Promise<void> {
    let delay = this.#opts.backoffMs ?? 200
    for (;;) {
      try {
        await write()
        return
      } catch (err) {
        // Bad rows were set aside inside `write`; what is left is the store or the schema.
        if (classifyError(err) !== 'retry') throw this.#stopForGood(err)
        this.#metrics.writeRetries += 1
        this.#opts.onError?.(err)
        if (!ctx.isRunning()) throw err
        await new Promise((r) => setTimeout(r, delay))
        delay = Math.min(delay * 2, this.#opts.maxBackoffMs ?? 5_000)
        await ctx.heartbeat()
      }
    }
  }

  #stopForGood(err: unknown): StreamFatalError {
    this.#fatal ??= new StreamFatalError(describeError(err), { cause: err })
    this.#crash.resolve(this.#fatal)
    return this.#fatal
  }

  #checkReached(): void {
    const until = this.#opts.until
    if (!until) return
    const all = until.every((u) => (this.#reached.get(u.partition) ?? 0n) >= BigInt(u.offset))
    if (all) this.#done.resolve()
  }
}
