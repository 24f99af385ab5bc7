import { conversationEvents, type Ch, type ConversationEventRow } from '@luneo/warehouse'

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
 * Every event of the conversations that had activity in [from, to), late arrivals included,
 * each once (`conversationEvents`), grouped by conversation in time order.
 */
export async function loadConversations(
  ch: Ch,
  organizationId: string,
  from: Date,
  to: Date,
): Promise<Map<string, ConvEvent[]>> {
  return byConversation(await conversationEvents(ch, { organizationId, from, to }))
}

/**
 * The events of the conversations whose result may differ from the one computed at `since`: any
 * event that happened or arrived in [since, to), or an event of `types` whose age crossed one of
 * `ages` (a window or a delay its result depends on) between `since` and `to`.
 */
export async function loadChangedConversations(
  ch: Ch,
  organizationId: string,
  window: { since: Date; to: Date },
  timed: { types: readonly string[]; ages: readonly number[]; movableOutcomesOnly?: boolean },
): Promise<Map<string, ConvEvent[]>> {
  const { since, to } = window
  // An event at x crosses the age a in (since, to] when since − a < x ≤ to − a ([from, to) here).
  const windows = timed.ages.map((a) => ({
    from: new Date(since.getTime() - a),
    to: new Date(to.getTime() - a + 1),
  }))
  return byConversation(
    await conversationEvents(ch, {
      organizationId,
      from: since,
      to,
      timed: { types: timed.types, windows, movableOutcomesOnly: timed.movableOutcomesOnly ?? false },
    }),
  )
}

function byConversation(rows: readonly ConversationEventRow[]): Map<string, ConvEvent[]> {
  const out = new Map<string, ConvEvent[]>()
  for (const r of rows) {
    const list = out.get(r.conv) ?? []
    list.push({
      id: r.event_id,
      type: r.type,
      occurredAt: r.at,
      conversationId: r.conv,
      agentId: r.agent,
      vertical: r.vertical,
      payload: r.payload,
    })
    out.set(r.conv, list)
  }
  return out
}
