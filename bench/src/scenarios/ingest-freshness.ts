// The stream against the API that feeds it (issue 12): the relay's drain rate beside the API's
// maximum write rate, and how long an event takes from the API's 201 to a row in ClickHouse at
// half that rate. The API in its own process (server mode, as api-conversations), the relay and
// the sink in this one with the settings `luneo ingest relay|sink` uses, chDB embedded.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  KafkaSink,
  OutboxRelay,
  appendToOutbox,
  createClickHouseSink,
  createDeadLetterWriter,
  createKafkaPublisher,
  ensureEventTopics,
  openKafka,
  parseBrokers,
  parseIngestConfig,
  type KafkaHandle,
  type RelayOptions,
  type StreamEvent,
} from '@luneo/ingest'
import { generateEvents } from '@luneo/ingest/testing'
import { migrateClickHouse, openClickHouse, openPostgres, type Db } from '@luneo/warehouse'
import { seedTenant } from '../api-seed.js'
import type { Measurement } from '../load.js'
import { conversationBody, type RunSettings } from '../load-profile.js'
import { quantile } from '../load.js'
import { spawnServer } from '../spawn-server.js'
import { apiEnv } from './api-conversations.js'

type Emit = (name: string, value: number, unit: string) => void

export interface FreshnessSettings {
  /** Outbox rows the relay drains for its rate (generated events, as the API writes them). */
  relayEvents: number
  /** Seconds of open-loop load at half the API's maximum rate. */
  loadSec: number
}

export const freshnessSettingsFromEnv = (env: NodeJS.ProcessEnv): FreshnessSettings => ({
  relayEvents: Number.parseInt(env.BENCH_RELAY_EVENTS ?? '50000', 10),
  loadSec: Number.parseInt(env.BENCH_FRESHNESS_SEC ?? '10', 10),
})

async function outboxRows(db: Db): Promise<number> {
  const r = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** `luneo ingest relay`'s defaults (LUNEO_RELAY_BATCH, LUNEO_RELAY_CLAIMS), read from its config. */
function relayOptions(brokers: string): RelayOptions {
  const defaults = parseIngestConfig({ KAFKA_BROKERS: brokers })
  return { batchSize: defaults.LUNEO_RELAY_BATCH, claims: defaults.LUNEO_RELAY_CLAIMS }
}

/** The relay alone (outbox → Kafka, acks = all), as `luneo ingest relay` runs it. */
async function relayRate(db: Db, kafka: KafkaHandle, brokers: string, total: number): Promise<number> {
  const topic = `bench-relay-${Date.now()}`
  await ensureEventTopics(kafka, topic, 6)
  const producer = await kafka.producer()
  try {
    const relay = new OutboxRelay(db, createKafkaPublisher(producer, topic), relayOptions(brokers))
    await relay.drainAll() // whatever earlier scenarios left, so the clock sees only our rows
    const events = generateEvents({ total, organizations: 5, conversationsPerOrg: 200 }).events
    for (let i = 0; i < events.length; i += 1000) await appendToOutbox(db, events.slice(i, i + 1000))
    const t0 = performance.now()
    const moved = await relay.drainAll()
    if (moved !== total) throw new Error(`relay bench: moved ${moved} rows, expected ${total}`)
    return total / ((performance.now() - t0) / 1000)
  } finally {
    await producer.disconnect()
  }
}

/**
 * `rate` POSTs per second for `sec` seconds, each sent at its time whatever the answers before
 * it (open loop, so a slow answer does not slow the offered load). Returns each 201's time by
 * conversation id.
 */
async function openLoop(
  url: string,
  headers: Record<string, string>,
  body: (i: number) => unknown,
  rate: number,
  sec: number,
): Promise<Map<string, number>> {
  const answered = new Map<string, number>()
  const inFlight: Promise<void>[] = []
  const t0 = performance.now()
  const total = Math.round(rate * sec)
  let failure: Error | null = null as Error | null
  for (let i = 0; i < total && !failure; i++) {
    const due = t0 + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    inFlight.push(
      fetch(`${url}/api/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body(i)),
      }).then(async (r) => {
        const at = performance.now()
        if (r.status !== 201) {
          failure ??= new Error(`POST /conversations: ${r.status} ${await r.text()}`)
          return
        }
        answered.set(String(((await r.json()) as { id: unknown }).id), at)
      }),
    )
  }
  await Promise.all(inFlight)
  if (failure) throw failure
  return answered
}

/**
 * Emits `ingest_relay_*` and `ingest_api_to_clickhouse_*`. `api`: this run's api-conversations
 * measurement (the API's maximum write rate, closed loop at saturation).
 */
export async function measureIngestFreshness(
  s: RunSettings,
  api: Measurement,
  brokers: string,
  f: FreshnessSettings,
  emit: Emit,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'luneo-bench-fresh-'))
  const ch = await openClickHouse({ dataDir: join(dataDir, 'clickhouse') })
  const pg = await openPostgres({ url: s.databaseUrl, maxConnections: 4 })
  const kafka = openKafka({ brokers: parseBrokers(brokers), clientId: 'bench-fresh', logLevel: 'error' })
  try {
    await migrateClickHouse(ch.ch)
    const relayEventsPerSec = await relayRate(pg.db, kafka, brokers, f.relayEvents)

    const server = await spawnServer({
      name: 'api-fresh',
      entry: 'api/src/server.ts',
      // Events leave through the relay below (no drainer), as in server mode with `luneo ingest relay|sink`.
      env: apiEnv(s, 'server', join(dataDir, 'api')),
      readyPath: '/readyz',
      logFile: join(s.logDir, 'api-fresh.log'),
      readyTimeoutMs: 120_000,
    })
    const topic = `bench-fresh-${Date.now()}`
    await ensureEventTopics(kafka, topic, 6)
    const producer = await kafka.producer()
    // The moment each conversation's first event is in ClickHouse (the insert returned: readable).
    const visible = new Map<string, number>()
    const inner = createClickHouseSink(ch.ch)
    const writer = {
      ...inner,
      async publishFromStream(items: StreamEvent[]) {
        await inner.publishFromStream(items)
        const at = performance.now()
        for (const it of items)
          if (it.event.type === 'conversation.started' && it.event.conversationId)
            if (!visible.has(it.event.conversationId)) visible.set(it.event.conversationId, at)
      },
    }
    const relay = new OutboxRelay(pg.db, createKafkaPublisher(producer, topic), relayOptions(brokers))
    const sink = new KafkaSink(kafka, writer, createDeadLetterWriter(ch.ch, producer, `${topic}.dlq`), {
      topic,
      groupId: `bench-${topic}`,
    })
    try {
      const tenant = await seedTenant(server.url)
      await relay.drainAll() // the tenant's own events, before the clock
      await sink.start()
      relay.start()
      const rows0 = await outboxRows(pg.db)
      const rate = api.reqPerSec / 2
      const answered = await openLoop(
        server.url,
        { authorization: tenant.authorization },
        conversationBody(tenant.agentId),
        rate,
        f.loadSec,
      )
      const eventsPerConversation = ((await outboxRows(pg.db)) - rows0) / answered.size
      const deadline = Date.now() + 120_000
      while ([...answered.keys()].some((id) => !visible.has(id))) {
        if (Date.now() > deadline)
          throw new Error('freshness bench: events still missing in ClickHouse after 120 s')
        await new Promise((r) => setTimeout(r, 20))
      }
      const lags = Float64Array.from([...answered].map(([id, at]) => visible.get(id)! - at)).sort()
      const apiEventsPerSec = api.reqPerSec * eventsPerConversation
      emit('ingest_relay_events_per_sec', relayEventsPerSec, 'events/s')
      emit('ingest_api_events_per_conversation', eventsPerConversation, 'events')
      emit('ingest_api_max_write_events_per_sec', apiEventsPerSec, 'events/s')
      emit('ingest_relay_vs_api_write_rate', relayEventsPerSec / apiEventsPerSec, 'x')
      emit('ingest_api_to_clickhouse_offered_req_per_sec', rate, 'req/s')
      emit('ingest_api_to_clickhouse_p50_ms', quantile(lags, 0.5), 'ms')
      emit('ingest_api_to_clickhouse_p95_ms', quantile(lags, 0.95), 'ms')
      emit('ingest_api_to_clickhouse_max_ms', lags.at(-1)!, 'ms')
    } finally {
      await relay.stop()
      await sink.stop()
      await producer.disconnect()
      await server.stop()
    }
  } finally {
    await kafka.close()
    await pg.close()
    await ch.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
