// The seam's types and the defaults both clients apply (kafka.ts says which client implements
// them), apart so that the clients can import them without importing the module that imports the
// clients.
import type { KafkaAdmin } from './admin.js'

export type { KafkaAdmin, PartitionOffset } from './admin.js'

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug'

export interface KafkaOptions {
  /** `host:port` list, e.g. from `parseBrokers(process.env.KAFKA_BROKERS)`. */
  brokers: string[]
  clientId: string
  logLevel?: KafkaLogLevel
  /** Which library talks to the broker; default: LUNEO_KAFKA_CLIENT, else `defaultKafkaClient`. */
  client?: 'platformatic' | 'kafkajs'
}

export interface OutgoingMessage {
  /** Partition key: messages with one key land on one partition, in send order. */
  key: string
  value: string | Buffer
  headers?: Record<string, string>
}

export interface ReceivedMessage {
  topic: string
  partition: number
  offset: string
  key: string | null
  value: Buffer | null
  headers: Record<string, string>
  /** Broker or producer timestamp, epoch milliseconds as a string (as Kafka gives it). */
  timestamp: string
}

export interface ReceivedBatch {
  topic: string
  partition: number
  messages: ReceivedMessage[]
  highWatermark: string
}

export interface BatchContext {
  /** Call during long handlers (> sessionTimeout / 3) so the group keeps the member. */
  heartbeat(): Promise<void>
  /** False once stop() was called: a handler may give up early (by throwing). */
  isRunning(): boolean
}

/**
 * Resolve to mark the whole batch done (its offsets are then committed); throw to have it
 * redelivered. An error whose `retriable` is false (StreamFatalError) stops the consumer for good
 * instead: nothing committed, no restart, `onCrash` called.
 */
export type BatchHandler = (batch: ReceivedBatch, ctx: BatchContext) => Promise<void>

export interface KafkaProducer {
  /** Resolves once every message is acknowledged by all in-sync replicas (acks = -1). */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>
  disconnect(): Promise<void>
}

export interface ConsumerOptions {
  groupId: string
  /** Default 30 s; a crashed member's partitions move after this long. */
  sessionTimeoutMs?: number
  /** How long a fetch waits for data when there is none (default 5 s); also bounds stop(). */
  maxWaitTimeMs?: number
  /** Default 3 s; keep it under a third of the session timeout. */
  heartbeatIntervalMs?: number
  /** Upper bound of one fetch per partition, hence of one batch. Default 1 MiB. */
  maxBytesPerPartition?: number
  /** Called when the client gives up on the consumer (it no longer restarts it). */
  onCrash?: (error: Error) => void
}

/** The consumer options with every default filled in: both clients read their numbers from here. */
export type ResolvedConsumerOptions = Required<Omit<ConsumerOptions, 'onCrash'>> &
  Pick<ConsumerOptions, 'onCrash'>

/** `options` with the defaults documented on ConsumerOptions where a value is missing. */
export function withConsumerDefaults(options: ConsumerOptions): ResolvedConsumerOptions {
  return {
    ...options,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
    maxWaitTimeMs: options.maxWaitTimeMs ?? 5_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
  }
}

export interface KafkaConsumer {
  subscribe(topics: string[], options?: { fromBeginning?: boolean }): Promise<void>
  /** Starts consuming; resolves once running. Offsets are committed only after `handler` resolves. */
  runBatches(handler: BatchHandler, options?: { partitionsConsumedConcurrently?: number }): Promise<void>
  /** Waits for the batch in flight, leaves the group and disconnects. Safe to call twice. */
  stop(): Promise<void>
}

export interface KafkaHandle {
  admin: KafkaAdmin
  /** Idempotent producers (the default) never write a retried batch twice into a partition. */
  producer(options?: { idempotent?: boolean }): Promise<KafkaProducer>
  consumer(options: ConsumerOptions): Promise<KafkaConsumer>
  /** Disconnects every producer, consumer and the admin client opened through this handle. */
  close(): Promise<void>
}
