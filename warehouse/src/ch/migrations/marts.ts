import { AGGREGATE_TTL_DAYS, TEXT_TTL_DAYS, ttlMigration, type ChMigration } from './index.js'

// ClickHouse marts written by the pipelines (@luneo/pipelines jobs). Versions 100+ so they never
// collide with the events tables (./index.ts). ReplacingMergeTree keyed by the thing computed,
// with computed_at as the version: re-running a job over the same events replaces, never adds;
// readers use FINAL (these marts are small: one row per reply / per conversation). The DDL lives
// here, beside the queries that read it (../queries/, ADR 0010): a column and the zod row that
// reads it change in one package, and its tests can build the tables.

const replySignals = `
CREATE TABLE IF NOT EXISTS reply_signals_v1 (
  organization_id UUID,
  replied_at DateTime64(3, 'UTC'),
  reply_id UUID,
  message_id UUID,
  conversation_id UUID,
  agent_id UUID,
  vertical LowCardinality(String),
  channel LowCardinality(String),
  intent LowCardinality(String),
  experiment_id Nullable(UUID),
  variant_id Nullable(UUID),
  question String,
  unanswered UInt8,
  negative_feedback UInt8,
  escalated_after UInt8,
  rephrase UInt8,
  abandoned UInt8,
  top_score Float32,
  cost_usd Float64,
  latency_ms UInt32,
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (organization_id, replied_at, reply_id)`

const conversationOutcomes = `
CREATE TABLE IF NOT EXISTS conversation_outcomes_v1 (
  organization_id UUID,
  started_at DateTime64(3, 'UTC'),
  conversation_id UUID,
  agent_id UUID,
  vertical LowCardinality(String),
  channel LowCardinality(String),
  intent LowCardinality(String),
  experiment_id Nullable(UUID),
  variant_id Nullable(UUID),
  last_activity_at DateTime64(3, 'UTC'),
  status LowCardinality(String),
  handoff_reason LowCardinality(String),
  closed UInt8,
  confirmed UInt8,
  assumed UInt8,
  resolved UInt8,
  durable UInt8,
  reopened UInt8,
  handed_off UInt8,
  abandoned UInt8,
  csat Nullable(Float32),
  replies UInt32,
  unanswered_replies UInt32,
  purchases UInt32,
  purchase_amount Float64,
  leads UInt32,
  lead_value Float64,
  cost_usd Float64,
  avg_latency_ms Float64,
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (organization_id, started_at, conversation_id)`

// Vertical benchmarks: one row per vertical, day and metric; stats are NULL and published = 0
// when fewer than 5 organizations contribute (k-anonymity). No organization id in this table.
const verticalBenchmarks = `
CREATE TABLE IF NOT EXISTS vertical_benchmarks_v1 (
  vertical LowCardinality(String),
  period_day Date,
  metric LowCardinality(String),
  period_start DateTime64(3, 'UTC'),
  period_end DateTime64(3, 'UTC'),
  organizations UInt32,
  published UInt8,
  p25 Nullable(Float64),
  median Nullable(Float64),
  p75 Nullable(Float64),
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (vertical, period_day, metric)`

// Each organization's own value over the same period, read only with the caller's organization id.
const verticalOrgMetrics = `
CREATE TABLE IF NOT EXISTS vertical_org_metrics_v1 (
  organization_id UUID,
  vertical LowCardinality(String),
  period_day Date,
  metric LowCardinality(String),
  value Nullable(Float64),
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (organization_id, period_day, metric)`

const conversationVerdicts = `
CREATE TABLE IF NOT EXISTS conversation_verdicts_v1 (
  organization_id UUID,
  conversation_id UUID,
  verified UInt8,
  reason String,
  model LowCardinality(String),
  judged_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(judged_at)
ORDER BY (organization_id, conversation_id)`

// Lift per accepted knowledge gap (gap_lift_v1 job, docs/metrics.md § Knowledge gaps). Which
// accepted gap each customer question fell in (by cosine with the gap's centroid), one row per
// reply processed: gap_id NULL when it fell in none (the row still says "processed").
const gapQuestions = `
CREATE TABLE IF NOT EXISTS gap_questions_v1 (
  organization_id UUID,
  replied_at DateTime64(3, 'UTC'),
  reply_id UUID,
  conversation_id UUID,
  gap_id Nullable(UUID),
  similarity Float32,
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (organization_id, replied_at, reply_id)`

// Per accepted gap: the questions that fell in it in the 30 days before its acceptance and since,
// with how many were answered and how many of their closed conversations the AI resolved.
// covered_to: the questions up to this time were assigned (the next run goes on from there).
const gapLift = `
CREATE TABLE IF NOT EXISTS gap_lift_v1 (
  organization_id UUID,
  gap_id UUID,
  accepted_at DateTime64(3, 'UTC'),
  before_from DateTime64(3, 'UTC'),
  covered_to DateTime64(3, 'UTC'),
  before_questions UInt32,
  before_answered UInt32,
  before_closed UInt32,
  before_resolved UInt32,
  after_questions UInt32,
  after_answered UInt32,
  after_closed UInt32,
  after_resolved UInt32,
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (organization_id, gap_id)`

// The failed questions knowledge_gaps_v1 has processed (docs/adr/0023), one row per reply: its
// question (filler removed) and vector in `embedder`'s space (Float32 little-endian, base64: a
// re-cluster writes thousands, and JSON numbers cost ~30× more to send and parse; '' when no
// later run needs it), and the gap it went to — NULL while
// it is pending (near no gap, waiting for similar questions to make one). An incremental run
// embeds only the failed questions not here, and clusters the pending ones without re-embedding.
// Kept as the question text is (TEXT_TTL_DAYS, the retention job's text cutoff, erasure by
// conversation).
const gapCandidates = `
CREATE TABLE IF NOT EXISTS gap_candidates_v1 (
  organization_id UUID,
  replied_at DateTime64(3, 'UTC'),
  reply_id UUID,
  conversation_id UUID,
  question String,
  escalated UInt8,
  embedder LowCardinality(String),
  vector String,
  gap_id Nullable(UUID),
  computed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (organization_id, replied_at, reply_id)
TTL toDateTime(replied_at) + toIntervalDay(${TEXT_TTL_DAYS})`

// The marts' longest retention (docs/adr/0022): reply signals carry the customer's question and
// verdicts the judge's reason (which may quote it), so they follow the text TTL; the rest are
// aggregates. The retention job deletes each organization's rows earlier, by its own policy.
const martTtl = ttlMigration(107, 'retention_ttl', [
  { table: 'reply_signals_v1', column: 'replied_at', days: TEXT_TTL_DAYS },
  { table: 'conversation_verdicts_v1', column: 'judged_at', days: TEXT_TTL_DAYS },
  { table: 'conversation_outcomes_v1', column: 'started_at', days: AGGREGATE_TTL_DAYS },
  { table: 'gap_questions_v1', column: 'replied_at', days: AGGREGATE_TTL_DAYS },
  { table: 'vertical_org_metrics_v1', column: 'period_day', days: AGGREGATE_TTL_DAYS },
  { table: 'vertical_benchmarks_v1', column: 'period_day', days: AGGREGATE_TTL_DAYS },
])

// A mart is computed from events by the pipelines: its down drops it, and the next pipeline run
// after the up computes it again.
const mart = (version: number, name: string, create: string): ChMigration => ({
  version,
  name,
  statements: [create],
  down: [`DROP TABLE IF EXISTS ${name}`],
})

/** The pipelines' marts, applied after `chMigrations`: `migrateClickHouse(ch, martMigrations)`. */
export const martMigrations: ChMigration[] = [
  mart(100, 'reply_signals_v1', replySignals),
  mart(101, 'conversation_outcomes_v1', conversationOutcomes),
  mart(102, 'vertical_benchmarks_v1', verticalBenchmarks),
  mart(103, 'vertical_org_metrics_v1', verticalOrgMetrics),
  mart(104, 'conversation_verdicts_v1', conversationVerdicts),
  mart(105, 'gap_questions_v1', gapQuestions),
  mart(106, 'gap_lift_v1', gapLift),
  martTtl,
  mart(108, 'gap_candidates_v1', gapCandidates),
]
