import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { migrateClickHouse, openClickHouse, openPostgres, type ClickHouseHandle } from '@luneo/warehouse'
import { describeError } from '../errors/classify.js'
import { openKafka, parseBrokers, type KafkaHandle } from '../kafka/kafka.js'
import { ensureEventTopics } from '../kafka/topics.js'
import { renderPrometheus, type Sample } from '../metrics.js'
import { createKafkaPublisher } from '../relay/kafka-publisher.js'
import { OutboxRelay } from '../relay/outbox-relay.js'
import { createClickHouseSink } from '../sink/clickhouse-sink.js'
import { createDeadLetterWriter } from '../sink/dead-letters.js'
import { KafkaSink } from '../sink/kafka-sink.js'
import { replayEvents } from '../sink/replay.js'
import { parseIngestConfig, type IngestConfig } from './config.js'
import { relaySamples, sinkSamples } from './samples.js'

export { parseIngestConfig, type IngestConfig } from './config.js'

const usage = `usage: luneo ingest relay | sink | replay --from <ISO time>
env: DATABASE_URL (relay), CLICKHOUSE_URL or LUNEO_DATA_DIR (sink, replay), KAFKA_BROKERS`

/** `luneo ingest <command>`: runs until SIGTERM/SIGINT (relay, sink) or until done (replay). */
export async function runIngestCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...rest] = args
  if (command !== 'relay' && command !== 'sink' && command !== 'replay') {
    console.error(usage)
    return 2
  }
  const config = parseIngestConfig(env)
  const kafka = openKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: `luneo-${command}` })
  try {
    const kept = await ensureEventTopics(kafka, config.LUNEO_EVENTS_TOPIC, config.LUNEO_EVENTS_PARTITIONS)
    console.error(
      `${config.LUNEO_EVENTS_TOPIC}: retention ${kept.eventsRetentionMs} ms, dlq ${kept.dlqRetentionMs} ms`,
    )
    if (command === 'relay') return await runRelay(config, kafka)
    if (command === 'sink') return await runSink(config, kafka)
    return await runReplay(config, kafka, rest)
  } finally {
    await kafka.close()
  }
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
}

function serveMetrics(port: number | undefined, samples: () => Promise<Sample[]>): Server | null {
  if (!port) return null
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end()
    samples().then(
      (s) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderPrometheus(s)),
      (err: unknown) => res.writeHead(500).end(String(err)),
    )
  })
  server.listen(port, '0.0.0.0')
  return server
}

async function runRelay(config: IngestConfig, kafka: KafkaHandle): Promise<number> {
  if (!config.DATABASE_URL) throw new Error('the relay needs DATABASE_URL (a Postgres server)')
  const pg = await openPostgres({ url: config.DATABASE_URL, maxConnections: 4 })
  const producer = await kafka.producer({ idempotent: true })
  const trace = config.LUNEO_RELAY_TRACE === '1'
  const holdAt = config.LUNEO_FAULT_HOLD_AFTER_PUBLISH
  let batches = 0
  const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, config.LUNEO_EVENTS_TOPIC), {
    batchSize: config.LUNEO_RELAY_BATCH,
    claims: config.LUNEO_RELAY_CLAIMS,
    prune: { keepMs: config.LUNEO_OUTBOX_KEEP_HOURS * 3_600_000 },
    onError: (err) => console.error('relay: publish failed, retrying', err),
    // The window a crash leaves re-sent rows in: on Kafka, not yet marked in the outbox.
    afterPublish: async (events) => {
      if (trace)
        console.log(`relay-published n=${events.length} first=${events[0]!.id} last=${events.at(-1)!.id}`)
      if (++batches === holdAt) await new Promise(() => {})
    },
  })
  const metrics = serveMetrics(config.LUNEO_METRICS_PORT, () => relaySamples(relay))
  relay.start()
  console.error(`relay: outbox → ${config.LUNEO_EVENTS_TOPIC}`)
  let crashed: unknown = null
  const signal = await Promise.race([
    untilSignal(),
    relay.crashed.then((err) => ((crashed = err), 'crash' as const)),
  ])
  if (crashed) console.error('relay: stopped for good', crashed)
  else console.error(`relay: ${signal}, finishing the batch in flight`)
  await relay.stop()
  metrics?.close()
  await pg.close()
  return crashed ? 1 : 0
}

async function openSinkStores(config: IngestConfig, kafka: KafkaHandle) {
  const ch: ClickHouseHandle = await openClickHouse({
    url: config.CLICKHOUSE_URL,
    dataDir: join(config.LUNEO_DATA_DIR, 'clickhouse'),
  })
  await migrateClickHouse(ch.ch)
  const producer = await kafka.producer({ idempotent: true })
  const dlq = createDeadLetterWriter(ch.ch, producer, `${config.LUNEO_EVENTS_TOPIC}.dlq`)
  return { ch, writer: createClickHouseSink(ch.ch), dlq }
}

async function runSink(config: IngestConfig, kafka: KafkaHandle): Promise<number> {
  const { ch, writer, dlq } = await openSinkStores(config, kafka)
  const trace = config.LUNEO_SINK_TRACE === '1'
  const pause = config.LUNEO_FAULT_PAUSE_AFTER_WRITE_MS
  let crashed: Error | null = null
  const sink = new KafkaSink(kafka, writer, dlq, {
    topic: config.LUNEO_EVENTS_TOPIC,
    groupId: config.LUNEO_SINK_GROUP,
    sessionTimeoutMs: config.LUNEO_KAFKA_SESSION_TIMEOUT_MS,
    maxBytesPerPartition: config.LUNEO_SINK_MAX_BYTES,
    onError: (err) => console.error('sink: error', err),
    afterWrite: async (b) => {
      if (trace)
        console.log(`sink-batch partition=${b.partition} first=${b.firstOffset} last=${b.lastOffset}`)
      if (pause > 0) await new Promise((r) => setTimeout(r, pause))
    },
  })
  const metrics = serveMetrics(config.LUNEO_METRICS_PORT, async () => sinkSamples(sink))
  // Listen before joining the group: a SIGTERM while the join waits for a rebalance must still
  // stop the sink cleanly, not kill it by the signal's default action.
  const signalled = untilSignal()
  await sink.start()
  if (trace) console.log('sink-ready')
  console.error(
    `sink: ${config.LUNEO_EVENTS_TOPIC} → ClickHouse (${ch.kind}), group ${config.LUNEO_SINK_GROUP}`,
  )
  const signal = await Promise.race([
    signalled,
    sink.crashed.then((err) => ((crashed = err), 'crash' as const)),
  ])
  console.error(crashed ? `sink: stopped for good: ${describeError(crashed)}` : `sink: ${signal}, stopping`)
  await sink.stop()
  metrics?.close()
  await ch.close()
  return crashed ? 1 : 0
}

async function runReplay(config: IngestConfig, kafka: KafkaHandle, args: string[]): Promise<number> {
  const at = args.indexOf('--from')
  const from = at >= 0 ? new Date(args[at + 1] ?? '') : new Date(NaN)
  if (Number.isNaN(from.getTime())) {
    console.error(`replay needs --from <ISO time>\n${usage}`)
    return 2
  }
  const { ch, writer, dlq } = await openSinkStores(config, kafka)
  try {
    const before = writer.insertedTotal()
    const r = await replayEvents(kafka, writer, dlq, {
      from,
      topic: config.LUNEO_EVENTS_TOPIC,
      maxBytesPerPartition: config.LUNEO_SINK_MAX_BYTES,
      onError: (err) => console.error('replay: error', err),
    })
    const inserted = writer.insertedTotal() - before
    console.log(
      `replayed ${r.messages} messages from ${from.toISOString()}: ${inserted} new events, ` +
        `${r.metrics.events - inserted} already present, ${r.metrics.deadLettered} dead-lettered`,
    )
    return 0
  } finally {
    await ch.close()
  }
}
