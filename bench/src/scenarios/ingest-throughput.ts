// Event-stream throughput (issue #4): events/s end to end (outbox → relay → Kafka → sink →
// ClickHouse), sink only (pre-produced topic → ClickHouse), and the embedded drainer (PGlite outbox
// → ClickHouse), each beside a direct bulk insert of the same rows into the same chDB in the same
// run. Kafka: KAFKA_BROKERS, or a broker started here with infra/kafka/kafka.sh and stopped after.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import {
  migrateClickHouse,
  migratePostgres,
  openClickHouse,
  openPostgres,
  type Ch,
  type Db,
} from '@luneo/warehouse'
import {
  OutboxDrainer,
  KafkaSink,
  appendToOutbox,
  createClickHouseSink,
  createDeadLetterWriter,
  createKafkaPublisher,
  ensureEventTopics,
  eventRegistry,
  eventRow,
  kafkaClientFromEnv,
  kafkaClients,
  openKafka,
  parseBrokers,
  type EventEnvelope,
  type EventRegistry,
  type KafkaClientName,
  type KafkaHandle,
  type StreamEvent,
} from '@luneo/ingest'
import { generateEvents } from '@luneo/ingest/testing'
import { openFigures } from '../results.js'
import { repoRoot, runDriver, spawnServer } from '../spawn-server.js'
import type { Measurement } from '../load.js'
import { migrateDatabase, runSettingsFromEnv, type RunSettings } from '../load-profile.js'
import { measureApiConversations } from './api-conversations.js'
import { freshnessSettingsFromEnv, measureIngestFreshness } from './ingest-freshness.js'
import { measureIngestReads } from './ingest-reads.js'

type Emit = (name: string, value: number, unit: string) => void
const run = promisify(execFile)
const kafkaScript = join(repoRoot, 'infra/kafka/kafka.sh')
const typedTables = ['events', 'messages_v1', 'replies_v1', 'outcomes_v1', 'feedback_v1', 'escalations_v1']

async function truncateAll(ch: Ch): Promise<void> {
  for (const t of typedTables) await ch.command({ query: `TRUNCATE TABLE ${t}` })
}

async function uniqueEvents(ch: Ch): Promise<number> {
  const rs = await ch.query({ query: 'SELECT uniqExact(id) AS n FROM events', format: 'JSONEachRow' })
  return (await rs.json<{ n: number }>())[0]!.n
}

async function until(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, 20))
}

/** Plain bulk INSERTs of the rows, 10,000 per statement: the yardstick. */
async function directInsert(ch: Ch, events: EventEnvelope[]): Promise<number> {
  await truncateAll(ch)
  const t0 = performance.now()
  for (let i = 0; i < events.length; i += 10_000) {
    await ch.insert({
      table: 'events',
      values: events.slice(i, i + 10_000).map((e) => eventRow(e)),
      format: 'JSONEachRow',
      // chDB keeps a query's settings for the rest of its session: without this, the sink's last
      // insert_deduplication_token would make ClickHouse drop these blocks as duplicates.
      clickhouse_settings: { insert_deduplication_token: '' },
    })
  }
  return events.length / ((performance.now() - t0) / 1000)
}

async function seedOutbox(db: Db, events: EventEnvelope[]): Promise<void> {
  await db.deleteFrom('outbox').execute()
  for (let i = 0; i < events.length; i += 1000) await appendToOutbox(db, events.slice(i, i + 1000))
}

/**
 * The sink's rate from its first message decoded (the group joined, the first fetch answered) to
 * the last event in ClickHouse. (It used to start at the end of the first insert; with the
 * partitions' batches joined into one insert, that first insert is a large share of the run.)
 */
function sinkRate(writer: { insertedTotal(): number }, total: number) {
  let t0: number | null = null
  const registry: EventRegistry = {
    ...eventRegistry,
    decode: (raw, options) => {
      t0 ??= performance.now()
      return eventRegistry.decode(raw, options)
    },
  }
  return {
    registry,
    done: async () => {
      await until(async () => writer.insertedTotal() >= total)
      return total / ((performance.now() - t0!) / 1000)
    },
  }
}

/**
 * The producer's rate (2,000 events per send, acks = all, idempotent, as the relay sends them),
 * then the sink alone on what it wrote. `concurrency` undefined: the sink's default.
 */
async function sinkOnly(
  ch: Ch,
  kafka: KafkaHandle,
  events: EventEnvelope[],
  concurrency: number | undefined,
): Promise<{ produced: number; sink: number }> {
  await truncateAll(ch)
  const topic = `bench-sink-${Date.now()}`
  await ensureEventTopics(kafka, topic, 6)
  const producer = await kafka.producer()
  const publisher = createKafkaPublisher(producer, topic)
  const t0 = performance.now()
  for (let i = 0; i < events.length; i += 2000) await publisher.publish(events.slice(i, i + 2000))
  const produced = events.length / ((performance.now() - t0) / 1000)
  const writer = createClickHouseSink(ch)
  const rate = sinkRate(writer, events.length)
  const sink = new KafkaSink(kafka, writer, createDeadLetterWriter(ch, producer, `${topic}.dlq`), {
    topic,
    groupId: `bench-${topic}`,
    sessionTimeoutMs: 6_000,
    partitionsConsumedConcurrently: concurrency,
    registry: rate.registry,
  })
  await sink.start()
  const eventsPerSec = await rate.done()
  await sink.stop()
  await producer.disconnect()
  return { produced, sink: eventsPerSec }
}

/**
 * Outbox → relay → Kafka → sink → ClickHouse, the relay in its own process (`luneo ingest relay`,
 * its defaults, this run's Kafka client) and the sink in this one, as deployed. The outbox is
 * filled first; the clock runs from the sink's first insert to its last, so neither process's
 * start nor the group join is counted.
 */
async function endToEnd(
  ch: Ch,
  s: RunSettings,
  db: Db,
  kafka: KafkaHandle,
  client: KafkaClientName,
  brokers: string,
  events: EventEnvelope[],
): Promise<number> {
  await truncateAll(ch)
  await db.deleteFrom('outbox').execute()
  const topic = `bench-e2e-${Date.now()}`
  await ensureEventTopics(kafka, topic, 6)
  const producer = await kafka.producer()
  const inner = createClickHouseSink(ch)
  let first: { t: number; n: number } | null = null
  const writer = {
    ...inner,
    async publishFromStream(items: StreamEvent[]) {
      await inner.publishFromStream(items)
      first ??= { t: performance.now(), n: inner.insertedTotal() }
    },
  }
  const sink = new KafkaSink(kafka, writer, createDeadLetterWriter(ch, producer, `${topic}.dlq`), {
    topic,
    groupId: `bench-${topic}`,
    sessionTimeoutMs: 6_000,
  })
  await sink.start()
  await seedOutbox(db, events)
  const relay = await spawnServer({
    name: `relay-${client}`,
    entry: 'bench/src/relay-process.ts',
    env: {
      DATABASE_URL: s.databaseUrl,
      KAFKA_BROKERS: brokers,
      LUNEO_KAFKA_CLIENT: client,
      LUNEO_EVENTS_TOPIC: topic,
    },
    readyPath: '/metrics',
    logFile: join(s.logDir, `relay-${client}.log`),
  })
  try {
    await until(async () => inner.insertedTotal() >= events.length)
    const f = first!
    return (events.length - f.n) / ((performance.now() - f.t) / 1000)
  } finally {
    await relay.stop()
    await sink.stop()
    await producer.disconnect()
  }
}

async function embeddedDrainer(ch: Ch, events: EventEnvelope[]): Promise<number> {
  await truncateAll(ch)
  const pg = await openPostgres({ dataDir: 'memory://' })
  await migratePostgres(pg.db)
  await seedOutbox(pg.db, events)
  const t0 = performance.now()
  await new OutboxDrainer(pg.db, createClickHouseSink(ch), { batchSize: 500 }).drainAll()
  const rate = events.length / ((performance.now() - t0) / 1000)
  await pg.close()
  return rate
}

async function withKafka<T>(fn: (brokers: string) => Promise<T>): Promise<T> {
  if (process.env.KAFKA_BROKERS) return fn(process.env.KAFKA_BROKERS)
  // A broker already running in this services dir is someone else's: use it, never stop it.
  const running = await run(kafkaScript, ['url']).then(
    (r) => r.stdout,
    () => null,
  )
  if (running) return fn(/KAFKA_BROKERS=(\S+)/.exec(running)![1]!)
  const { stdout } = await run(kafkaScript, ['start'])
  try {
    return await fn(/KAFKA_BROKERS=(\S+)/.exec(stdout)![1]!)
  } finally {
    await run(kafkaScript, ['stop'])
  }
}

/**
 * Emits ingest_* figures, for each Kafka client behind the seam (`ingest_<client>_*`), the default
 * client's also under the unprefixed names. `databaseUrl`: the Postgres server the relay reads
 * its outbox from.
 */
export async function measureIngestThroughput(
  s: RunSettings,
  brokers: string,
  emit: Emit,
  total = 50_000,
  rounds = 2,
  /** The Kafka clients to measure: the one in use by default; both to compare them (ADR 0025). */
  clients: readonly KafkaClientName[] = [kafkaClientFromEnv()],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'luneo-bench-ingest-'))
  const ch = await openClickHouse({ dataDir: dir })
  const pg = await openPostgres({ url: s.databaseUrl, maxConnections: 4 })
  try {
    await migrateClickHouse(ch.ch)
    // Same generator, count and sizes for every phase; fresh ids each time, or ClickHouse's
    // insert-dedup window (events keeps the last 1,000 block hashes) would drop a repeat.
    const fresh = () => generateEvents({ total, organizations: 5, conversationsPerOrg: 200 }).events
    {
      // Direct insert before and after the stream runs; their mean is the yardstick.
      const direct1 = await directInsert(ch.ch, fresh())
      // Rounds alternate the clients, and each figure is a client's best round: on a shared
      // machine a neighbour's burst lowers a rate, never raises it.
      const byClient = new Map<KafkaClientName, Record<string, number>>()
      for (let round = 0; round < rounds; round++) {
        for (const client of clients) {
          const kafka = openKafka({
            brokers: parseBrokers(brokers),
            clientId: 'bench-ingest',
            logLevel: 'error',
            client,
          })
          try {
            const sink = await sinkOnly(ch.ch, kafka, fresh(), undefined)
            // One partition at a time (the sink's default before issue 12): first round only.
            const sink1 = round === 0 ? (await sinkOnly(ch.ch, kafka, fresh(), 1)).sink : 0
            const e2e = await endToEnd(ch.ch, s, pg.db, kafka, client, brokers, fresh())
            const best = byClient.get(client) ?? { producer: 0, sink: 0, sink1: 0, e2e: 0 }
            byClient.set(client, {
              producer: Math.max(best.producer!, sink.produced),
              sink: Math.max(best.sink!, sink.sink),
              sink1: Math.max(best.sink1!, sink1),
              e2e: Math.max(best.e2e!, e2e),
            })
          } finally {
            await kafka.close()
          }
          const landed = await uniqueEvents(ch.ch)
          if (landed !== total)
            throw new Error(`ingest bench (${client}): ${landed} events in ClickHouse, expected ${total}`)
        }
      }
      const drainer = await embeddedDrainer(ch.ch, fresh())
      const direct = (direct1 + (await directInsert(ch.ch, fresh()))) / 2
      emit('ingest_direct_insert_events_per_sec', direct, 'events/s')
      const figures = (prefix: string, f: Record<string, number>) => {
        emit(`${prefix}_producer_events_per_sec`, f.producer!, 'events/s')
        emit(`${prefix}_sink_only_events_per_sec`, f.sink!, 'events/s')
        emit(`${prefix}_sink_only_vs_direct_insert`, f.sink! / direct, 'x')
        emit(`${prefix}_sink_only_1_partition_at_a_time_vs_direct_insert`, f.sink1! / direct, 'x')
        emit(`${prefix}_end_to_end_events_per_sec`, f.e2e!, 'events/s')
        emit(`${prefix}_end_to_end_vs_direct_insert`, f.e2e! / direct, 'x')
      }
      // Per-client names only when both are measured (BENCH_INGEST_CLIENTS=both).
      if (clients.length > 1) for (const [client, f] of byClient) figures(`ingest_${client}`, f)
      // The unprefixed names are the client this run's processes use (LUNEO_KAFKA_CLIENT, else the default).
      figures('ingest', byClient.get(kafkaClientFromEnv())!)
      emit('ingest_embedded_drainer_events_per_sec', drainer, 'events/s')
      emit('ingest_embedded_drainer_vs_direct_insert', drainer / direct, 'x')
      const landed = await uniqueEvents(ch.ch)
      if (landed !== total) throw new Error(`ingest bench: ${landed} events in ClickHouse, expected ${total}`)
    }
  } finally {
    await pg.close()
    await ch.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Every ingest figure: throughput per Kafka client, the relay against the API's write rate and
 * the API → ClickHouse delay (`api`: this run's api-conversations measurement), then the
 * read/write measurements behind ADRs 0005 and 0006.
 */
export async function measureIngest(s: RunSettings, api: Measurement, emit: Emit): Promise<void> {
  const int = (v: string | undefined, d: number) => (v ? Number.parseInt(v, 10) : d)
  await withKafka(async (brokers) => {
    await measureIngestThroughput(
      s,
      brokers,
      emit,
      int(process.env.BENCH_INGEST_EVENTS, 50_000),
      int(process.env.BENCH_INGEST_ROUNDS, 2),
      process.env.BENCH_INGEST_CLIENTS === 'both' ? kafkaClients : [kafkaClientFromEnv()],
    )
    await measureIngestFreshness(s, api, brokers, freshnessSettingsFromEnv(process.env), emit)
  })
  await measureIngestReads(emit, int(process.env.BENCH_INGEST_READ_EVENTS, 100_000))
}

// Run on its own (DATABASE_URL: a PostgreSQL server; KAFKA_BROKERS or a broker started here):
// measures POST /conversations first (the API's maximum write rate), then every ingest figure.
// Prints the figures (bench/results.json is the full driver's).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDriver('[bench] ingest', async () => {
    const s = runSettingsFromEnv(process.env)
    mkdirSync(s.logDir, { recursive: true })
    const out = openFigures()
    const t0 = performance.now()
    await migrateDatabase(s.databaseUrl)
    const api = await measureApiConversations(s, 'server')
    out.emit('api_conversations_req_per_sec', api.reqPerSec, 'req/s')
    await measureIngest(s, api, (name, value, unit) => out.emit(name, value, unit))
    console.error(`[bench] ingest done in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  })
}
