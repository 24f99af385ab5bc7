// Measurements behind ADR 0005 (typed tables: materialized views vs written by the sink) and
// ADR 0006 (read-time dedup on `events`: FINAL vs LIMIT 1 BY id vs uniqExact). ~100k events in
// a fresh chDB, 2% of them inserted twice (what a redelivery that slipped past the id check
// leaves before a merge), each query run 7 times, median reported.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chDateTime, migrateClickHouse, openClickHouse, type Ch } from '@luneo/warehouse'
import { eventRow, type EventEnvelope } from '@luneo/ingest'
import { generateEvents } from '@luneo/ingest/testing'

type Emit = (name: string, value: number, unit: string) => void

async function median(ch: Ch, query: string, params: Record<string, unknown>, runs = 7): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const rs = await ch.query({ query, query_params: params, format: 'JSONEachRow' })
    await rs.json()
    times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!
}

async function insertAll(ch: Ch, table: string, rows: Record<string, unknown>[]): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < rows.length; i += 10_000) {
    await ch.insert({
      table,
      values: rows.slice(i, i + 10_000),
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: '' },
    })
  }
  return performance.now() - t0
}

/** replies_v1 rows computed in the sink (the alternative to the materialized view). */
function replyRow(e: EventEnvelope) {
  const p = e.payload as Record<string, any>
  return {
    id: e.id,
    organization_id: e.organizationId,
    occurred_at: e.occurredAt,
    conversation_id: e.conversationId,
    agent_id: e.agentId,
    vertical: e.vertical,
    message_id: p.messageId,
    reply_to_id: p.replyToId,
    intent: p.intent,
    intent_confidence: p.intentConfidence,
    grounded: p.grounded,
    top_score: p.topScore,
    prompt_tokens: p.promptTokens,
    completion_tokens: p.completionTokens,
    cost_usd: p.costUsd,
    latency_ms: p.latencyMs,
    experiment_id: p.experimentId,
    variant_id: p.variantId,
    provider: p.provider,
    model: p.model,
    fallback: p.fallback,
    escalated: p.escalated,
  }
}

const replyQueryTyped = `
SELECT toDate(occurred_at) AS day, intent, count() AS replies, avg(top_score) AS top, sum(cost_usd) AS cost,
  avg(grounded) AS grounded, sum(prompt_tokens + completion_tokens) AS tokens
FROM replies_v1 FINAL WHERE organization_id = {org:UUID} AND occurred_at >= {from:DateTime64(3)}
GROUP BY day, intent ORDER BY day, intent`

const replyQueryRaw = `
SELECT toDate(occurred_at) AS day, JSONExtractString(payload, 'intent') AS intent, count() AS replies,
  avg(JSONExtractFloat(payload, 'topScore')) AS top, sum(JSONExtractFloat(payload, 'costUsd')) AS cost,
  avg(JSONExtractBool(payload, 'grounded')) AS grounded,
  sum(JSONExtractUInt(payload, 'promptTokens') + JSONExtractUInt(payload, 'completionTokens')) AS tokens
FROM (SELECT occurred_at, payload FROM events WHERE organization_id = {org:UUID} AND type = 'reply.sent'
      AND occurred_at >= {from:DateTime64(3)} LIMIT 1 BY id)
GROUP BY day, intent ORDER BY day, intent`

const counts = {
  final: 'SELECT count() AS n FROM events FINAL WHERE organization_id = {org:UUID}',
  limit1: 'SELECT count() AS n FROM (SELECT id FROM events WHERE organization_id = {org:UUID} LIMIT 1 BY id)',
  uniqExact: 'SELECT uniqExact(id) AS n FROM events WHERE organization_id = {org:UUID}',
  plain: 'SELECT count() AS n FROM events WHERE organization_id = {org:UUID}',
  finalAll: 'SELECT count() AS n FROM events FINAL',
  limit1All: 'SELECT count() AS n FROM (SELECT id FROM events LIMIT 1 BY id)',
  uniqExactAll: 'SELECT uniqExact(id) AS n FROM events',
  byDayFinal:
    'SELECT toDate(occurred_at) AS d, type, count() AS n FROM events FINAL WHERE organization_id = {org:UUID} GROUP BY d, type',
  byDayLimit1:
    'SELECT d, type, count() AS n FROM (SELECT toDate(occurred_at) AS d, type FROM events WHERE organization_id = {org:UUID} LIMIT 1 BY id) GROUP BY d, type',
  byDayUniq:
    'SELECT toDate(occurred_at) AS d, type, uniqExact(id) AS n FROM events WHERE organization_id = {org:UUID} GROUP BY d, type',
} as const

/** Emits ingest_reads_* figures (ms unless noted). */
export async function measureIngestReads(emit: Emit, total = 100_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'luneo-bench-reads-'))
  const ch = await openClickHouse({ dataDir: dir })
  try {
    await migrateClickHouse(ch.ch)
    const { events, organizations } = generateEvents({
      total,
      organizations: 5,
      conversationsPerOrg: 400,
      start: new Date(Date.now() - 30 * 86_400_000),
      spanMs: 30 * 86_400_000,
    })
    const rows = events.map((e) => eventRow(e))
    // Write path: events with the five materialized views, vs a copy of events without views plus
    // the sink inserting replies itself (the other four typed tables would add to that side).
    // Alternated in four slices, so both sides see the same machine (merges, other load).
    await ch.ch.command({ query: 'CREATE TABLE events_plain AS events' })
    await ch.ch.command({ query: 'CREATE TABLE replies_sink AS replies_v1' })
    let withViews = 0
    let plain = 0
    let sinkWritten = 0
    const slice = Math.ceil(total / 4)
    for (let i = 0; i < total; i += slice) {
      withViews += await insertAll(ch.ch, 'events', rows.slice(i, i + slice))
      const p = await insertAll(ch.ch, 'events_plain', rows.slice(i, i + slice))
      const replies = events.slice(i, i + slice).filter((e) => e.type === 'reply.sent')
      plain += p
      sinkWritten += p + (await insertAll(ch.ch, 'replies_sink', replies.map(replyRow)))
    }
    emit('ingest_reads_insert_events_with_views_ms', withViews, 'ms')
    emit('ingest_reads_insert_events_plus_sink_written_replies_ms', sinkWritten, 'ms')
    emit('ingest_reads_insert_events_without_typed_tables_ms', plain, 'ms')

    await insertAll(
      ch.ch,
      'events',
      rows.filter((_, i) => i % 50 === 0),
    )
    const org = organizations[0]!
    const params = {
      org,
      from: chDateTime(Date.now() - 30 * 86_400_000),
    }
    emit('ingest_reads_reply_query_typed_final_ms', await median(ch.ch, replyQueryTyped, params), 'ms')
    emit('ingest_reads_reply_query_raw_json_ms', await median(ch.ch, replyQueryRaw, params), 'ms')
    for (const [name, q] of Object.entries(counts)) {
      emit(`ingest_reads_count_${name}_ms`, await median(ch.ch, q, params), 'ms')
    }
  } finally {
    await ch.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
