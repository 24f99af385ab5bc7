// An engine turn: the recent messages it reads, the messages and conversation update it writes.
import type { ConversationMemory } from '../schema.js'
import type { Db } from '../db.js'

/** The last turns of a conversation, oldest first. */
export async function recentMessages(db: Db, organizationId: string, conversationId: string, limit: number) {
  const rows = await db
    .selectFrom('messages')
    .select(['role', 'text', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.reverse()
}

export interface TurnWrite {
  organizationId: string
  conversationId: string
  /** The customer's message and the agent's reply, in that order (their ids are UUIDv7, so they sort so). */
  messages: { id: string; role: 'customer' | 'agent'; text: string; metadata: Record<string, unknown> }[]
  memory: ConversationMemory
  /** Set when the conversation had no contact and this turn learned one. */
  contactId?: string | null
  /** 'open' reopens a resolved/closed conversation; 'handed_off' escalates it (with the reason). */
  status?: 'open' | 'handed_off'
  escalationReason?: string
}

/**
 * Writes one engine turn with two statements: both messages in one insert, then one update of the
 * conversation (count, last message, memory, contact, status). A turn used to cost six.
 */
export async function recordTurn(db: Db, t: TurnWrite): Promise<void> {
  await db
    .insertInto('messages')
    .values(
      t.messages.map((m) => ({
        id: m.id,
        organization_id: t.organizationId,
        conversation_id: t.conversationId,
        role: m.role,
        text: m.text,
        metadata: JSON.stringify(m.metadata),
      })),
    )
    .execute()
  const now = new Date()
  await db
    .updateTable('conversations')
    .set((eb) => ({
      message_count: eb('message_count', '+', t.messages.length),
      last_message_at: now,
      updated_at: now,
      memory: JSON.stringify(t.memory),
      ...(t.contactId ? { contact_id: eb.fn.coalesce('contact_id', eb.val(t.contactId)) } : {}),
      ...(t.status ? { status: t.status } : {}),
      ...(t.status === 'handed_off'
        ? { escalation_reason: t.escalationReason ?? null, escalated_at: now }
        : {}),
    }))
    .where('organization_id', '=', t.organizationId)
    .where('id', '=', t.conversationId)
    .execute()
}
