// Shared by the event-stream integration tests: a real broker (KAFKA_BROKERS), a real Postgres
// (openTestPostgres) and chDB. Nothing is mocked; faults are injected by killing, stopping or
// refusing, never by faking a driver.
import { randomUUID } from 'node:crypto'
import {
  migrateClickHouse,
  openClickHouse,
  type Ch,
  type ClickHouseHandle,
  type Db,
  type PostgresHandle,
} from '@luneo/warehouse'
import {
  openTestPostgres,
  startClickHouseProcess,
  tempDir,
  type ClickHouseProcess,
} from '@luneo/warehouse/testing'
import { sql } from 'kysely'
import { expect } from 'vitest'
import { EventEnvelope } from '../events/envelope.js'
import { openKafka, parseBrokers, type KafkaHandle, type ReceivedMessage } from '../kafka/kafka.js'
import { ensureEventTopics } from '../kafka/topics.js'
import { appendToOutbox } from '../outbox/writer.js'
import { generateEvents, type GeneratedStream } from '../testing.js'

export const brokers = process.env.KAFKA_BROKERS
export function warnIfNoBroker(file: string): void {
  if (!brokers) console.warn(`${file}: KAFKA_BROKERS unset, skipping (eval "$(infra/kafka/kafka.sh start)")`)
}

export function openTestKafka(name: string, brokerList = brokers ?? ''): KafkaHandle {
  return openKafka({
    brokers: parseBrokers(brokerList),
    clientId: `${name}-${process.pid}`,
    logLevel: 'nothing',
  })
}

/** A fresh topic (6 partitions) and DLQ for one test, so tests never see each other's messages. */
export async function freshTopic(kafka: KafkaHandle, name: string): Promise<string> {
  const topic = `t-${name}-${randomUUID().slice(0, 8)}`
  await ensureEventTopics(kafka, topic, 6)
  return topic
}

/** Writes a generated stream to the outbox, 1,000 rows per transaction. */
export async function seedOutbox(
  db: Db,
  options: Parameters<typeof generateEvents>[0],
): Promise<GeneratedStream> {
  const stream = generateEvents(options)
  for (let i = 0; i < stream.events.length; i += 1000) {
    const chunk = stream.events.slice(i, i + 1000)
    await db.transaction().execute((trx) => appendToOutbox(trx, chunk))
  }
  return stream
}

export async function waitFor(
  done: () => Promise<boolean> | boolean,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function rows<T>(ch: Ch, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await ch.query({ query, query_params: params, format: 'JSONEachRow' })
  return rs.json<T>()
}

/** Offset ranges, [partition, first, last], of the `sink-batch` lines a sink printed (LUNEO_SINK_TRACE=1). */
export function batchRanges(lines: readonly string[]): [number, number, number][] {
  const ranges: [number, number, number][] = []
  for (const l of lines) {
    const m = /^sink-batch partition=(\d+) first=(\d+) last=(\d+)/.exec(l)
    if (m) ranges.push([Number(m[1]), Number(m[2]), Number(m[3])])
  }
  return ranges
}

/** Distinct event ids of these organizations in ClickHouse. */
export async function uniqueEvents(ch: Ch, orgs: string[]): Promise<number> {
  const r = await rows<{ n: number }>(
    ch,
    'SELECT uniqExact(id) AS n FROM events WHERE organization_id IN {orgs:Array(UUID)}',
    { orgs },
  )
  return r[0]!.n
}

export interface OwnStores {
  pg: PostgresHandle
  ch: ClickHouseHandle
  /** The chDB data dir (`<dir>/clickhouse`, as `luneo ingest sink` opens it under LUNEO_DATA_DIR). */
  dataDir: string
  close(): Promise<void>
}

/** A fresh Postgres and migrated chDB of one test's own, which it may constrain or break. */
export async function openOwnStores(name: string): Promise<OwnStores> {
  const dir = tempDir(`luneo-${name}-`)
  const pg = await openTestPostgres()
  const ch = await openClickHouse({ dataDir: `${dir.path}/clickhouse` })
  await migrateClickHouse(ch.ch)
  return {
    pg,
    ch,
    dataDir: dir.path,
    async close() {
      await Promise.allSettled([ch.close(), pg.close()])
      dir.remove()
    },
  }
}

export interface ProcessStores {
  /** ClickHouse as a process of its own (killable), reached over HTTP like a server. */
  server: ClickHouseProcess
  ch: ClickHouseHandle
  pg: PostgresHandle
  kafka: KafkaHandle
  close(): Promise<void>
}

/**
 * The stores of a process-level fault test: a migrated ClickHouse process, a fresh Postgres and a
 * Kafka client, closed in the reverse order.
 */
export async function openProcessStores(name: string): Promise<ProcessStores> {
  const dir = tempDir(`luneo-${name}-`)
  const server = await startClickHouseProcess(dir.path)
  const ch = await openClickHouse({ url: server.url })
  await migrateClickHouse(ch.ch)
  const pg = await openTestPostgres()
  const kafka = openTestKafka(name)
  return {
    server,
    ch,
    pg,
    kafka,
    async close() {
      await kafka.close()
      await ch.close()
      await server.kill()
      await pg.close()
      dir.remove()
    },
  }
}

/** From now on ClickHouse refuses, as invalid, the event with this correlation id (a CHECK). */
export async function refuseEvent(ch: Ch, correlationId: string): Promise<void> {
  // DDL takes no bound parameters: the id is checked to be a plain token instead.
  if (!/^[\w-]+$/.test(correlationId)) throw new Error(`unsafe correlation id ${correlationId}`)
  await ch.command({
    query: `ALTER TABLE events ADD CONSTRAINT refuse_one CHECK correlation_id != '${correlationId}'`,
  })
}

export interface DeadLetterRecord {
  reason: string
  detail: string
  event_id: string | null
  offset: string
}

/** The `events_dlq` rows of one source topic (`outbox` for the embedded drainer), by offset. */
export async function deadLetterRecords(ch: Ch, topic: string): Promise<DeadLetterRecord[]> {
  return rows<DeadLetterRecord>(
    ch,
    'SELECT reason, detail, event_id, toString(offset) AS offset FROM events_dlq FINAL WHERE topic = {topic:String} ORDER BY offset',
    { topic },
  )
}

export interface OrgCount {
  outbox: number
  uniqExact: number
  limit1ById: number
  countAfterOptimize: number
  /** Physical rows before OPTIMIZE: > uniqExact when a copy slipped past the sink's id check. */
  rawCount: number
}

/** Per organization: outbox rows vs ClickHouse counted three ways. */
export async function countByOrg(db: Db, ch: Ch, orgs: string[]): Promise<Record<string, OrgCount>> {
  const out: Record<string, OrgCount> = {}
  const raw = await rows<{ org: string; n: number; u: number }>(
    ch,
    'SELECT toString(organization_id) AS org, count() AS n, uniqExact(id) AS u FROM events WHERE organization_id IN {orgs:Array(UUID)} GROUP BY org',
    { orgs },
  )
  const limited = await rows<{ org: string; n: number }>(
    ch,
    'SELECT org, count() AS n FROM (SELECT toString(organization_id) AS org, id FROM events WHERE organization_id IN {orgs:Array(UUID)} LIMIT 1 BY id) GROUP BY org',
    { orgs },
  )
  await ch.command({ query: 'OPTIMIZE TABLE events FINAL' })
  const optimized = await rows<{ org: string; n: number }>(
    ch,
    'SELECT toString(organization_id) AS org, count() AS n FROM events WHERE organization_id IN {orgs:Array(UUID)} GROUP BY org',
    { orgs },
  )
  const outbox = await sql<{ org: string; n: number }>`
    SELECT organization_id::text AS org, count(*)::int AS n FROM outbox
    WHERE organization_id IN (${sql.join(orgs)}) GROUP BY 1`.execute(db)
  for (const org of orgs) {
    out[org] = {
      outbox: outbox.rows.find((r) => r.org === org)?.n ?? 0,
      uniqExact: raw.find((r) => r.org === org)?.u ?? 0,
      rawCount: raw.find((r) => r.org === org)?.n ?? 0,
      limit1ById: limited.find((r) => r.org === org)?.n ?? 0,
      countAfterOptimize: optimized.find((r) => r.org === org)?.n ?? 0,
    }
  }
  return out
}

/** Event ids that a deduplicated read (FINAL) returns more than once. */
export async function duplicateIds(ch: Ch, orgs: string[]): Promise<string[]> {
  const r = await rows<{ event_id: string }>(
    ch,
    'SELECT toString(id) AS event_id FROM events FINAL WHERE organization_id IN {orgs:Array(UUID)}',
    { orgs },
  )
  const seen = new Set<string>()
  return r.map((x) => x.event_id).filter((id) => seen.has(id) || !seen.add(id))
}

/**
 * Per-conversation order. Expected: the outbox's seq order. Observed: the order in which the stream
 * delivered each event the first time (its lowest Kafka offset; one conversation = one key = one
 * partition). Returns the conversations whose two orders differ, and any split across partitions.
 */
export async function orderViolations(db: Db, ch: Ch, orgs: string[]): Promise<string[]> {
  const seen = await rows<{ event_id: string; conv: string; p: number; o: number }>(
    ch,
    `SELECT toString(id) AS event_id, toString(conversation_id) AS conv, stream_partition AS p, stream_offset AS o
     FROM events WHERE organization_id IN {orgs:Array(UUID)} ORDER BY id, stream_offset LIMIT 1 BY id`,
    { orgs },
  )
  const expected = await sql<{ id: string; conv: string }>`
    SELECT id::text AS id, envelope->>'conversationId' AS conv FROM outbox
    WHERE organization_id IN (${sql.join(orgs)}) ORDER BY seq`.execute(db)
  const observed = new Map<string, typeof seen>()
  for (const r of seen) observed.set(r.conv, [...(observed.get(r.conv) ?? []), r])
  const problems: string[] = []
  const want = new Map<string, string[]>()
  for (const r of expected.rows) want.set(r.conv, [...(want.get(r.conv) ?? []), r.id])
  for (const [conv, ids] of want) {
    const got = (observed.get(conv) ?? []).sort((a, b) => a.o - b.o)
    if (new Set(got.map((g) => g.p)).size > 1) problems.push(`${conv}: split over partitions`)
    const gotIds = got.map((g) => g.event_id)
    if (gotIds.join() !== ids.join())
      problems.push(`${conv}: order differs (${gotIds.length}/${ids.length} events)`)
  }
  return problems
}

/**
 * After a fault: per organization, outbox rows = `uniqExact(id)` = `count()` over `LIMIT 1 BY id`
 * = `count()` after OPTIMIZE FINAL (a copy that slipped in physically is fine if reads fold it),
 * no id twice under FINAL, every conversation in outbox order.
 */
export async function expectExactlyOnce(db: Db, ch: Ch, orgs: string[]): Promise<Record<string, OrgCount>> {
  const counts = await countByOrg(db, ch, orgs)
  for (const c of Object.values(counts)) {
    expect(c.outbox).toBeGreaterThan(0)
    const { rawCount: _raw, ...counted } = c
    expect(counted).toEqual({
      outbox: c.outbox,
      uniqExact: c.outbox,
      limit1ById: c.outbox,
      countAfterOptimize: c.outbox,
    })
  }
  expect(await duplicateIds(ch, orgs)).toEqual([])
  expect(await orderViolations(db, ch, orgs)).toEqual([])
  return counts
}

/** Reads every message of a topic from the beginning (for DLQ checks). */
export async function readTopic(
  kafka: KafkaHandle,
  topic: string,
  expected: number,
): Promise<ReceivedMessage[]> {
  const got: ReceivedMessage[] = []
  const consumer = await kafka.consumer({ groupId: `read-${randomUUID()}` })
  await consumer.subscribe([topic])
  await consumer.runBatches(async (b) => void got.push(...b.messages))
  try {
    await waitFor(() => got.length >= expected, 30_000, `${expected} messages on ${topic}`)
  } finally {
    await consumer.stop()
  }
  return got
}

export function parseEvent(m: ReceivedMessage): EventEnvelope {
  return EventEnvelope.parse(JSON.parse(m.value!.toString()))
}
