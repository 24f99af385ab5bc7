import { conversationEvents, type Ch } from '@luneo/warehouse'

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
  const rows = await conversationEvents(ch, { organizationId, from, to })
  const byConversation = new Map<string, ConvEvent[]>()
  for (const r of rows) {
    const list = byConversation.get(r.conv) ?? []
    list.push({
      id: r.event_id,
      type: r.type,
      occurredAt: r.at,
      conversationId: r.conv,
      agentId: r.agent,
      vertical: r.vertical,
      payload: r.payload,
    })
    byConversation.set(r.conv, list)
  }
  return byConversation
}
