// Event-stream throughput (issue #4): events/s end to end (outbox → relay → Kafka → sink →
// ClickHouse), sink only (pre-produced topic → ClickHouse), and the embedded drainer (PGlite outbox
// → ClickHouse), each beside a direct bulk insert of the same rows into the same chDB in the same
// run. Kafka: KAFKA_BROKERS, or a broker started here with infra/kafka/kafka.sh and stopped after.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { migrateClickHouse, openClickHouse, openPostgres, type Ch, type Db } from '@luneo/warehouse'
import {
  OutboxDrainer,
  OutboxRelay,
  KafkaSink,
  appendToOutbox,
  createClickHouseSink,
  createDeadLetterWriter,
  createKafkaPublisher,
  ensureEventTopics,
  eventRow,
  openKafka,
  parseBrokers,
  type EventEnvelope,
  type KafkaHandle,
} from '@luneo/ingest'
import { generateEvents } from '@luneo/ingest/testing'
import { repoRoot } from '../spawn-server.js'
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

/** Steady-state rate: from the end of the first batch to the end of the last (no group join). */
function steadyRate(writer: { insertedTotal(): number }, total: number) {
  let first: { t: number; n: number } | null = null
  return {
    afterWrite: () => {
      first ??= { t: performance.now(), n: writer.insertedTotal() }
    },
    done: async () => {
      await until(async () => writer.insertedTotal() >= total)
      const f = first!
      return (total - f.n) / ((performance.now() - f.t) / 1000)
    },
  }
}

async function sinkOnly(
  ch: Ch,
  kafka: KafkaHandle,
  events: EventEnvelope[],
  concurrency: number,
): Promise<number> {
  await truncateAll(ch)
  const topic = `bench-sink-${Date.now()}`
  await ensureEventTopics(kafka, topic, 6)
  const producer = await kafka.producer()
  const publisher = createKafkaPublisher(producer, topic)
  for (let i = 0; i < events.length; i += 2000) await publisher.publish(events.slice(i, i + 2000))
  const writer = createClickHouseSink(ch)
  const rate = steadyRate(writer, events.length)
  const sink = new KafkaSink(kafka, writer, createDeadLetterWriter(ch, producer, `${topic}.dlq`), {
    topic,
    groupId: `bench-${topic}`,
    sessionTimeoutMs: 6_000,
    partitionsConsumedConcurrently: concurrency,
    afterWrite: rate.afterWrite,
  })
  await sink.start()
  const eventsPerSec = await rate.done()
  await sink.stop()
  await producer.disconnect()
  return eventsPerSec
}

async function endToEnd(ch: Ch, db: Db, kafka: KafkaHandle, events: EventEnvelope[]): Promise<number> {
  await truncateAll(ch)
  const [warmup, ...rest] = events
  await seedOutbox(db, rest)
  const topic = `bench-e2e-${Date.now()}`
  await ensureEventTopics(kafka, topic, 6)
  const producer = await kafka.producer()
  const writer = createClickHouseSink(ch)
  const relay = new OutboxRelay(db, createKafkaPublisher(producer, topic), { batchSize: 2000 })
  const sink = new KafkaSink(kafka, writer, createDeadLetterWriter(ch, producer, `${topic}.dlq`), {
    topic,
    groupId: `bench-${topic}`,
    sessionTimeoutMs: 6_000,
  })
  // One event through the sink first, so the clock starts with the group joined.
  await sink.start()
  await createKafkaPublisher(producer, topic).publish([warmup!])
  await until(async () => writer.insertedTotal() >= 1)
  const t0 = performance.now()
  relay.start()
  await until(async () => writer.insertedTotal() >= events.length)
  const rate = rest.length / ((performance.now() - t0) / 1000)
  await relay.stop()
  await sink.stop()
  await producer.disconnect()
  return rate
}

async function embeddedDrainer(ch: Ch, events: EventEnvelope[]): Promise<number> {
  await truncateAll(ch)
  const pg = await openPostgres({ dataDir: 'memory://' })
  const { migratePostgres } = await import('@luneo/warehouse')
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

/** Emits ingest_* figures. `databaseUrl`: the Postgres server the relay reads its outbox from. */
export async function measureIngestThroughput(
  databaseUrl: string,
  emit: Emit,
  total = 50_000,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'luneo-bench-ingest-'))
  const ch = await openClickHouse({ dataDir: dir })
  const pg = await openPostgres({ url: databaseUrl, maxConnections: 4 })
  try {
    await migrateClickHouse(ch.ch)
    // Same generator, count and sizes for every phase; fresh ids each time, or ClickHouse's
    // insert-dedup window (events keeps the last 1,000 block hashes) would drop a repeat.
    const fresh = () => generateEvents({ total, organizations: 5, conversationsPerOrg: 200 }).events
    await withKafka(async (brokers) => {
      const kafka = openKafka({ brokers: parseBrokers(brokers), clientId: 'bench-ingest', logLevel: 'error' })
      try {
        // Direct insert before and after the stream runs; their mean is the yardstick.
        const direct1 = await directInsert(ch.ch, fresh())
        const sink = await sinkOnly(ch.ch, kafka, fresh(), 1)
        const sink3 = await sinkOnly(ch.ch, kafka, fresh(), 3)
        const e2e = await endToEnd(ch.ch, pg.db, kafka, fresh())
        const drainer = await embeddedDrainer(ch.ch, fresh())
        const direct = (direct1 + (await directInsert(ch.ch, fresh()))) / 2
        emit('ingest_direct_insert_events_per_sec', direct, 'events/s')
        emit('ingest_sink_only_events_per_sec', sink, 'events/s')
        emit('ingest_sink_only_vs_direct_insert', sink / direct, 'x')
        emit('ingest_sink_only_3_partitions_at_once_vs_direct_insert', sink3 / direct, 'x')
        emit('ingest_end_to_end_events_per_sec', e2e, 'events/s')
        emit('ingest_end_to_end_vs_direct_insert', e2e / direct, 'x')
        emit('ingest_embedded_drainer_events_per_sec', drainer, 'events/s')
        emit('ingest_embedded_drainer_vs_direct_insert', drainer / direct, 'x')
        const landed = await uniqueEvents(ch.ch)
        if (landed !== total)
          throw new Error(`ingest bench: ${landed} events in ClickHouse, expected ${total}`)
      } finally {
        await kafka.close()
      }
    })
  } finally {
    await pg.close()
    await ch.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Every ingest figure: throughput, then the read/write measurements behind ADRs 0005 and 0006. */
export async function measureIngest(databaseUrl: string, emit: Emit): Promise<void> {
  const int = (v: string | undefined, d: number) => (v ? Number.parseInt(v, 10) : d)
  await measureIngestThroughput(databaseUrl, emit, int(process.env.BENCH_INGEST_EVENTS, 50_000))
  await measureIngestReads(emit, int(process.env.BENCH_INGEST_READ_EVENTS, 100_000))
}
