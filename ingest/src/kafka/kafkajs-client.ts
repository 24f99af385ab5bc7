// The kafkajs implementation of the seam in kafka.ts (LUNEO_KAFKA_CLIENT=kafkajs).
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
import { createAdmin } from './admin.js'
import {
  withConsumerDefaults,
  type BatchHandler,
  type KafkaConsumer,
  type KafkaHandle,
  type KafkaLogLevel,
  type KafkaOptions,
  type KafkaProducer,
  type ReceivedMessage,
} from './types.js'

const levels: Record<KafkaLogLevel, LogLevel> = {
  nothing: LogLevel.NOTHING,
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
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
export function openKafkajs(options: KafkaOptions): KafkaHandle {
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
    async consumer(options) {
      const opts = withConsumerDefaults(options)
      const c = kafka.consumer({
        groupId: opts.groupId,
        sessionTimeout: opts.sessionTimeoutMs,
        heartbeatInterval: opts.heartbeatIntervalMs,
        maxWaitTimeInMs: opts.maxWaitTimeMs,
        maxBytesPerPartition: opts.maxBytesPerPartition,
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
