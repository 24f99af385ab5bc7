// The @platformatic/kafka implementation of the seam in kafka.ts (LUNEO_KAFKA_CLIENT=platformatic,
// the default: docs/adr/0025). Its consumer is a stream of single messages; the seam's contract is
// batches per partition with offsets committed only after the handler resolved, so this file
// groups what the stream has buffered into per-partition batches and commits each batch's last
// offset itself. The admin half stays kafkajs' (admin.ts): it is off the hot path.
import './promise-with-resolvers.js'
import {
  compatibilityPartitioner,
  Consumer,
  Producer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka'
import { classifyError } from '../errors/classify.js'
import {
  withConsumerDefaults,
  type BatchHandler,
  type KafkaConsumer,
  type KafkaHandle,
  type KafkaOptions,
  type KafkaProducer,
  type ReceivedBatch,
  type ReceivedMessage,
  type ResolvedConsumerOptions,
} from './types.js'
import { openKafkajs } from './kafkajs-client.js'

type Msg = Message<Buffer, Buffer, Buffer, Buffer>

/** Connects lazily: nothing talks to a broker until the first admin call, producer or consumer. */
export function openPlatformatic(options: KafkaOptions): KafkaHandle {
  const admin = openKafkajs(options)
  const open = new Set<{ disconnect(): Promise<void> }>()
  const base = { clientId: options.clientId, bootstrapBrokers: options.brokers }
  return {
    admin: admin.admin,
    async producer({ idempotent = true } = {}) {
      const p = new Producer<Buffer, Buffer, Buffer, Buffer>({
        ...base,
        idempotent,
        acks: -1,
        // Java's murmur2 (masked positive), as kafkajs' DefaultPartitioner: keys stay on their partition.
        partitioner: compatibilityPartitioner,
        autocreateTopics: false,
      })
      const wrapped: KafkaProducer = {
        async send(topic, messages) {
          if (messages.length === 0) return
          await p.send({
            messages: messages.map((m) => ({
              topic,
              key: Buffer.from(m.key),
              value: typeof m.value === 'string' ? Buffer.from(m.value) : m.value,
              headers: new Map(
                Object.entries(m.headers ?? {}).map(([k, v]) => [Buffer.from(k), Buffer.from(v)]),
              ),
            })),
          })
        },
        async disconnect() {
          open.delete(wrapped)
          await p.close()
        },
      }
      open.add(wrapped)
      return wrapped
    },
    async consumer(options) {
      const opts = withConsumerDefaults(options)
      const c = new Consumer<Buffer, Buffer, Buffer, Buffer>({
        ...base,
        groupId: opts.groupId,
        sessionTimeout: opts.sessionTimeoutMs,
        // How long a rebalance waits for every member to rejoin (the library's default is 102 s,
        // kafkajs' 60 s): twice the session, so a member killed mid-rebalance holds the group up
        // about as long as its session would have.
        rebalanceTimeout: 2 * opts.sessionTimeoutMs,
        heartbeatInterval: opts.heartbeatIntervalMs,
        maxWaitTime: opts.maxWaitTimeMs,
        maxBytesPerPartition: opts.maxBytesPerPartition,
        autocommit: false,
        autocreateTopics: false,
      })
      const wrapped = wrapConsumer(c, opts, () => open.delete(wrapped))
      open.add(wrapped)
      return wrapped
    },
    async close() {
      const all = [...open]
      open.clear()
      await Promise.allSettled([...all.map((x) => x.disconnect()), admin.close()])
    },
  }
}

function toReceived(m: Msg): ReceivedMessage {
  const headers: Record<string, string> = {}
  for (const [k, v] of m.headers) headers[k.toString()] = v.toString()
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset.toString(),
    key: m.key ? m.key.toString() : null,
    value: m.value ?? null,
    headers,
    timestamp: m.timestamp.toString(),
  }
}

/**
 * Reads the stream in chunks: `next()` returns whatever it has buffered (at least one message,
 * waiting for one), null once it ended or closed. A fetch pushes all it got at once, so a chunk
 * is one fetch or more. The 'readable' listener stays for the stream's life: without one (and
 * without 'data'), the stream counts as unread and stops fetching for good.
 */
function chunkReader(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>): () => Promise<Msg[] | null> {
  let wake: (() => void) | null = null
  let ended = false
  let failed: Error | null = null
  stream.on('readable', () => wake?.())
  stream.once('end', () => ((ended = true), wake?.()))
  stream.once('close', () => ((ended = true), wake?.()))
  stream.once('error', (err: Error) => ((failed = err), wake?.()))
  return async () => {
    for (;;) {
      if (failed) throw failed
      const out: Msg[] = []
      for (let m = stream.read() as Msg | null; m !== null; m = stream.read() as Msg | null) out.push(m)
      if (out.length > 0) return out
      if (ended || stream.destroyed) return null
      await new Promise<void>((resolve) => (wake = resolve))
      wake = null
    }
  }
}

/** Runs `fn` over `items` with at most `limit` at once; rejects with the first failure after all settled. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failure: { err: unknown } | null = null
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!
      try {
        await fn(item)
      } catch (err) {
        failure ??= { err }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure) throw (failure as { err: unknown }).err
}

function wrapConsumer(
  c: Consumer<Buffer, Buffer, Buffer, Buffer>,
  opts: ResolvedConsumerOptions,
  forget: () => void,
) {
  let topics: string[] = []
  let fromBeginning = true
  let stopped = false
  let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | null = null
  let loop: Promise<void> = Promise.resolve()
  // The batches being handled now: stop() lets them finish (and commit) before it closes.
  let busy: Promise<void> | null = null
  // Each partition's end, refreshed at most once a second, for the batch's highWatermark (lag).
  const ends = new Map<number, bigint>()
  let endsAt = 0
  const refreshEnds = () => {
    if (Date.now() - endsAt < 1_000) return
    endsAt = Date.now()
    c.listOffsets({ topics }).then(
      (offsets) => {
        for (const list of offsets.values()) list.forEach((o, partition) => ends.set(partition, o))
      },
      () => {}, // a lag figure may lag; the batch does not wait for it
    )
  }

  const open = () =>
    c.consume({
      topics,
      mode: 'committed',
      fallbackMode: fromBeginning ? 'earliest' : 'latest',
      autocommit: false,
      maxWaitTime: opts.maxWaitTimeMs,
      maxBytesPerPartition: opts.maxBytesPerPartition,
    })

  async function pump(
    s: MessagesStream<Buffer, Buffer, Buffer, Buffer>,
    handler: BatchHandler,
    concurrency: number,
  ): Promise<void> {
    const next = chunkReader(s)
    for (let chunk = await next(); chunk && !stopped; chunk = stopped ? null : await next()) {
      refreshEnds()
      const byPartition = new Map<string, Msg[]>()
      for (const m of chunk) {
        const key = `${m.topic}\u0000${m.partition}`
        const list = byPartition.get(key)
        if (list) list.push(m)
        else byPartition.set(key, [m])
      }
      busy = pool([...byPartition.values()], concurrency, async (msgs) => {
        const last = msgs.at(-1)!
        const end = ends.get(last.partition) ?? 0n
        const batch: ReceivedBatch = {
          topic: last.topic,
          partition: last.partition,
          messages: msgs.map(toReceived),
          highWatermark: (end > last.offset ? end : last.offset + 1n).toString(),
        }
        await handler(batch, { heartbeat: async () => {}, isRunning: () => !stopped })
        // Reached only when the handler resolved: commits last.offset + 1 for the partition.
        await last.commit()
      })
      try {
        await busy
      } finally {
        busy = null
      }
    }
  }

  const wrapped: KafkaConsumer & { disconnect(): Promise<void> } = {
    async subscribe(list, { fromBeginning: fb = true } = {}) {
      topics = list
      fromBeginning = fb
    },
    async runBatches(handler, { partitionsConsumedConcurrently = 1 } = {}) {
      stream = await open()
      loop = (async () => {
        let delay = 200
        while (!stopped) {
          try {
            if (!stream) {
              const opened = await open()
              // stop() came while the stream was opening: it had nothing to close then.
              if (stopped) return void (await opened.close().catch(() => {}))
              stream = opened
            }
            await pump(stream, handler, partitionsConsumedConcurrently)
            if (!stopped) throw new Error('the Kafka message stream ended')
          } catch (err) {
            if (stopped) return
            const s = stream
            stream = null
            await s?.close().catch(() => {})
            // kafkajs' contract: an error with retriable === false stops the consumer for good;
            // so does a crash-class one (credentials, a missing topic). Anything else is
            // redelivered: the stream reopens at the committed offsets.
            if ((err as { retriable?: unknown }).retriable === false || classifyError(err) === 'crash') {
              stopped = true
              forget()
              opts.onCrash?.(err instanceof Error ? err : new Error(String(err)))
              await c.close(true).catch(() => {})
              return
            }
            await new Promise((r) => setTimeout(r, delay))
            delay = Math.min(delay * 2, 5_000)
            continue
          }
        }
      })()
    },
    async stop() {
      if (stopped && !stream) return
      stopped = true
      forget()
      // Lets the batch in flight finish and commit (its handler sees isRunning() false), then
      // closes the stream (a pump waiting for data ends through 'close') and leaves the group.
      await busy?.catch(() => {})
      const s = stream
      stream = null
      await s?.close().catch(() => {})
      await loop
      await c.close().catch(() => c.close(true).catch(() => {}))
    },
    disconnect() {
      return wrapped.stop()
    },
  }
  return wrapped
}
