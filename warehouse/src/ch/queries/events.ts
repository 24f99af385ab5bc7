import { z } from 'zod'
import type { Ch } from '../client.js'
import { chDateTime } from '../time.js'
import { chJson, chNumber, chUuid, queryRows } from './rows.js'

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
  const params: Record<string, unknown> = {
    org: p.organizationId,
    from: chDateTime(p.from),
    to: chDateTime(p.to),
  }
  return queryRows(ch, 'conversationEvents', ConversationEventRow, {
    query: `
      SELECT toString(id) AS event_id, type, toUnixTimestamp64Milli(occurred_at) AS at,
             toString(conversation_id) AS conv, toString(agent_id) AS agent, vertical, payload
      FROM events
      WHERE organization_id = {org:UUID}
        AND conversation_id IN (
          SELECT DISTINCT conversation_id FROM events
          WHERE organization_id = {org:UUID} AND conversation_id IS NOT NULL
            AND ((occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)})
              OR (ingested_at >= {from:DateTime64(3)} AND ingested_at < {to:DateTime64(3)})
              ${p.timed ? timedActivity(p.timed, params) : ''}))
        AND occurred_at < {to:DateTime64(3)}
      ORDER BY conversation_id, occurred_at, id
      LIMIT 1 BY id`,
    params,
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
