// Our seam over kafkajs. kafkajs 2.2.4 is unmaintained (last release 2023) and speaks only the
// protocol versions of Kafka ≤ 3.9, so nothing outside this folder imports it: replacing it
// (e.g. with @confluentinc/kafka-javascript) means rewriting this file, not its callers.
import {
  Kafka,
  Partitioners,
  logLevel as LogLevel,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type KafkaMessage,
  type Producer,
} from 'kafkajs'
import { createAdmin, type KafkaAdmin } from './admin.js'

export type { KafkaAdmin, PartitionOffset } from './admin.js'

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug'

export interface KafkaOptions {
  /** `host:port` list, e.g. from `parseBrokers(process.env.KAFKA_BROKERS)`. */
  brokers: string[]
  clientId: string
  logLevel?: KafkaLogLevel
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
  /** Default 30 s (kafkajs); a crashed member's partitions move after this long. */
  sessionTimeoutMs?: number
  /** How long a fetch waits for data when there is none (default 5 s); also bounds stop(). */
  maxWaitTimeMs?: number
  /** Default 3 s; keep it under a third of the session timeout. */
  heartbeatIntervalMs?: number
  /** Upper bound of one fetch per partition, hence of one batch. Default 1 MiB. */
  maxBytesPerPartition?: number
  /** Called when kafkajs gives up on the consumer (it no longer restarts it). */
  onCrash?: (error: Error) => void
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

const levels: Record<KafkaLogLevel, LogLevel> = {
  nothing: LogLevel.NOTHING,
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
}

/** Splits `KAFKA_BROKERS` ("h1:9092,h2:9092") into a broker list. */
export function parseBrokers(value: string): string[] {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0)
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is empty')
  return brokers
}

function headersOf(raw: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value === undefined) continue
    const last = Array.isArray(value) ? value.at(-1) : value
    if (last !== undefined) out[name] = last.toString()
  }
  return out
}

function toReceived(topic: string, partition: number, m: KafkaMessage): ReceivedMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString() : null,
    value: m.value,
    headers: headersOf(m.headers),
    timestamp: m.timestamp,
  }
}

/** Connects lazily: nothing talks to a broker until the first admin call, producer or consumer. */
export function openKafka(options: KafkaOptions): KafkaHandle {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: levels[options.logLevel ?? 'warn'],
  })
  const open = new Set<{ disconnect(): Promise<void> }>()
  let admin: Promise<Admin> | undefined

  const connectedAdmin = () => {
    admin ??= (async () => {
      const a = kafka.admin()
      await a.connect()
      open.add(a)
      return a
    })()
    return admin
  }

  return {
    admin: createAdmin(connectedAdmin),
    async producer({ idempotent = true } = {}) {
      const p = kafka.producer({
        idempotent,
        // Java's murmur2 partitioner: a key maps to the same partition as in Java/librdkafka clients.
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
      })
      await p.connect()
      open.add(p)
      return wrapProducer(p, () => open.delete(p))
    },
    async consumer(opts) {
      const c = kafka.consumer({
        groupId: opts.groupId,
        sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: opts.heartbeatIntervalMs ?? 3_000,
        maxWaitTimeInMs: opts.maxWaitTimeMs ?? 5_000,
        maxBytesPerPartition: opts.maxBytesPerPartition ?? 1_048_576,
        allowAutoTopicCreation: false,
      })
      if (opts.onCrash) {
        const onCrash = opts.onCrash
        c.on(c.events.CRASH, (e) => {
          if (!e.payload.restart) onCrash(e.payload.error)
        })
      }
      await c.connect()
      open.add(c)
      return wrapConsumer(c, () => open.delete(c))
    },
    async close() {
      const all = [...open]
      open.clear()
      admin = undefined
      await Promise.allSettled(all.map((x) => x.disconnect()))
    },
  }
}

function wrapProducer(p: Producer, forget: () => void): KafkaProducer {
  return {
    async send(topic, messages) {
      if (messages.length === 0) return
      await p.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })
    },
    async disconnect() {
      forget()
      await p.disconnect()
    },
  }
}

function wrapConsumer(c: Consumer, forget: () => void): KafkaConsumer {
  let stopped = false
  return {
    async subscribe(topics, { fromBeginning = true } = {}) {
      await c.subscribe({ topics, fromBeginning })
    },
    async runBatches(handler, { partitionsConsumedConcurrently = 1 } = {}) {
      await c.run({
        // Offsets move only when our handler says so: at-least-once, never at-most-once.
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently,
        eachBatch: (payload) => handleBatch(payload, handler),
      })
    },
    async stop() {
      if (stopped) return
      stopped = true
      forget()
      await c.disconnect()
    },
  }
}

async function handleBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
  const { batch } = payload
  if (batch.isEmpty()) return
  const messages = batch.messages.map((m) => toReceived(batch.topic, batch.partition, m))
  await handler(
    { topic: batch.topic, partition: batch.partition, messages, highWatermark: batch.highWatermark },
    { heartbeat: () => payload.heartbeat(), isRunning: () => payload.isRunning() },
  )
  // Reached only when the handler resolved. With autoCommit off, commitOffsetsIfNecessary()
  // without arguments commits nothing, so pass the resolved offsets explicitly.
  payload.resolveOffset(batch.lastOffset())
  await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets())
}
