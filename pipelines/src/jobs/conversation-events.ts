import {
  activeConversationIds,
  conversationEvents,
  eventsOfConversations,
  type Ch,
  type ConversationEventRow,
  type TimedActivity,
} from '@luneo/warehouse'

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
 * One run's conversation reads, shared by the jobs that read events (learning signals, then
 * outcomes: both read the conversations touched since the watermark). At one `to` a conversation's
 * events are the same for every job (all of them before `to`), so the conversations the first job
 * read are kept for the organization, and the next job that reads it takes them and asks
 * ClickHouse only for the ids it needs and the events of the conversations it was not handed. Kept
 * up to `maxEvents` in all (a full rebuild's reads past that are read again, not held).
 */
export interface ConversationReads {
  /** Events read from ClickHouse, and events handed over instead of read again (for the bench and tests). */
  readonly counts: { read: number; reused: number }
  /**
   * The most conversations a taker asks for by id: the ids travel as a query parameter (in the
   * URL, with a server), so past this it reads the whole set again instead (a tick after a long
   * pause).
   */
  readonly maxListedIds: number
  keep(organizationId: string, to: Date, conversations: Map<string, ConvEvent[]>): void
  /** The conversations kept for the organization at `to`, once (they are no longer held). */
  take(organizationId: string, to: Date): Map<string, ConvEvent[]> | undefined
}

export function createConversationReads(
  limits: { maxEvents?: number; maxListedIds?: number } = {},
): ConversationReads {
  const maxEvents = limits.maxEvents ?? 200_000
  const held = new Map<string, { to: number; conversations: Map<string, ConvEvent[]>; events: number }>()
  let heldEvents = 0
  const counts = { read: 0, reused: 0 }
  return {
    counts,
    maxListedIds: limits.maxListedIds ?? 5_000,
    keep(organizationId, to, conversations) {
      let events = 0
      for (const list of conversations.values()) events += list.length
      const before = held.get(organizationId)
      if (before) heldEvents -= before.events
      held.delete(organizationId)
      if (heldEvents + events > maxEvents) return
      held.set(organizationId, { to: to.getTime(), conversations, events })
      heldEvents += events
    },
    take(organizationId, to) {
      const entry = held.get(organizationId)
      if (!entry) return undefined
      held.delete(organizationId)
      heldEvents -= entry.events
      return entry.to === to.getTime() ? entry.conversations : undefined
    },
  }
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
  reads?: ConversationReads,
): Promise<Map<string, ConvEvent[]>> {
  return read(ch, { organizationId, from, to }, reads)
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
  reads?: ConversationReads,
): Promise<Map<string, ConvEvent[]>> {
  const { since, to } = window
  // An event at x crosses the age a in (since, to] when since − a < x ≤ to − a ([from, to) here).
  const windows = timed.ages.map((a) => ({
    from: new Date(since.getTime() - a),
    to: new Date(to.getTime() - a + 1),
  }))
  return read(
    ch,
    {
      organizationId,
      from: since,
      to,
      timed: { types: timed.types, windows, movableOutcomesOnly: timed.movableOutcomesOnly ?? false },
    },
    reads,
  )
}

/**
 * conversationEvents, grouped; with `reads`, what an earlier job of the run read is taken rather
 * than read again, and what this read is kept for the next.
 */
async function read(
  ch: Ch,
  p: { organizationId: string; from: Date; to: Date; timed?: TimedActivity },
  reads: ConversationReads | undefined,
): Promise<Map<string, ConvEvent[]>> {
  const held = reads?.take(p.organizationId, p.to)
  if (!held) {
    const rows = await conversationEvents(ch, p)
    if (reads) reads.counts.read += rows.length
    const conversations = byConversation(rows)
    reads?.keep(p.organizationId, p.to, conversations)
    return conversations
  }
  const ids = await activeConversationIds(ch, p)
  const missing = ids.filter((id) => !held.has(id))
  if (missing.length > reads!.maxListedIds) {
    const rows = await conversationEvents(ch, p)
    reads!.counts.read += rows.length
    return byConversation(rows)
  }
  const rows = await eventsOfConversations(ch, {
    organizationId: p.organizationId,
    conversationIds: missing,
    to: p.to,
  })
  const fetched = byConversation(rows)
  const out = new Map<string, ConvEvent[]>()
  for (const id of ids) {
    const list = held.get(id) ?? fetched.get(id)
    if (!list) continue // active only through events at or after `to`: nothing to compute yet
    out.set(id, list)
  }
  reads!.counts.read += rows.length
  for (const id of ids) reads!.counts.reused += held.get(id)?.length ?? 0
  return out
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
