import { z } from 'zod'
import type { Ch } from '../client.js'
import { chDateTime } from '../time.js'
import { chJson, chNumber, chUuid, issue, queryDecoded, queryRows, RowIssue } from './rows.js'

export const ConversationEventRow = z.object({
  event_id: chUuid,
  type: z.string(),
  /** When it happened, epoch ms. */
  at: chNumber,
  conv: chUuid,
  agent: chUuid.nullable(),
  vertical: z.string(),
  payload: chJson.pipe(z.record(z.string(), z.any())),
})
export type ConversationEventRow = z.output<typeof ConversationEventRow>

const uuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const numeric = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i

/**
 * ConversationEventRow's schema, checked by hand: the pipelines read every event of the touched
 * conversations on each run, and zod's per-row parse was ~5 % of an incremental run's profile. The
 * sink validated each payload against the catalogue before it was written; this still rejects a
 * row that does not have the promised shape (the schema's tests hold the two to the same verdicts).
 */
export function decodeConversationEvent(r: Record<string, unknown>): ConversationEventRow | RowIssue {
  const { event_id, type, at, conv, agent, vertical, payload } = r
  if (typeof event_id !== 'string' || !uuid.test(event_id))
    return issue('event_id', 'expected a UUID', event_id)
  if (typeof type !== 'string') return issue('type', 'expected a string', type)
  const when = typeof at === 'number' ? at : typeof at === 'string' && numeric.test(at) ? Number(at) : null
  if (when === null) return issue('at', 'expected a number (or numeric text)', at)
  if (typeof conv !== 'string' || !uuid.test(conv)) return issue('conv', 'expected a UUID', conv)
  if (agent !== null && (typeof agent !== 'string' || !uuid.test(agent)))
    return issue('agent', 'expected a UUID or null', agent)
  if (typeof vertical !== 'string') return issue('vertical', 'expected a string', vertical)
  if (typeof payload !== 'string') return issue('payload', 'expected a string', payload)
  let doc: unknown
  try {
    doc = JSON.parse(payload)
  } catch {
    return issue('payload', 'not valid JSON', payload)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return issue('payload', 'expected a JSON object', payload)
  return { event_id, type, at: when, conv, agent, vertical, payload: doc as Record<string, any> }
}

/** Conversations a threshold of time alone moves (conversationEvents' `timed`). */
export interface TimedActivity {
  types: readonly string[]
  windows: readonly { from: Date; to: Date }[]
  /**
   * Only conversations whose stored outcome (conversation_outcomes_v1) time can still move:
   * open, or resolved and neither durable nor reopened yet. Every other outcome is final
   * until an event comes (and then the conversation is touched).
   */
  movableOutcomesOnly?: boolean
}

/**
 * Every event of the organization's conversations that had activity in [from, to) — by when it
 * happened or when it reached ClickHouse, so a late event (a replayed topic, a backfill) still
 * recomputes its conversation — deduplicated by event id (ReplacingMergeTree folds copies only at
 * merge time: LIMIT 1 BY id, never a bare read; ADR 0006). Ordered by conversation, then time.
 * With `timed`, also the conversations with an event of `timed.types` that happened in one of
 * `timed.windows`: those whose result may have changed since `from` without any new event (a
 * reply 24 h old closes its resolution window).
 */
export async function conversationEvents(
  ch: Ch,
  p: { organizationId: string; from: Date; to: Date; timed?: TimedActivity },
): Promise<ConversationEventRow[]> {
  const params = activityParams(p)
  return queryDecoded(ch, 'conversationEvents', decodeConversationEvent, {
    query: `
      SELECT ${EVENT_COLUMNS}
      FROM events
      WHERE organization_id = {org:UUID}
        AND conversation_id IN (${activeConversations(p, params)})
        AND occurred_at < {to:DateTime64(3)}
      ORDER BY conversation_id, occurred_at, id
      LIMIT 1 BY id`,
    params,
  })
}

const EVENT_COLUMNS = `toString(id) AS event_id, type, toUnixTimestamp64Milli(occurred_at) AS at,
             toString(conversation_id) AS conv, toString(agent_id) AS agent, vertical, payload`

const activityParams = (p: { organizationId: string; from: Date; to: Date }): Record<string, unknown> => ({
  org: p.organizationId,
  from: chDateTime(p.from),
  to: chDateTime(p.to),
})

/** The ids of the conversations conversationEvents reads (its `timed` included), as a subquery. */
function activeConversations(p: { timed?: TimedActivity }, params: Record<string, unknown>): string {
  return `
          SELECT DISTINCT conversation_id FROM events
          WHERE organization_id = {org:UUID} AND conversation_id IS NOT NULL
            AND ((occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)})
              OR (ingested_at >= {from:DateTime64(3)} AND ingested_at < {to:DateTime64(3)})
              ${p.timed ? timedActivity(p.timed, params) : ''})`
}

const ConversationIdRow = z.object({ conv: chUuid })

/**
 * The ids of the conversations `conversationEvents` with the same arguments reads, without their
 * events: a caller that already holds some of them (read earlier in the same run, at the same
 * `to`) then reads only the others' (`eventsOfConversations`).
 */
export async function activeConversationIds(
  ch: Ch,
  p: { organizationId: string; from: Date; to: Date; timed?: TimedActivity },
): Promise<string[]> {
  const params = activityParams(p)
  const rows = await queryRows(ch, 'activeConversationIds', ConversationIdRow, {
    query: `SELECT toString(conversation_id) AS conv FROM (${activeConversations(p, params)})`,
    params,
  })
  return rows.map((r) => r.conv)
}

/** Every event before `to` of these conversations, each once, as conversationEvents returns them. */
export async function eventsOfConversations(
  ch: Ch,
  p: { organizationId: string; conversationIds: readonly string[]; to: Date },
): Promise<ConversationEventRow[]> {
  if (p.conversationIds.length === 0) return []
  return queryDecoded(ch, 'eventsOfConversations', decodeConversationEvent, {
    query: `
      SELECT ${EVENT_COLUMNS}
      FROM events
      WHERE organization_id = {org:UUID}
        AND conversation_id IN {ids:Array(UUID)}
        AND occurred_at < {to:DateTime64(3)}
      ORDER BY conversation_id, occurred_at, id
      LIMIT 1 BY id`,
    params: { org: p.organizationId, ids: p.conversationIds, to: chDateTime(p.to) },
  })
}

/** The `OR …` condition of `timed` (nothing without windows), its parameters added to `params`. */
function timedActivity(timed: TimedActivity, params: Record<string, unknown>): string {
  if (timed.windows.length === 0) return ''
  const windows = timed.windows
    .map((_, i) => `(occurred_at >= {wf${i}:DateTime64(3)} AND occurred_at < {wt${i}:DateTime64(3)})`)
    .join(' OR ')
  params.types = timed.types
  timed.windows.forEach((w, i) => {
    params[`wf${i}`] = chDateTime(w.from)
    params[`wt${i}`] = chDateTime(w.to)
  })
  const movable = timed.movableOutcomesOnly
    ? `
                AND conversation_id IN (
                  SELECT conversation_id FROM conversation_outcomes_v1 FINAL
                  WHERE organization_id = {org:UUID}
                    AND (closed = 0 OR (resolved = 1 AND durable = 0 AND reopened = 0)))`
    : ''
  return `OR (type IN {types:Array(String)} AND (${windows})${movable})`
}

const PartRow = z.object({ v: z.string() })

/**
 * A stamp of the newest active data part of `events` (metadata only: no scan). It changes when
 * events arrive; '' before the first one.
 */
export async function newestEventPart(ch: Ch): Promise<string> {
  const rows = await queryRows(ch, 'newestEventPart', PartRow, {
    query: `
      SELECT toString(max(modification_time)) || ':' || toString(count()) AS v
      FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active`,
  })
  return rows[0]?.v ?? ''
}

const NewestRow = z.object({ n: chNumber, at: chNumber })

/**
 * When the organization's newest event in ClickHouse happened (epoch ms), or null before its
 * first: the freshness mark shows how far the stream reached beside how far the analytics did.
 * A max over the table's sort key prefix, so it reads only the organization's parts.
 */
export async function newestEventAt(ch: Ch, organizationId: string): Promise<Date | null> {
  const rows = await queryRows(ch, 'newestEventAt', NewestRow, {
    query: `
      SELECT count() AS n, toUnixTimestamp64Milli(max(occurred_at)) AS at
      FROM events WHERE organization_id = {org:UUID}`,
    params: { org: organizationId },
  })
  const r = rows[0]
  return r && r.n > 0 ? new Date(r.at) : null
}
