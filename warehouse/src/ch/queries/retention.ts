import type { Ch } from '../client.js'
import { chDateTime } from '../time.js'

// Deletes in ClickHouse are mutations (`ALTER TABLE … DELETE`) waited for with mutations_sync = 2:
// the parts holding the rows are rewritten without them, so the text is gone from disk when the
// call returns (a lightweight DELETE only masks rows until a merge). A mutation rewrites every
// part it touches, so each is issued only when a count says there is something to delete
// (docs/adr/0022).

interface TimedTable {
  table: string
  /** The column a row's age is read from. */
  time: string
}

/** Tables holding customer text (or the judge's words about it): kept as the conversations are. */
export const TEXT_TABLES: readonly TimedTable[] = [
  { table: 'events', time: 'occurred_at' },
  { table: 'messages_v1', time: 'occurred_at' },
  { table: 'reply_signals_v1', time: 'replied_at' },
  { table: 'conversation_verdicts_v1', time: 'judged_at' },
  { table: 'gap_candidates_v1', time: 'replied_at' },
]

/** Aggregates and facts without text: kept as the analytics policy says. */
export const AGGREGATE_TABLES: readonly TimedTable[] = [
  { table: 'replies_v1', time: 'occurred_at' },
  { table: 'outcomes_v1', time: 'occurred_at' },
  { table: 'feedback_v1', time: 'occurred_at' },
  { table: 'escalations_v1', time: 'occurred_at' },
  { table: 'conversation_outcomes_v1', time: 'started_at' },
  { table: 'gap_questions_v1', time: 'replied_at' },
  { table: 'vertical_org_metrics_v1', time: 'period_day' },
]

/** Every table with a conversation_id: what an erasure deletes by conversation. */
export const CONVERSATION_TABLES: readonly string[] = [
  'events',
  'messages_v1',
  'replies_v1',
  'outcomes_v1',
  'feedback_v1',
  'escalations_v1',
  'reply_signals_v1',
  'conversation_outcomes_v1',
  'conversation_verdicts_v1',
  'gap_questions_v1',
  'gap_candidates_v1',
]

const SYNC = { mutations_sync: '2' } as const

async function count(ch: Ch, query: string, params: Record<string, unknown>): Promise<number> {
  const rs = await ch.query({
    query: `SELECT count() AS n ${query}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const rows = await rs.json<{ n: number | string }>()
  return Number(rows[0]?.n ?? 0)
}

/** Deletes `where` from `table` when a row matches; returns how many rows matched. */
async function deleteWhere(ch: Ch, table: string, where: string, params: Record<string, unknown>) {
  const n = await count(ch, `FROM ${table} WHERE ${where}`, params)
  if (n > 0)
    await ch.command({
      query: `ALTER TABLE ${table} DELETE WHERE ${where}`,
      query_params: params,
      clickhouse_settings: SYNC,
    })
  return n
}

export interface ExpiredRowCounts {
  text: number
  aggregates: number
}

/**
 * Deletes the organization's rows older than its cutoffs: customer text before `textBefore`,
 * aggregates before `aggregatesBefore`. Idempotent; counts first, so a run with nothing expired
 * issues no mutation.
 */
export async function deleteExpiredRows(
  ch: Ch,
  p: { organizationId: string; textBefore: Date; aggregatesBefore: Date },
): Promise<ExpiredRowCounts> {
  const run = async (tables: readonly TimedTable[], before: Date) => {
    let n = 0
    for (const t of tables)
      n += await deleteWhere(
        ch,
        t.table,
        `organization_id = {org:UUID} AND ${t.time} < {before:DateTime64(3)}`,
        {
          org: p.organizationId,
          before: chDateTime(before),
        },
      )
    return n
  }
  return {
    text: await run(TEXT_TABLES, p.textBefore),
    aggregates: await run(AGGREGATE_TABLES, p.aggregatesBefore),
  }
}

/**
 * Erasure: every row of these conversations in every table, the contact's own events, and the
 * dead letters whose raw bytes name one of them (events_dlq has no organization column: the
 * ids are UUIDs, so a match is theirs). Returns rows deleted per table.
 */
export async function eraseFromClickHouse(
  ch: Ch,
  p: { organizationId: string; contactId: string; conversationIds: string[] },
): Promise<Record<string, number>> {
  const params = { org: p.organizationId, contact: p.contactId, convs: p.conversationIds }
  const counts: Record<string, number> = {}
  for (const table of CONVERSATION_TABLES) {
    const byContact = table === 'events' ? ' OR contact_id = {contact:UUID}' : ''
    counts[table] = await deleteWhere(
      ch,
      table,
      `organization_id = {org:UUID} AND (conversation_id IN {convs:Array(UUID)}${byContact})`,
      params,
    )
  }
  // multiSearchAny takes at most 255 needles.
  const needles = [p.contactId, ...p.conversationIds]
  counts.events_dlq = 0
  for (let i = 0; i < needles.length; i += 200)
    counts.events_dlq += await deleteWhere(ch, 'events_dlq', 'multiSearchAny(raw, {needles:Array(String)})', {
      needles: needles.slice(i, i + 200),
    })
  return counts
}

/** What the customer wrote in these conversations as ClickHouse holds it (redacted: gap examples come from here). */
export async function customerTextsInClickHouse(
  ch: Ch,
  p: { organizationId: string; conversationIds: string[] },
): Promise<string[]> {
  if (p.conversationIds.length === 0) return []
  const rs = await ch.query({
    query: `SELECT DISTINCT text FROM messages_v1
            WHERE organization_id = {org:UUID} AND conversation_id IN {convs:Array(UUID)}`,
    query_params: { org: p.organizationId, convs: p.conversationIds },
    format: 'JSONEachRow',
  })
  return (await rs.json<{ text: string }>()).map((r) => r.text)
}
