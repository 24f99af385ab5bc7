export interface ChMigration {
  version: number
  name: string
  statements: string[]
  /**
   * Undoes `statements` (rollbackClickHouse), newest first. Running `statements` again after it
   * gives the same schema back (migrate.int.test.ts walks every step down and up on data).
   */
  down: string[]
}

// Events are immutable facts. The table is ordered by tenant, then hour, then event id (UUIDv7),
// so a tenant's time-range scan reads one contiguous range. ReplacingMergeTree on that key folds
// redelivered copies of an event at merge time; readers that must not double-count use
// `LIMIT 1 BY id` until then (DESIGN §4: a plain count() is not trusted). The insert-dedup window
// drops a retried identical batch before it is written at all.
const events_v1 = `
CREATE TABLE IF NOT EXISTS events (
  id UUID,
  type LowCardinality(String),
  version UInt16,
  organization_id UUID,
  occurred_at DateTime64(3, 'UTC'),
  conversation_id Nullable(UUID),
  contact_id Nullable(UUID),
  agent_id Nullable(UUID),
  vertical LowCardinality(String),
  correlation_id String,
  payload String,
  ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (organization_id, toStartOfHour(occurred_at), id)
SETTINGS non_replicated_deduplication_window = 1000`

// v2. Where the event stream delivered each event: Kafka partition and offset (-1 when the
// embedded drainer wrote it). The fault tests check per-conversation order against it.
const events_stream_position = [
  'ALTER TABLE events ADD COLUMN IF NOT EXISTS stream_partition Int32 DEFAULT -1',
  'ALTER TABLE events ADD COLUMN IF NOT EXISTS stream_offset Int64 DEFAULT -1',
]

// v3. Events the sink refused (bad JSON, unknown type or version, invalid payload), with the
// reason and the raw bytes. One row per topic offset: a redelivered poison message folds.
const events_dlq_v1 = `
CREATE TABLE IF NOT EXISTS events_dlq (
  topic LowCardinality(String),
  partition Int32,
  offset Int64,
  message_key Nullable(String),
  reason LowCardinality(String),
  detail String,
  event_id Nullable(String),
  event_type Nullable(String),
  raw String,
  received_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree
ORDER BY (topic, partition, offset)`

// v4. Compact typed tables the pipelines read, kept in step with `events` by materialized views
// (ADR 0005: a reply query on replies_v1 beats JSONExtract over events by an order of magnitude,
// and MVs cost the write path little). Each is a ReplacingMergeTree on the event id, so a copy
// that slips into `events` folds here too; read with FINAL or LIMIT 1 BY id. Each MV is created
// before its backfill: an event landing in between appears twice and folds.
const common = `id UUID,
  organization_id UUID,
  occurred_at DateTime64(3, 'UTC'),
  conversation_id Nullable(UUID),
  agent_id Nullable(UUID),
  vertical LowCardinality(String),`
const typedEngine = `ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (organization_id, toDate(occurred_at), id)`
const commonSelect = 'id, organization_id, occurred_at, conversation_id, agent_id, vertical'
const uuidOf = (field: string) => `toUUIDOrNull(JSONExtractString(payload, '${field}'))`

const typedTables: { name: string; type: string; columns: string; select: string }[] = [
  {
    name: 'messages_v1',
    type: 'message.received',
    columns: `message_id Nullable(UUID), channel LowCardinality(String), text String, pii_redacted UInt32`,
    select: `${uuidOf('messageId')} AS message_id, JSONExtractString(payload, 'channel') AS channel,
      JSONExtractString(payload, 'text') AS text, JSONExtractUInt(payload, 'piiRedacted') AS pii_redacted`,
  },
  {
    name: 'replies_v1',
    type: 'reply.sent',
    columns: `message_id Nullable(UUID), reply_to_id Nullable(UUID), intent LowCardinality(String),
      intent_confidence Float64, grounded Bool, top_score Float64, prompt_tokens UInt32,
      completion_tokens UInt32, cost_usd Float64, latency_ms Float64, experiment_id Nullable(UUID),
      variant_id Nullable(UUID), provider LowCardinality(String), model LowCardinality(String),
      fallback Bool, escalated Bool`,
    select: `${uuidOf('messageId')} AS message_id, ${uuidOf('replyToId')} AS reply_to_id,
      JSONExtractString(payload, 'intent') AS intent,
      JSONExtractFloat(payload, 'intentConfidence') AS intent_confidence,
      JSONExtractBool(payload, 'grounded') AS grounded, JSONExtractFloat(payload, 'topScore') AS top_score,
      JSONExtractUInt(payload, 'promptTokens') AS prompt_tokens,
      JSONExtractUInt(payload, 'completionTokens') AS completion_tokens,
      JSONExtractFloat(payload, 'costUsd') AS cost_usd, JSONExtractFloat(payload, 'latencyMs') AS latency_ms,
      ${uuidOf('experimentId')} AS experiment_id, ${uuidOf('variantId')} AS variant_id,
      JSONExtractString(payload, 'provider') AS provider, JSONExtractString(payload, 'model') AS model,
      JSONExtractBool(payload, 'fallback') AS fallback, JSONExtractBool(payload, 'escalated') AS escalated`,
  },
  {
    name: 'outcomes_v1',
    type: 'outcome.recorded',
    columns: `outcome_id Nullable(UUID), outcome LowCardinality(String), amount Nullable(Float64),
      currency Nullable(String)`,
    select: `${uuidOf('outcomeId')} AS outcome_id, JSONExtractString(payload, 'type') AS outcome,
      JSONExtract(payload, 'amount', 'Nullable(Float64)') AS amount,
      JSONExtract(payload, 'currency', 'Nullable(String)') AS currency`,
  },
  {
    name: 'feedback_v1',
    type: 'feedback.submitted',
    columns: `feedback_id Nullable(UUID), rating LowCardinality(String), csat Nullable(UInt8)`,
    select: `${uuidOf('feedbackId')} AS feedback_id, JSONExtractString(payload, 'rating') AS rating,
      JSONExtract(payload, 'csat', 'Nullable(UInt8)') AS csat`,
  },
  {
    name: 'escalations_v1',
    type: 'conversation.escalated',
    columns: `reason LowCardinality(String), message_id Nullable(UUID)`,
    select: `JSONExtractString(payload, 'reason') AS reason, ${uuidOf('messageId')} AS message_id`,
  },
]

// Down: the views first (they read events and write the tables), then the tables. Nothing is lost
// for good: the up fills each table again from `events`.
const typedDown = typedTables.flatMap((t) => [
  `DROP VIEW IF EXISTS ${t.name}_mv`,
  `DROP TABLE IF EXISTS ${t.name}`,
])

const typedStatements = typedTables.flatMap((t) => {
  const select = `SELECT ${commonSelect}, ${t.select} FROM events WHERE type = '${t.type}'`
  return [
    `CREATE TABLE IF NOT EXISTS ${t.name} (\n  ${common}\n  ${t.columns}\n) ${typedEngine}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${t.name}_mv TO ${t.name} AS ${select}`,
    `INSERT INTO ${t.name} ${select}`,
  ]
})

// v5. The longest any organization may keep customer text (RETENTION_LIMITS: 1,095 days) and
// dead letters (30 days: time to look at and replay a poison message, not an archive), as TTLs:
// past them ClickHouse drops rows at merge time whatever a job does. Each organization's shorter
// policy is the retention job's per-organization delete (docs/adr/0022).
export const TEXT_TTL_DAYS = 1095
export const AGGREGATE_TTL_DAYS = 1825
export const DLQ_TTL_DAYS = 30

/**
 * A migration that sets a TTL on each table (`toDateTime(column) + days`); its down removes them
 * (the rows stay; the next up sets the TTL again, and drops what is past it).
 */
export function ttlMigration(
  version: number,
  name: string,
  rows: readonly { table: string; column: string; days: number }[],
): ChMigration {
  return {
    version,
    name,
    statements: rows.map(
      (r) => `ALTER TABLE ${r.table} MODIFY TTL toDateTime(${r.column}) + toIntervalDay(${r.days})`,
    ),
    down: rows.map((r) => `ALTER TABLE ${r.table} REMOVE TTL`),
  }
}

const retentionTtl = ttlMigration(5, 'retention_ttl', [
  { table: 'events', column: 'occurred_at', days: TEXT_TTL_DAYS },
  { table: 'messages_v1', column: 'occurred_at', days: TEXT_TTL_DAYS },
  { table: 'events_dlq', column: 'received_at', days: DLQ_TTL_DAYS },
  ...['replies_v1', 'outcomes_v1', 'feedback_v1', 'escalations_v1'].map((table) => ({
    table,
    column: 'occurred_at',
    days: AGGREGATE_TTL_DAYS,
  })),
])

/** Every ClickHouse migration, in order. Applied at start; each statement is idempotent. */
export const chMigrations: ChMigration[] = [
  { version: 1, name: 'events', statements: [events_v1], down: ['DROP TABLE IF EXISTS events'] },
  {
    version: 2,
    name: 'events_stream_position',
    statements: events_stream_position,
    down: [
      'ALTER TABLE events DROP COLUMN IF EXISTS stream_offset',
      'ALTER TABLE events DROP COLUMN IF EXISTS stream_partition',
    ],
  },
  {
    version: 3,
    name: 'events_dlq',
    statements: [events_dlq_v1],
    down: ['DROP TABLE IF EXISTS events_dlq'],
  },
  { version: 4, name: 'typed_tables_v1', statements: typedStatements, down: typedDown },
  retentionTtl,
]
