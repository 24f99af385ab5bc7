import type { Ch } from '@luneo/warehouse'

/** One event of a conversation as the pipelines see it (from ClickHouse `events`). */
export interface ConvEvent {
  id: string
  type: string
  occurredAt: number // epoch ms
  conversationId: string
  agentId: string | null
  vertical: string
  payload: Record<string, any>
}

/**
 * Every event of the conversations that had activity in [from, to) — by when it happened or when
 * it reached ClickHouse, so a late event (a replayed topic, a backfill) still recomputes its
 * conversation — deduplicated by event id (ReplacingMergeTree folds copies only at merge time:
 * LIMIT 1 BY id, never a bare read).
 */
export async function loadConversations(
  ch: Ch,
  organizationId: string,
  from: Date,
  to: Date,
): Promise<Map<string, ConvEvent[]>> {
  const rs = await ch.query({
    query: `
      SELECT toString(id) AS event_id, type, toUnixTimestamp64Milli(occurred_at) AS at,
             toString(conversation_id) AS conv, toString(agent_id) AS agent, vertical, payload
      FROM events
      WHERE organization_id = {org:UUID}
        AND conversation_id IN (
          SELECT DISTINCT conversation_id FROM events
          WHERE organization_id = {org:UUID} AND conversation_id IS NOT NULL
            AND ((occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)})
              OR (ingested_at >= {from:DateTime64(3)} AND ingested_at < {to:DateTime64(3)})))
        AND occurred_at < {to:DateTime64(3)}
      ORDER BY conversation_id, occurred_at, id
      LIMIT 1 BY id`,
    query_params: {
      org: organizationId,
      from: from.toISOString().replace('Z', ''),
      to: to.toISOString().replace('Z', ''),
    },
    format: 'JSONEachRow',
  })
  const rows = await rs.json<{
    event_id: string
    type: string
    at: number | string
    conv: string
    agent: string | null
    vertical: string
    payload: string
  }>()
  const byConversation = new Map<string, ConvEvent[]>()
  for (const r of rows) {
    const list = byConversation.get(r.conv) ?? []
    list.push({
      id: r.event_id,
      type: r.type,
      occurredAt: Number(r.at),
      conversationId: r.conv,
      agentId: r.agent,
      vertical: r.vertical,
      payload: JSON.parse(r.payload) as Record<string, any>,
    })
    byConversation.set(r.conv, list)
  }
  return byConversation
}

/** ClickHouse DateTime64 text for an epoch-ms time. */
export const chTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
